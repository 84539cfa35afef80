"""What interventions shows on the roster's pages (students.slots): the student profile's
"Tiers" and "Intervention plans" cards, the interventionist's caseload on the home page, and
the caseload's students, whom an interventionist may see."""

from __future__ import annotations

from typing import Any

from interventions.models import InterventionPlan
from interventions.selectors.student_profile import student_plans, tier_history
from interventions.services.permissions import may_manage_plans, may_start_plan
from mtss.lib.vocabulary import Domain
from students.models import Student, User
from students.selectors import students_visible_to


def student_plans_card(*, user: User, student: Student) -> dict[str, Any]:
    """The "Intervention plans" card: the student's plans and tier history per domain."""
    plans = student_plans(user=user, student=student)
    history = tier_history(student=student)
    current = {p.domain: p.tier for p in history if p.end_date is None}
    return {
        "plans": plans,
        "tiers": [
            {"domain": label, "tier": current.get(value, 1)} for value, label in Domain.choices
        ],
        "history": history,
        "may_start": may_manage_plans(
            user, school_id=student.school_id, district_id=student.district_id
        )
        or may_start_plan(user, student=student, interventionist=user),
    }


def student_tiers_card(*, user: User, student: Student) -> dict[str, Any]:
    """Profile card: the current tier per domain and the dated history behind it."""
    history = tier_history(student=student)
    current = {p.domain: p for p in history if p.end_date is None}
    return {
        "domains": [
            {"label": label, "placement": current.get(value)} for value, label in Domain.choices
        ],
        "history": history,
    }


def caseload_student_ids(user: User):
    """The students of the interventionist's active plans (`student_id` values)."""
    return InterventionPlan.objects.filter(
        interventionist=user, status=InterventionPlan.Status.ACTIVE
    ).values("student_id")


def home_caseload(*, user: User, roles: set[str]) -> dict[str, Any]:
    """The home page's "Your caseload": the active plans the user delivers (and the students
    it names, for the record of access)."""
    caseload = list(
        InterventionPlan.objects.filter(
            interventionist=user,
            status=InterventionPlan.Status.ACTIVE,
            student__in=students_visible_to(user),
        )
        .select_related("student", "student__school", "intervention")
        .order_by("student__last_name", "student__first_name", "pk")
    )
    return {"caseload": caseload, "students_shown": [p.student_id for p in caseload]}
