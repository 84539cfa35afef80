"""What the screening settings pages share: whose district they show and who may change it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from students import access, settings_choice
from students.models import District, Role, User

NOT_AN_ADMINISTRATOR = _("Only district administrators change the district's screening setup.")


def settings_district(request: HttpRequest, *, school_admins: bool = False) -> District:
    """The district whose settings the user keeps: the one they administer (a superuser, or
    anyone keeping several: the one chosen with ?district=, remembered in the session). With
    `school_admins`, a school administrator's district too (for their school's own dates).
    Anyone else is refused."""
    roles = (Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN) if school_admins else (Role.DISTRICT_ADMIN,)
    return settings_choice.settings_district(request, roles=roles, refusal=NOT_AN_ADMINISTRATOR)


def may_change(user: User, district: District) -> bool:
    return access.is_district_admin_of(user, district.pk)


def require_change(user: User, district: District) -> None:
    if not may_change(user, district):
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)


def errors_to_form(form: Form, exc: ValidationError) -> None:
    """A service's field errors shown on the form (unknown fields at the top)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)
