"""Field checks shared by starting a plan, a new phase and a schedule change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q

from interventions.models import Intervention, InterventionGroup
from interventions.services.checks import MAX_SESSION_MINUTES, _domain_label, _fmt_day, _score
from mtss.lib.vocabulary import Domain
from screening.models import Measure
from students.models import Membership, Role, Student, User


def _check_plan_parts(
    errors: dict[str, list[str]],
    *,
    student: Student,
    intervention: Intervention,
    tier: int,
    domain: str,
) -> None:
    if tier not in (2, 3):
        errors.setdefault("tier", []).append("A plan is Tier 2 or Tier 3.")
    if domain not in Domain.values:
        errors.setdefault("domain", []).append(f"Choose one of: {', '.join(Domain.values)}.")
    if intervention.district_id not in (None, student.district_id) or not intervention.active:
        errors.setdefault("intervention", []).append("This intervention is not in your catalog.")
    elif intervention.domain != domain:
        errors.setdefault("intervention", []).append(
            f"{intervention.name} is a {_domain_label(intervention.domain).lower()} "
            f"intervention, not {_domain_label(domain).lower() if domain in Domain.values else domain}."
        )
    elif tier in (2, 3) and tier not in (intervention.tiers or []):
        errors.setdefault("tier", []).append(
            f"{intervention.name} is meant for {intervention.tiers_label}."
        )


def _check_goal(
    errors: dict[str, list[str]],
    *,
    measure: Measure,
    baseline: Any,
    goal: Any,
    start_date: dt.date,
    goal_date: dt.date | None,
) -> tuple[Decimal | None, Decimal | None]:
    base = _score(errors, "baseline", baseline, measure) if baseline not in (None, "") else None
    target = _score(errors, "goal", goal, measure)
    if goal_date is None:
        errors.setdefault("goal_date", []).append("Enter the date the goal should be reached.")
    elif goal_date <= start_date:
        errors.setdefault("goal_date", []).append(
            f"The goal date must be after the start ({_fmt_day(start_date)})."
        )
    if base is not None and target is not None:
        if measure.higher_is_better and target <= base:
            errors.setdefault("goal", []).append(
                f"On {measure.name} a higher score is better: set a goal above the baseline "
                f"({base.normalize():f})."
            )
        elif not measure.higher_is_better and target >= base:
            errors.setdefault("goal", []).append(
                f"On {measure.name} a lower score is better: set a goal below the baseline "
                f"({base.normalize():f})."
            )
    return base, target


def _check_measure(
    errors: dict[str, list[str]], *, measure: Measure | None, student: Student, domain: str
) -> None:
    if measure is None:
        errors.setdefault("measure", []).append("Choose a progress-monitoring measure.")
        return
    if measure.district_id not in (None, student.district_id) or not measure.active:
        errors.setdefault("measure", []).append("This measure is not available in your district.")
    elif measure.purpose not in (Measure.Purpose.PROGRESS, Measure.Purpose.BOTH):
        errors.setdefault("measure", []).append(
            f"{measure.name} is a screening-only measure; choose one used for progress monitoring."
        )
    elif measure.domain != domain:
        errors.setdefault("measure", []).append(
            f"{measure.name} measures {_domain_label(measure.domain).lower()}, not "
            f"{_domain_label(domain).lower() if domain in Domain.values else domain}."
        )
    elif not measure.serves_grade(student.grade):
        errors.setdefault("measure", []).append(
            f"{measure.name} is not given in grade {student.grade_label}."
        )


def _check_dosage(
    errors: dict[str, list[str]],
    *,
    sessions_per_week: Any,
    minutes_per_session: Any,
    planned_weeks: Any = None,
) -> None:
    if not isinstance(sessions_per_week, int) or not 1 <= sessions_per_week <= 7:
        errors.setdefault("sessions_per_week", []).append("Sessions per week must be 1 to 7.")
    if (
        not isinstance(minutes_per_session, int)
        or not 1 <= minutes_per_session <= MAX_SESSION_MINUTES
    ):
        errors.setdefault("minutes_per_session", []).append(
            f"Minutes per session must be 1 to {MAX_SESSION_MINUTES}."
        )
    if planned_weeks is not None and (not isinstance(planned_weeks, int) or planned_weeks < 1):
        errors.setdefault("planned_weeks", []).append("Planned weeks must be 1 or more.")


def _check_staff(
    errors: dict[str, list[str]],
    *,
    student: Student,
    interventionist: User | None,
    group: InterventionGroup | None,
) -> None:
    if interventionist is None:
        errors.setdefault("interventionist", []).append("Choose who delivers the plan.")
    elif not interventionist.is_active or not (
        interventionist.is_superuser
        or Membership.objects.filter(user=interventionist)
        .filter(
            Q(school_id=student.school_id)
            | Q(role=Role.DISTRICT_ADMIN, district_id=student.district_id)
        )
        .exists()
    ):
        errors.setdefault("interventionist", []).append(
            f"{interventionist.display_name()} does not work at {student.school.name}."
        )
    if group is not None:
        if group.school_id != student.school_id:
            errors.setdefault("group", []).append("This group is at another school.")
        elif interventionist is not None and group.interventionist_id != interventionist.pk:
            errors.setdefault("group", []).append(
                f"{group.name} is taught by {group.interventionist.display_name()}; choose one "
                "of the interventionist's groups."
            )
