"""Field checks shared by starting a plan, a new phase and a schedule change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from interventions.models import Intervention, InterventionGroup
from interventions.services.checks import MAX_SESSION_MINUTES, _domain_label, _fmt_day, _score
from mtss.lib.vocabulary import Domain
from screening.models import Measure
from students import access
from students.models import Membership, Student, User


def _check_plan_parts(
    errors: dict[str, list[str]],
    *,
    student: Student,
    intervention: Intervention,
    tier: int,
    domain: str,
) -> None:
    if tier not in (2, 3):
        errors.setdefault("tier", []).append(_("A plan is Tier 2 or Tier 3."))
    if domain not in Domain.values:
        errors.setdefault("domain", []).append(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Domain.values)}
        )
    if intervention.district_id not in (None, student.district_id) or not intervention.active:
        errors.setdefault("intervention", []).append(_("This intervention is not in your catalog."))
    elif intervention.domain != domain:
        errors.setdefault("intervention", []).append(
            _("%(intervention)s is a %(domain)s intervention, not %(chosen)s.")
            % {
                "intervention": intervention.name,
                "domain": _domain_label(intervention.domain).lower(),
                "chosen": _domain_label(domain).lower() if domain in Domain.values else domain,
            }
        )
    elif tier in (2, 3) and tier not in (intervention.tiers or []):
        errors.setdefault("tier", []).append(
            _("%(intervention)s is meant for %(tiers_label)s.")
            % {"intervention": intervention.name, "tiers_label": intervention.tiers_label}
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
        errors.setdefault("goal_date", []).append(_("Enter the date the goal should be reached."))
    elif goal_date <= start_date:
        errors.setdefault("goal_date", []).append(
            _("The goal date must be after the start (%(start_date)s).")
            % {"start_date": _fmt_day(start_date)}
        )
    if base is not None and target is not None:
        if measure.higher_is_better and target <= base:
            errors.setdefault("goal", []).append(
                _(
                    "On %(measure)s a higher score is better: set a goal above the baseline (%(base)s)."
                )
                % {"measure": measure.name, "base": format(base.normalize(), "f")}
            )
        elif not measure.higher_is_better and target >= base:
            errors.setdefault("goal", []).append(
                _(
                    "On %(measure)s a lower score is better: set a goal below the baseline (%(base)s)."
                )
                % {"measure": measure.name, "base": format(base.normalize(), "f")}
            )
    return base, target


def _check_measure(
    errors: dict[str, list[str]], *, measure: Measure | None, student: Student, domain: str
) -> None:
    if measure is None:
        errors.setdefault("measure", []).append(_("Choose a progress-monitoring measure."))
        return
    if measure.district_id not in (None, student.district_id) or not measure.active:
        errors.setdefault("measure", []).append(
            _("This measure is not available in your district.")
        )
    elif measure.purpose not in (Measure.Purpose.PROGRESS, Measure.Purpose.BOTH):
        errors.setdefault("measure", []).append(
            _("%(measure)s is a screening-only measure; choose one used for progress monitoring.")
            % {"measure": measure.name}
        )
    elif measure.domain != domain:
        errors.setdefault("measure", []).append(
            _("%(measure)s measures %(domain)s, not %(chosen)s.")
            % {
                "measure": measure.name,
                "domain": _domain_label(measure.domain).lower(),
                "chosen": _domain_label(domain).lower() if domain in Domain.values else domain,
            }
        )
    elif not measure.serves_grade(student.grade):
        errors.setdefault("measure", []).append(
            _("%(measure)s is not given in grade %(grade)s.")
            % {"measure": measure.name, "grade": student.grade_label}
        )


def _check_dosage(
    errors: dict[str, list[str]],
    *,
    sessions_per_week: Any,
    minutes_per_session: Any,
    planned_weeks: Any = None,
) -> None:
    if not isinstance(sessions_per_week, int) or not 1 <= sessions_per_week <= 7:
        errors.setdefault("sessions_per_week", []).append(_("Sessions per week must be 1 to 7."))
    if (
        not isinstance(minutes_per_session, int)
        or not 1 <= minutes_per_session <= MAX_SESSION_MINUTES
    ):
        errors.setdefault("minutes_per_session", []).append(
            _("Minutes per session must be 1 to %(max_session_minutes)s.")
            % {"max_session_minutes": MAX_SESSION_MINUTES}
        )
    if planned_weeks is not None and (not isinstance(planned_weeks, int) or planned_weeks < 1):
        errors.setdefault("planned_weeks", []).append(_("Planned weeks must be 1 or more."))


def _check_staff(
    errors: dict[str, list[str]],
    *,
    student: Student,
    interventionist: User | None,
    group: InterventionGroup | None,
) -> None:
    if interventionist is None:
        errors.setdefault("interventionist", []).append(_("Choose who delivers the plan."))
    elif not interventionist.is_active or not (
        interventionist.is_superuser
        or Membership.objects.filter(user=interventionist)
        .filter(
            access.works_at_condition(school_id=student.school_id, district_id=student.district_id)
        )
        .exists()
    ):
        errors.setdefault("interventionist", []).append(
            _("%(interventionist)s does not work at %(school)s.")
            % {"interventionist": interventionist.display_name(), "school": student.school.name}
        )
    if group is not None:
        if group.school_id != student.school_id:
            errors.setdefault("group", []).append(_("This group is at another school."))
        elif interventionist is not None and group.interventionist_id != interventionist.pk:
            errors.setdefault("group", []).append(
                _(
                    "%(group)s is taught by %(interventionist)s; choose one of the interventionist's groups."
                )
                % {"group": group.name, "interventionist": group.interventionist.display_name()}
            )
