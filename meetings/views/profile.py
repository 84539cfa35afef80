"""The "Team meetings" card of the student profile."""

from __future__ import annotations

from typing import Any

from meetings import selectors
from meetings.models import Concern
from students.models import Student, User


def student_meetings_card(*, user: User, student: Student) -> dict[str, Any]:
    """Data of the profile's "Team meetings" card (students.views.PROFILE_CARDS): the team's
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
