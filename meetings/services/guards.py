"""The refusals every meetings write shares: not on the team, meeting closed, not staff of
the school, and the edit conflict that keeps both texts."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, MeetingStatus
from meetings.selectors import meeting_school_ids, staff_of_school
from mtss.errors import ApplicationError
from mtss.errors import EditConflict as EditConflict  # re-exported: the generic conflict
from students.models import School, User

NOT_ON_THE_TEAM = _(
    "Only the school's team members and administrators can plan or run its meetings."
)
MEETING_CLOSED = _("This meeting is closed; its minutes are final.")


def require_team(actor: User | None, school_id: int) -> None:
    # actor None: the platform itself (demo data, commands run by an operator).
    if actor is not None and school_id not in meeting_school_ids(actor):
        raise PermissionDenied(NOT_ON_THE_TEAM)


def require_open(meeting: Meeting) -> None:
    """Refuse changes to a closed meeting, reading its status under a row lock: the object in
    hand may be stale (a page opened before a colleague closed the meeting), and the lock
    makes closing wait for a change in progress (and the other way round)."""
    current = (
        Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("status", flat=True)
    )
    if meeting.status == MeetingStatus.CLOSED or current.first() == MeetingStatus.CLOSED:
        raise ApplicationError(MEETING_CLOSED)


def check_staff(school: School, users: Iterable[User | None], field: str) -> None:
    ids = {u.pk for u in users if u is not None}
    if not ids:
        return
    known = set(staff_of_school(school).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - known:
        raise ValidationError({field: [gettext("Choose people who work at this school.")]})
