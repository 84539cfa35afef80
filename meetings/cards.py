"""What meetings shows on the roster's pages (students.slots): the "Team meetings" card of
the student profile and each team school's next meeting on the home page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from meetings import selectors
from meetings.models import Concern, MeetingStatus
from students.models import Student, User


def student_meetings_card(*, user: User, student: Student) -> dict[str, Any]:
    """Data of the profile's "Team meetings" card : the team's
    decisions about the student, open concerns and action items, and a way to raise one."""
    decisions = list(
        selectors.decisions_visible_to(user)
        .filter(student=student)
        .select_related("meeting", "intervention")
        .order_by("-created_at", "-id")[:10]
    )
    concerns = list(
        selectors.concerns_visible_to(user)
        .filter(student=student)
        .exclude(status=Concern.Status.WITHDRAWN)
        .select_related("submitted_by")
        .order_by("-created_at", "-id")[:5]
    )
    return {"decisions": decisions, "concerns": concerns}


def next_meetings(*, user: User, school_ids: list[int]) -> dict[int, Any]:
    """Per school: the team's next meeting (one query, through the meetings' own scoping).
    A meeting of today stays "next" until it is closed."""
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        m.school_id: m
        for m in selectors.meetings_visible_to(user)
        .filter(school_id__in=school_ids, scheduled_at__gte=since)
        .exclude(status=MeetingStatus.CLOSED)
        .select_related("window")
        .order_by("school_id", "scheduled_at", "id")
        .distinct("school_id")
    }
