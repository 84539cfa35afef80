"""What decisions shows on the roster's pages (students.slots): the Flags card of the student
profile and each team school's live flags on the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from decisions import selectors
from decisions.models import LIVE_STATUSES, FlagStatus
from decisions.views import _decorate
from students.models import Student, User


def student_flags_card(*, user: User, student: Student) -> dict[str, Any]:
    """Data of the Flags card on the student profile."""
    data = selectors.student_flags(user=user, student=student)
    _decorate(data["live"], user)
    _decorate(data["closed"], user)
    return data


def school_flag_counts(*, user: User, school_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per school: its live flags, how many students, how many recommend Tier 3 and how
    many are already on an agenda. One query, through the flags' own scoping."""
    return {
        f["school_id"]: f
        for f in selectors.flags_visible_to(user)
        .filter(school_id__in=school_ids, status__in=LIVE_STATUSES)
        .order_by()
        .values("school_id")
        .annotate(
            n=Count("id"),
            students=Count("student_id", distinct=True),
            tier3=Count("id", filter=Q(recommended_tier=3)),
            on_agenda=Count("id", filter=Q(status=FlagStatus.ON_AGENDA)),
        )
    }
