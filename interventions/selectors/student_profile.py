"""The student profile's reads: tier history, current tiers and the student's plans."""

from __future__ import annotations

from interventions.models import InterventionPlan, TierPlacement
from interventions.selectors.visibility import PLAN_RELATED, plans_visible_to
from students.models import Student, User


def tier_history(*, student: Student) -> list[TierPlacement]:
    """Every placement of the student, newest first per domain (student already scoped)."""
    return list(
        TierPlacement.objects.filter(student=student)
        .select_related("decided_by", "plan", "plan__intervention")
        .order_by("domain", "-start_date", "-pk")
    )


def current_tiers(*, student: Student) -> dict[str, int]:
    """Domain -> current tier (domains with no placement are Tier 1 and are left out)."""
    return dict(
        TierPlacement.objects.filter(student=student, end_date__isnull=True).values_list(
            "domain", "tier"
        )
    )


def student_plans(*, user: User, student: Student) -> list[InterventionPlan]:
    """The student's plans for the profile card: active first, then the most recent."""
    return sorted(
        plans_visible_to(user).filter(student=student).select_related(*PLAN_RELATED),
        key=lambda p: (p.status != InterventionPlan.Status.ACTIVE, -p.start_date.toordinal()),
    )
