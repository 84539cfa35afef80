"""Closing a meeting: the minutes as they stand, and freezing them when the meeting closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from decisions import services as flag_services
from decisions.models import Flag, FlagStatus
from meetings import minutes
from meetings.models import ActionItem, AgendaItem, Concern, Decision, Meeting, MeetingStatus
from meetings.services.audit import log_access
from meetings.services.guards import require_open, require_team
from students.audit import AuditContext
from students.models import AccessLog, User


def _person(user: User | None) -> str:
    """A person in the minutes' roles and attendees: title and full name ("Ms. Ann Lee"), so
    two colleagues who share a surname stay apart."""
    if user is None:
        return ""
    name = user.get_full_name() or user.username
    return f"{user.title} {name}" if user.title else name


def _decision_row(d: Decision) -> minutes.DecisionRow:
    det = d.details or {}

    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(det[key]) if det.get(key) else None

    return minutes.DecisionRow(
        student=d.student.short_name,
        type=d.type,
        domain=d.domain,
        tier=d.tier,
        intervention=det.get("intervention", ""),
        interventionist=det.get("interventionist", ""),
        sessions_per_week=det.get("sessions_per_week"),
        minutes_per_session=det.get("minutes_per_session"),
        start_date=day("start_date"),
        review_date=day("review_date"),
        rationale=d.rationale,
        is_override=d.is_override,
        recommendation=d.recommendation,
        flags=tuple(det.get("flags", ())),
        judged=d.judgement_words,
    )


def minutes_for(meeting: Meeting) -> dict[str, Any]:
    """The minutes as they stand (frozen ones once the meeting is closed)."""
    if meeting.status == MeetingStatus.CLOSED and meeting.minutes_data:
        return meeting.minutes_data
    decisions = list(
        Decision.objects.filter(meeting=meeting)
        .select_related("student")
        .order_by("created_at", "id")
    )
    actions = list(
        ActionItem.objects.filter(meeting=meeting)
        .select_related("owner", "student")
        .order_by("due_date", "id")
    )
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(notes="")
        .select_related("student")
        .order_by("position")
    )
    data = minutes.MinutesInput(
        title=meeting.title,
        school=meeting.school.name,
        scheduled_at=timezone.localtime(meeting.scheduled_at),
        facilitator=_person(meeting.facilitator),
        note_taker=_person(meeting.note_taker),
        timekeeper=_person(meeting.timekeeper),
        attendees=[_person(u) for u in meeting.attendees.order_by("last_name", "first_name", "pk")],
        decisions=[_decision_row(d) for d in decisions],
        action_items=[
            minutes.ActionRow(
                owner=a.owner.display_name(),
                description=a.description,
                due_date=a.due_date,
                student=a.student.short_name if a.student_id else "",
                status=a.status,
            )
            for a in actions
        ],
        notes=meeting.notes,
        item_notes=tuple((i.label, i.notes) for i in items),
    )
    return minutes.build_minutes(data)


@transaction.atomic
def meeting_close(
    *, meeting: Meeting, actor: User | None, audit: AuditContext | None = None
) -> Meeting:
    """Close the meeting and freeze its minutes. Flags still on its agenda without a
    decision go back to open (the next meeting proposes them again), and so do concerns."""
    require_team(actor, meeting.school_id)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("school", "facilitator", "note_taker", "timekeeper", "window")
        .get(pk=meeting.pk)
    )
    require_open(meeting)
    for flag in (
        Flag.objects.filter(agenda_items__meeting=meeting, status=FlagStatus.ON_AGENDA)
        .distinct()
        .order_by("pk")
    ):
        flag_services.flag_take_off_agenda(flag=flag, actor=actor, audit=audit)
    Concern.objects.filter(agenda_items__meeting=meeting, status=Concern.Status.ON_AGENDA).update(
        status=Concern.Status.OPEN, updated_at=timezone.now()
    )
    data = minutes_for(meeting)
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CLOSED,
        closed_at=now,
        minutes_data=data,
        minutes_text=minutes.minutes_text(data),
        version=F("version") + 1,
    )
    log_access(
        actor,
        AccessLog.Action.UPDATE,
        "meeting",
        meeting.pk,
        audit=audit,
        detail={"status": "closed"},
    )
    return Meeting.objects.select_related(
        *("school", "facilitator", "note_taker", "timekeeper")
    ).get(pk=meeting.pk)
