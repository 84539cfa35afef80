"""Who may change a district's screening setup, and who may enter scores in a closed window.

Decided (see docs/screening.md): a closed window refuses teachers; school and district
administrators may still enter or correct scores (make-up screening happens after the window).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from students import access
from students.models import User

NOT_A_DISTRICT_ADMIN = _(
    "Only a district administrator can change this district's screening setup."
)
STUDENT_NOT_FOUND = _("There is no such student among yours.")
WINDOW_CLOSED = _(
    "The {window} screening window is closed. Ask a school administrator to enter late scores."
)


def is_district_admin(user: User | None, district_id: int | None) -> bool:
    return access.is_district_admin_of(user, district_id)


def _require_district_admin(actor: User | None, district_id: int | None) -> None:
    # actor None is the platform itself (a migration, a command run by an operator, the demo).
    if actor is not None and not is_district_admin(actor, district_id):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)


def may_enter_in_closed_window(user: User | None, school_id: int) -> bool:
    """School administrators (of that school) and district administrators may enter late."""
    return access.may_enter_late_scores(user, school_id)
