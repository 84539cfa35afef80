"""Scheduling meetings: create one, repeat it as a series, edit it, start it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from meetings.models import Meeting, MeetingKind, MeetingSeries, MeetingStatus
from meetings.services.audit import actor_id, log_access
from meetings.services.guards import EditConflict, check_staff, require_open, require_team
from students.audit import AuditContext
from students.models import AccessLog, School, User


@transaction.atomic
def meeting_create(
    *,
    school: School,
    kind: str,
    scheduled_at: dt.datetime,
    actor: User | None,
    facilitator: User | None = None,
    note_taker: User | None = None,
    timekeeper: User | None = None,
    attendees: Sequence[User] = (),
    grade: int | None = None,
    window: Any = None,
    duration_minutes: int = 60,
    location: str = "",
    series: MeetingSeries | None = None,
    audit: AuditContext | None = None,
) -> Meeting:
    """Schedule a meeting. A grade-level data meeting names its grade (and usually the
    screening window whose results it discusses)."""
    require_team(actor, school.pk)
    if timezone.is_naive(scheduled_at):
        raise ValidationError({"scheduled_at": [gettext("Give the time with its time zone.")]})
    if kind not in MeetingKind.values:
        raise ValidationError(
            {"kind": [gettext("Choose a grade-level or a problem-solving meeting.")]}
        )
    if kind == MeetingKind.GRADE_LEVEL and grade is None:
        raise ValidationError({"grade": [gettext("A grade-level meeting needs its grade.")]})
    if grade is not None and not (school.lowest_grade <= grade <= school.highest_grade):
        raise ValidationError({"grade": [gettext("This school does not teach that grade.")]})
    if window is not None and window.school_year.district_id != school.district_id:
        raise ValidationError({"window": [gettext("Choose a screening window of this district.")]})
    if not 5 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": [gettext("A meeting lasts 5 to 480 minutes.")]})
    check_staff(school, [facilitator, note_taker, timekeeper, *attendees], "attendees")
    meeting = Meeting.objects.create(
        school=school,
        kind=kind,
        grade=grade if kind == MeetingKind.GRADE_LEVEL else None,
        window=window if kind == MeetingKind.GRADE_LEVEL else None,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        location=location,
        facilitator=facilitator,
        note_taker=note_taker,
        timekeeper=timekeeper,
        series=series,
        created_by_id=actor_id(actor),
    )
    if attendees:
        meeting.attendees.set(attendees)
    log_access(actor, AccessLog.Action.CREATE, "meeting", meeting.pk, audit=audit)
    return meeting


@transaction.atomic
def meeting_schedule_series(
    *,
    meeting: Meeting,
    every_weeks: int,
    count: int,
    actor: User | None,
    audit: AuditContext | None = None,
) -> list[Meeting]:
    """Create the next `count` meetings, every `every_weeks` weeks after `meeting`, with the
    same kind, roles and attendees; all of them join one MeetingSeries."""
    require_team(actor, meeting.school_id)
    if not 1 <= every_weeks <= 12:
        raise ValidationError({"every_weeks": [gettext("Repeat every 1 to 12 weeks.")]})
    if not 1 <= count <= 20:
        raise ValidationError({"count": [gettext("Schedule 1 to 20 meetings at a time.")]})
    series = meeting.series
    if series is None:
        series = MeetingSeries.objects.create(
            school_id=meeting.school_id, every_weeks=every_weeks, created_by_id=actor_id(actor)
        )
        Meeting.objects.filter(pk=meeting.pk).update(series=series)
        meeting.series = series
    attendees = list(meeting.attendees.all())
    # Wall-clock time is kept across daylight-saving changes: add the weeks in local time.
    local = timezone.localtime(meeting.scheduled_at)
    created = []
    for n in range(1, count + 1):
        naive = local.replace(tzinfo=None) + dt.timedelta(weeks=every_weeks * n)
        created.append(
            meeting_create(
                school=meeting.school,
                kind=meeting.kind,
                scheduled_at=timezone.make_aware(naive),
                actor=actor,
                facilitator=meeting.facilitator,
                note_taker=meeting.note_taker,
                timekeeper=meeting.timekeeper,
                attendees=attendees,
                grade=meeting.grade,
                window=meeting.window,
                duration_minutes=meeting.duration_minutes,
                location=meeting.location,
                series=series,
                audit=audit,
            )
        )
    return created


MEETING_EDITABLE = frozenset(
    {
        "scheduled_at",
        "duration_minutes",
        "location",
        "facilitator",
        "note_taker",
        "timekeeper",
        "notes",
    }
)


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    version: int,
    changes: dict[str, Any],
    actor: User | None,
    attendees: Sequence[User] | None = None,
    audit: AuditContext | None = None,
) -> Meeting:
    """Save changes made to `version` of the meeting; EditConflict when someone saved since."""
    require_team(actor, meeting.school_id)
    require_open(meeting)
    unknown = set(changes) - MEETING_EDITABLE
    if unknown:
        raise ValidationError({name: ["This cannot be changed here."] for name in unknown})
    if "scheduled_at" in changes and timezone.is_naive(changes["scheduled_at"]):
        raise ValidationError({"scheduled_at": [gettext("Give the time with its time zone.")]})
    people = [changes.get(k) for k in ("facilitator", "note_taker", "timekeeper")]
    check_staff(meeting.school, [*people, *(attendees or [])], "attendees")
    updated = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    fresh = Meeting.objects.select_related("school").get(pk=meeting.pk)
    if not updated:
        raise EditConflict(
            what="meeting",
            saved={"notes": fresh.notes},
            yours={"notes": changes.get("notes", "")},
            version=fresh.version,
        )
    if attendees is not None:
        fresh.attendees.set(attendees)
    log_access(
        actor,
        AccessLog.Action.UPDATE,
        "meeting",
        meeting.pk,
        audit=audit,
        detail={"fields": sorted(changes)},
    )
    return fresh


@transaction.atomic
def meeting_start(
    *, meeting: Meeting, actor: User | None, audit: AuditContext | None = None
) -> Meeting:
    require_team(actor, meeting.school_id)
    require_open(meeting)
    if meeting.status == MeetingStatus.PLANNED:
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.IN_PROGRESS,
            started_at=timezone.now(),
            version=F("version") + 1,
        )
        log_access(
            actor,
            AccessLog.Action.UPDATE,
            "meeting",
            meeting.pk,
            audit=audit,
            detail={"status": "in_progress"},
        )
    return Meeting.objects.get(pk=meeting.pk)
