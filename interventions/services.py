"""Writes of the interventions app. Pages, API, the meetings app, admin and demo call these.

Every service is keyword-only, runs in one transaction and writes its AccessLog row(s) in it.
Field problems raise Django's ValidationError keyed by field (400 with field errors in the
API, messages beside the field on pages); business refusals (a closed plan, a duplicate plan)
raise ApplicationError; a user who may not act gets PermissionDenied. A refused write saves
nothing. `actor=None` is the platform itself (the demo, a command run by an operator).

Who may do what (docs/interventions.md):
- manage plans (start any plan, close, reassign): the school's team members and school
  administrators, the district's administrators, superusers;
- the plan's interventionist: record progress scores, sessions, fidelity observations and the
  student's goal statement and self-ratings; change the phase (a new goal or intervention);
  change the schedule; and start a new plan that they deliver themselves for a student already
  on their caseload (a student with an active plan of theirs);
- nobody else writes (a teacher reads the plans of the students they teach).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from interventions import progress_summary
from interventions.criteria import EntryCheck, entry_check
from interventions.models import (
    FidelityObservation,
    Intervention,
    InterventionGroup,
    InterventionPlan,
    InterventionSession,
    PlanPhase,
    ProgressScore,
    SelfRating,
    StudentGoalStatement,
    TierPlacement,
)
from mtss.errors import ApplicationError
from mtss.lib.vocabulary import Domain
from screening.models import Measure
from screening.services import parse_score
from students.audit import audit_record, audit_record_many
from students.models import SCHOOL_WIDE_ROLES, AccessLog, Membership, Role, Student, User
from students.selectors import memberships_of

PLAN_OBJECT = "intervention_plan"
PROGRESS_OBJECT = "progress_score"
SESSION_OBJECT = "intervention_session"
FIDELITY_OBJECT = "fidelity_observation"
OWNERSHIP_OBJECT = "student_ownership"
PLACEMENT_OBJECT = "tier_placement"

NOT_A_MANAGER = (
    "Only the school's team members and administrators (or a district administrator) can do this."
)
NOT_YOUR_PLAN = (
    "Only the plan's interventionist, the school's team and administrators can record data "
    "for this plan."
)
PLAN_CLOSED = "This plan is {status}: {what} can't be added to it."
MAX_SESSION_MINUTES = 480


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


# -- who may do what ---------------------------------------------------------------------


def may_manage_plans(user: User | None, *, school_id: int, district_id: int) -> bool:
    """Team members and administrators of the school, district administrators, superusers."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN and m.district_id == district_id:
            return True
        if m.role in SCHOOL_WIDE_ROLES and m.school_id == school_id:
            return True
    return False


def may_record_for_plan(user: User | None, plan: InterventionPlan) -> bool:
    """The plan's interventionist, or anyone who manages plans at the student's school."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if plan.interventionist_id is not None and plan.interventionist_id == user.pk:
        return True
    return may_manage_plans(
        user, school_id=plan.student.school_id, district_id=plan.student.district_id
    )


def is_interventionist_at(user: User | None, school_id: int) -> bool:
    return user is not None and any(
        m.role == Role.INTERVENTIONIST and m.school_id == school_id for m in memberships_of(user)
    )


def may_start_plan(user: User | None, *, student: Student, interventionist: User | None) -> bool:
    """Managers for any student of their school; an interventionist for a student already on
    their caseload, when they deliver the new plan themselves."""
    if may_manage_plans(user, school_id=student.school_id, district_id=student.district_id):
        return True
    if user is None or interventionist is None or interventionist.pk != user.pk:
        return False
    return (
        is_interventionist_at(user, student.school_id)
        and InterventionPlan.objects.filter(
            student=student, interventionist=user, status=InterventionPlan.Status.ACTIVE
        ).exists()
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# -- small checks shared by the services -------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _fmt_day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _check_day(
    errors: dict[str, list[str]], field: str, day: dt.date, *, not_before: dt.date, what: str
) -> None:
    if day > _today():
        errors.setdefault(field, []).append(
            f"{_fmt_day(day)} is in the future. Enter the date the {what} happened."
        )
    elif day < not_before:
        errors.setdefault(field, []).append(
            f"{_fmt_day(day)} is before the plan started ({_fmt_day(not_before)})."
        )


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _score(
    errors: dict[str, list[str]], field: str, value: Any, measure: Measure
) -> Decimal | None:
    try:
        return parse_score(value, measure)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


def _require_active(plan: InterventionPlan, what: str) -> None:
    if plan.status != InterventionPlan.Status.ACTIVE:
        raise ApplicationError(
            PLAN_CLOSED.format(status=plan.get_status_display().lower(), what=what),
            extra={"status": plan.status},
        )


def _lock(plan: InterventionPlan) -> InterventionPlan:
    """Re-read the plan under a row lock, so two writers cannot both pass a status check."""
    locked = InterventionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.status = locked.status
    return plan


def _domain_label(domain: str) -> str:
    return Domain(domain).label


# -- entry criteria ----------------------------------------------------------------------


def latest_domain_risk(*, student: Student, domain: str) -> str | None:
    """The most intensive risk among the student's scores of the latest screening window
    that has a classified score in the domain (domain.md: tier recommendation per domain)."""
    from screening.models import ScreeningScore

    rows = list(
        ScreeningScore.objects.filter(
            student=student, measure__domain=domain, risk_level__isnull=False
        )
        .order_by("-window__start_date", "-window_id")
        .values_list("window_id", "risk_level")[:20]
    )
    if not rows:
        return None
    latest = rows[0][0]
    order = {"at_or_above": 0, "some_risk": 1, "high_risk": 2}
    return max((r for w, r in rows if w == latest), key=lambda r: order.get(r, -1))


def plan_entry_check(
    *, student: Student, intervention: Intervention, domain: str | None = None
) -> EntryCheck:
    """Whether the student meets the intervention's entry criteria (shown before starting)."""
    domain = domain or intervention.domain
    return entry_check(
        intervention.entry_criteria or {},
        grade=student.grade,
        risk_level=latest_domain_risk(student=student, domain=domain),
        domain_label=_domain_label(domain),
    )


# -- tier placements ---------------------------------------------------------------------


@transaction.atomic
def tier_place(
    *,
    student: Student,
    domain: str,
    tier: int,
    start_date: dt.date,
    actor: User | None,
    decision_note: str = "",
    plan: InterventionPlan | None = None,
    request: HttpRequest | None = None,
) -> TierPlacement | None:
    """Record the student's tier in a domain from `start_date`; the open placement ends.

    Returns the new placement, or None when the student is already at that tier (nothing
    changes; history records changes only). The meetings app calls this for decisions that
    start no plan (for example "move to Tier 1" or "fade to Tier 2").
    """
    errors: dict[str, list[str]] = {}
    if tier not in (1, 2, 3):
        errors["tier"] = ["Tier must be 1, 2 or 3."]
    if domain not in Domain.values:
        errors["domain"] = [f"Choose one of: {', '.join(Domain.values)}."]
    _raise(errors)
    current = (
        TierPlacement.objects.select_for_update()
        .filter(student=student, domain=domain, end_date__isnull=True)
        .first()
    )
    if current is not None and current.tier == tier:
        return None
    if current is None and tier == 1:
        # No history and Tier 1: every student starts in Tier 1; nothing to record.
        return None
    if current is not None:
        current.end_date = max(start_date, current.start_date)
        current.save(update_fields=["end_date"])
    placement = TierPlacement.objects.create(
        student=student,
        domain=domain,
        tier=tier,
        start_date=start_date,
        plan=plan,
        decided_by=actor,
        decision_note=decision_note,
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=PLACEMENT_OBJECT,
        object_id=placement.pk,
        student=student,
        request=request,
        detail={
            "domain": domain,
            "tier": tier,
            "from_tier": current.tier if current else None,
            "start_date": start_date.isoformat(),
            "plan": plan.pk if plan else None,
        },
    )
    return placement


def _domain_tier(student: Student, domain: str, *, excluding: int | None = None) -> int:
    """The tier the student's active plans in a domain call for (1 when there are none)."""
    tiers = (
        InterventionPlan.objects.filter(
            student=student, domain=domain, status=InterventionPlan.Status.ACTIVE
        )
        .exclude(pk=excluding)
        .values_list("tier", flat=True)
    )
    return max(tiers, default=1)


# -- plans -------------------------------------------------------------------------------


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


def _plan_detail(plan: InterventionPlan) -> dict[str, Any]:
    return {
        "intervention": plan.intervention_id,
        "tier": plan.tier,
        "domain": plan.domain,
        "measure": plan.measure_id,
        "interventionist": plan.interventionist_id,
        "start_date": plan.start_date.isoformat(),
        "baseline": str(plan.baseline) if plan.baseline is not None else None,
        "goal": str(plan.goal) if plan.goal is not None else None,
        "goal_date": plan.goal_date.isoformat() if plan.goal_date else None,
        "sessions_per_week": plan.sessions_per_week,
        "minutes_per_session": plan.minutes_per_session,
        "group": plan.group_id,
    }


@transaction.atomic
def plan_start(
    *,
    student: Student,
    intervention: Intervention,
    tier: int,
    domain: str,
    measure: Measure | None,
    interventionist: User | None,
    start_date: dt.date,
    baseline: Any,
    goal: Any,
    goal_date: dt.date | None,
    sessions_per_week: int,
    minutes_per_session: int,
    group: InterventionGroup | None = None,
    actor: User | None,
    entry_override_reason: str = "",
    planned_weeks: int | None = None,
    decision_note: str = "",
    request: HttpRequest | None = None,
) -> InterventionPlan:
    """Start a plan: check it, record phase 1 and the student's tier in the domain.

    `baseline` None (or "") means "the median of the first three points". The entry criteria
    are checked against the student's latest screening risk in the domain; a student who does
    not meet them can be placed only with `entry_override_reason`.
    """
    _require(may_start_plan(actor, student=student, interventionist=interventionist), NOT_A_MANAGER)
    errors: dict[str, list[str]] = {}
    _check_plan_parts(errors, student=student, intervention=intervention, tier=tier, domain=domain)
    _check_measure(errors, measure=measure, student=student, domain=domain)
    _check_dosage(
        errors,
        sessions_per_week=sessions_per_week,
        minutes_per_session=minutes_per_session,
        planned_weeks=planned_weeks,
    )
    _check_staff(errors, student=student, interventionist=interventionist, group=group)
    base = target = None
    if measure is not None and "measure" not in errors:
        base, target = _check_goal(
            errors,
            measure=measure,
            baseline=baseline,
            goal=goal,
            start_date=start_date,
            goal_date=goal_date,
        )
    override = (entry_override_reason or "").strip()
    check = plan_entry_check(student=student, intervention=intervention, domain=domain)
    if not check.met and not override:
        errors.setdefault("entry_override_reason", []).append(
            f"{student.full_name} does not meet the entry criteria of {intervention.name}: "
            + " ".join(r for r in check.reasons)
            + " Give the reason for placing them anyway."
        )
    _raise(errors)
    if InterventionPlan.objects.filter(
        student=student, intervention=intervention, status=InterventionPlan.Status.ACTIVE
    ).exists():
        raise ApplicationError(
            f"{student.full_name} already has an active {intervention.name} plan. Change that "
            "plan's goal or phase instead of starting a second one."
        )

    plan = InterventionPlan.objects.create(
        student=student,
        intervention=intervention,
        tier=tier,
        domain=domain,
        interventionist=interventionist,
        start_date=start_date,
        measure=measure,
        planned_weeks=planned_weeks or intervention.weeks,
        sessions_per_week=sessions_per_week,
        minutes_per_session=minutes_per_session,
        group=group,
        phase_start=start_date,
        baseline=base,
        goal=target,
        goal_date=goal_date,
        entry_criteria_met=check.met,
        entry_check=check.as_json(),
        entry_override_reason=override if not check.met else "",
        created_by=actor,
    )
    PlanPhase.objects.create(
        plan=plan,
        number=1,
        start_date=start_date,
        intervention=intervention,
        baseline=base,
        goal=target,
        goal_date=goal_date,
        reason="Plan started",
        created_by=actor,
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=PLAN_OBJECT,
        object_id=plan.pk,
        student=student,
        request=request,
        detail={**_plan_detail(plan), "entry_check": check.as_json(), "override": override},
    )
    tier_place(
        student=student,
        domain=domain,
        tier=max(tier, _domain_tier(student, domain)),
        start_date=start_date,
        actor=actor,
        decision_note=decision_note or f"Started {intervention.name} (Tier {tier}).",
        plan=plan,
        request=request,
    )
    progress_summary.refresh(plan_ids=[plan.pk])
    return plan


def _same_number(value: Any, current: Decimal | None) -> bool:
    try:
        return current is not None and Decimal(str(value).strip()) == current
    except ArithmeticError:
        return False  # not a number: _check_goal says so


def _baseline_before(plan: InterventionPlan, day: dt.date) -> Decimal | None:
    """Median of the last three points before `day`: where the new aim line starts."""
    recent = list(
        ProgressScore.objects.filter(plan=plan, date__lt=day)
        .order_by("-date")
        .values_list("score", flat=True)[:3]
    )
    if not recent:
        return None
    return Decimal(str(statistics.median(recent))).quantize(Decimal("0.01"))


@transaction.atomic
def plan_change_phase(
    *,
    plan: InterventionPlan,
    intervention: Intervention | None = None,
    goal: Any = None,
    goal_date: dt.date | None = None,
    reason: str,
    actor: User | None,
    baseline: Any = None,
    start_date: dt.date | None = None,
    request: HttpRequest | None = None,
) -> PlanPhase:
    """Start the plan's next phase with a new intervention and/or goal; earlier phases stay.

    `start_date` defaults to today and must be after the current phase's start. `baseline`
    None: the median of the last three points before the new phase (where the student is
    now), or, with no points yet, the median of the new phase's first three points.
    """
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    _lock(plan)
    _require_active(plan, "a new phase")
    errors: dict[str, list[str]] = {}
    start = start_date or _today()
    if not (reason or "").strip():
        errors["reason"] = ["Say why the plan changes (for example, the team's decision)."]
    new_intervention = intervention or plan.intervention
    if intervention is not None:
        _check_plan_parts(
            errors,
            student=plan.student,
            intervention=intervention,
            tier=plan.tier,
            domain=plan.domain,
        )
    new_goal = plan.goal if goal in (None, "") else goal
    new_goal_date = goal_date or plan.goal_date
    if (
        new_intervention.pk == plan.intervention_id
        and _same_number(new_goal, plan.goal)
        and new_goal_date == plan.goal_date
    ):
        errors.setdefault("non_field_errors", []).append(
            "Nothing changes: choose another intervention, goal or goal date."
        )
    current_start = plan.current_phase_start
    if start <= current_start:
        errors.setdefault("start_date", []).append(
            f"A new phase must start after the current one ({_fmt_day(current_start)})."
        )
    elif start > _today():
        errors.setdefault("start_date", []).append("A new phase cannot start in the future.")
    if plan.measure is None:
        raise ApplicationError("This plan has no progress measure; set one first.")
    if baseline in (None, ""):
        baseline = _baseline_before(plan, start)
    base, target = _check_goal(
        errors,
        measure=plan.measure,
        baseline=baseline,
        goal=new_goal,
        start_date=start,
        goal_date=new_goal_date,
    )
    _raise(errors)
    number = (plan.phases.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    phase = PlanPhase.objects.create(
        plan=plan,
        number=number,
        start_date=start,
        intervention=new_intervention,
        baseline=base,
        goal=target,
        goal_date=new_goal_date,
        reason=reason.strip(),
        created_by=actor,
    )
    before = _plan_detail(plan)
    plan.intervention = new_intervention
    plan.goal, plan.goal_date, plan.baseline, plan.phase_start = target, new_goal_date, base, start
    plan.save(
        update_fields=[
            "intervention",
            "goal",
            "goal_date",
            "baseline",
            "phase_start",
            "updated_at",
        ]
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=PLAN_OBJECT,
        object_id=plan.pk,
        student=plan.student_id,
        request=request,
        detail={
            "phase": number,
            "reason": phase.reason,
            "before": before,
            "after": _plan_detail(plan),
        },
    )
    progress_summary.refresh(plan_ids=[plan.pk])
    return phase


@transaction.atomic
def plan_close(
    *,
    plan: InterventionPlan,
    status: str,
    exit_reason: str,
    actor: User | None,
    end_date: dt.date | None = None,
    next_tier: int | None = None,
    decision_note: str = "",
    request: HttpRequest | None = None,
) -> InterventionPlan:
    """Complete or discontinue a plan and move the student's tier in the domain.

    The new tier is `next_tier` when given (for example 2 to fade a Tier 3 student), else what
    the student's other active plans in the domain call for (Tier 1 when none). It can never
    be below another active plan's tier.
    """
    _require(
        may_manage_plans(
            actor, school_id=plan.student.school_id, district_id=plan.student.district_id
        ),
        NOT_A_MANAGER,
    )
    _lock(plan)
    _require_active(plan, "a closing decision")
    errors: dict[str, list[str]] = {}
    if status not in (InterventionPlan.Status.COMPLETED, InterventionPlan.Status.DISCONTINUED):
        errors["status"] = ["Close a plan as completed or discontinued."]
    if not (exit_reason or "").strip():
        errors["exit_reason"] = ["Say why the plan ends (for example, goal met)."]
    end = end_date or _today()
    if end < plan.start_date:
        errors["end_date"] = [f"The plan started on {_fmt_day(plan.start_date)}."]
    elif end > _today():
        errors["end_date"] = ["A plan cannot end in the future."]
    remaining = _domain_tier(plan.student, plan.domain, excluding=plan.pk)
    if next_tier is not None and next_tier not in (1, 2, 3):
        errors["next_tier"] = ["Tier must be 1, 2 or 3."]
    elif next_tier is not None and next_tier < remaining:
        errors["next_tier"] = [
            f"The student has another active Tier {remaining} plan in this domain."
        ]
    _raise(errors)
    plan.status = status
    plan.exit_reason = exit_reason.strip()
    plan.end_date = end
    plan.save(update_fields=["status", "exit_reason", "end_date", "updated_at"])
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=PLAN_OBJECT,
        object_id=plan.pk,
        student=plan.student_id,
        request=request,
        detail={"status": status, "exit_reason": plan.exit_reason, "end_date": end.isoformat()},
    )
    tier = max(next_tier or 1, remaining)
    tier_place(
        student=plan.student,
        domain=plan.domain,
        tier=tier,
        start_date=end,
        actor=actor,
        decision_note=decision_note
        or f"{plan.intervention.name} {plan.get_status_display().lower()}: {plan.exit_reason}",
        plan=plan,
        request=request,
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: InterventionPlan,
    actor: User | None,
    interventionist: User | None = UNSET,
    group: InterventionGroup | None = UNSET,
    planned_weeks: int | None = UNSET,
    sessions_per_week: int = UNSET,
    minutes_per_session: int = UNSET,
    request: HttpRequest | None = None,
) -> InterventionPlan:
    """Change a plan's schedule, group or interventionist (not its goal: that is a new phase).

    The interventionist may change the schedule and group; reassigning the plan to another
    interventionist is for the team.
    """
    if interventionist is not UNSET and interventionist != plan.interventionist:
        _require(
            may_manage_plans(
                actor, school_id=plan.student.school_id, district_id=plan.student.district_id
            ),
            NOT_A_MANAGER,
        )
    else:
        _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    _lock(plan)
    _require_active(plan, "changes")
    changes = {
        name: value
        for name, value in (
            ("interventionist", interventionist),
            ("group", group),
            ("planned_weeks", planned_weeks),
            ("sessions_per_week", sessions_per_week),
            ("minutes_per_session", minutes_per_session),
        )
        if value is not UNSET
    }
    errors: dict[str, list[str]] = {}
    _check_dosage(
        errors,
        sessions_per_week=changes.get("sessions_per_week", plan.sessions_per_week),
        minutes_per_session=changes.get("minutes_per_session", plan.minutes_per_session),
        planned_weeks=changes.get("planned_weeks", plan.planned_weeks),
    )
    _check_staff(
        errors,
        student=plan.student,
        interventionist=changes.get("interventionist", plan.interventionist),
        group=changes.get("group", plan.group),
    )
    _raise(errors)
    before = _plan_detail(plan)
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.save(update_fields=[*changes, "updated_at"])
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=PLAN_OBJECT,
        object_id=plan.pk,
        student=plan.student_id,
        request=request,
        detail={"before": before, "after": _plan_detail(plan)},
    )
    if "sessions_per_week" in changes:
        progress_summary.refresh(plan_ids=[plan.pk])
    return plan


# -- groups ------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    school_id: int,
    name: str,
    interventionist: User,
    actor: User | None,
) -> InterventionGroup:
    """A group of an interventionist; they may make their own, the team any of the school's."""
    from students.models import School

    school = School.objects.get(pk=school_id)
    own = (
        actor is not None
        and actor.pk == interventionist.pk
        and is_interventionist_at(actor, school_id)
    )
    _require(
        own or may_manage_plans(actor, school_id=school_id, district_id=school.district_id),
        NOT_A_MANAGER,
    )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ['Give the group a name, like "Grade 2 phonics, 9:00".']})
    if InterventionGroup.objects.filter(
        school_id=school_id, interventionist=interventionist, name=name
    ).exists():
        raise ValidationError({"name": [f"You already have a group called {name}."]})
    return InterventionGroup.objects.create(
        school_id=school_id, name=name, interventionist=interventionist
    )


# -- progress scores ---------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *,
    plan: InterventionPlan,
    date: dt.date,
    score: Any,
    actor: User | None,
    request: HttpRequest | None = None,
) -> ProgressScore:
    """Record (or correct) the plan's progress score of one day.

    Refused, with nothing saved: a score outside the measure's range (or not a number), a date
    before the plan started or in the future, a plan that is no longer active.
    """
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    _lock(plan)
    _require_active(plan, "progress scores")
    if plan.measure is None:
        raise ApplicationError("This plan has no progress measure; set one first.")
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = ["Enter the date of the score."]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="score was taken")
    value = _score(errors, "score", score, plan.measure)
    _raise(errors)
    existing = ProgressScore.objects.filter(plan=plan, date=date).first()
    if existing is not None:
        old = existing.score
        existing.score, existing.entered_by = value, actor
        existing.save(update_fields=["score", "entered_by", "updated_at"])
        point, action = existing, AccessLog.Action.UPDATE
        detail = {"date": date.isoformat(), "old": str(old), "new": str(value)}
    else:
        point = ProgressScore.objects.create(plan=plan, date=date, score=value, entered_by=actor)
        action = AccessLog.Action.CREATE
        detail = {"date": date.isoformat(), "score": str(value)}
    audit_record(
        user=actor,
        action=action,
        object_type=PROGRESS_OBJECT,
        object_id=point.pk,
        student=plan.student_id,
        request=request,
        detail={"plan": plan.pk, **detail},
    )
    progress_summary.refresh(plan_ids=[plan.pk])
    return point


# -- sessions ----------------------------------------------------------------------------


@transaction.atomic
def session_log(
    *,
    date: dt.date,
    minutes: int,
    actor: User | None,
    plan: InterventionPlan | None = None,
    group: InterventionGroup | None = None,
    attended: bool | Mapping[int, bool] = True,
    request: HttpRequest | None = None,
) -> list[InterventionSession]:
    """Log a session of one plan, or of a whole group at once.

    For a group, `attended` maps every active plan of the group (by plan id) to whether its
    student attended; plans that had not started by `date` are left out. Logging a day again
    replaces that day's record. Refused on a plan that is no longer active.
    """
    if (plan is None) == (group is None):
        raise ValueError("give a plan or a group")
    errors: dict[str, list[str]] = {}
    if (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not 1 <= minutes <= MAX_SESSION_MINUTES
    ):
        errors["minutes"] = [f"Minutes must be 1 to {MAX_SESSION_MINUTES}."]
    if plan is not None:
        _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
        _lock(plan)
        _require_active(plan, "sessions")
        if not isinstance(attended, bool):
            errors["attended"] = ["Say whether the student attended (true or false)."]
        if date is None:
            errors["date"] = ["Enter the date of the session."]
        else:
            _check_day(errors, "date", date, not_before=plan.start_date, what="session")
        _raise(errors)
        plans = [plan]
        present = {plan.pk: bool(attended)}
    else:
        members = list(
            InterventionPlan.objects.select_for_update(of=("self",))
            .filter(group=group, status=InterventionPlan.Status.ACTIVE)
            .select_related("student")
            .order_by("pk")
        )
        if not members:
            raise ApplicationError(f"{group.name} has no active plans to log a session for.")
        for member in members:
            _require(may_record_for_plan(actor, member), NOT_YOUR_PLAN)
        if date is None:
            errors["date"] = ["Enter the date of the session."]
        elif date > _today():
            errors["date"] = [
                f"{_fmt_day(date)} is in the future. Enter the date the session happened."
            ]
        plans = [m for m in members if date is None or m.start_date <= date]
        if date is not None and not plans and "date" not in errors:
            errors["date"] = [f"No plan of {group.name} had started by {_fmt_day(date)}."]
        marks = attended if isinstance(attended, Mapping) else {m.pk: bool(attended) for m in plans}
        missing = [m.student.full_name for m in plans if m.pk not in marks]
        if missing:
            errors["attended"] = [f"Say whether {', '.join(missing)} attended."]
        _raise(errors)
        present = {m.pk: bool(marks[m.pk]) for m in plans}
    rows = [
        InterventionSession(
            plan=p,
            date=date,
            minutes=minutes,
            attended=present[p.pk],
            group=group,
            logged_by=actor,
        )
        for p in plans
    ]
    saved = InterventionSession.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["plan", "date"],
        update_fields=["minutes", "attended", "group", "logged_by"],
    )
    audit_record_many(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=SESSION_OBJECT,
        student_ids=[p.student_id for p in plans],
        request=request,
        detail={
            "date": date.isoformat(),
            "minutes": minutes,
            "group": group.pk if group else None,
            "attended": {str(k): v for k, v in present.items()},
        },
    )
    progress_summary.refresh(plan_ids=[p.pk for p in plans])
    return saved


# -- fidelity observations and student ownership -----------------------------------------


@transaction.atomic
def fidelity_observation_record(
    *,
    plan: InterventionPlan,
    date: dt.date,
    answers: Sequence[bool],
    observer: User | None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> FidelityObservation:
    """An observation against the current intervention's checklist: percentage of items done."""
    _require(may_record_for_plan(observer, plan), NOT_YOUR_PLAN)
    _lock(plan)
    _require_active(plan, "fidelity observations")
    checklist = list(plan.intervention.fidelity_checklist or [])
    errors: dict[str, list[str]] = {}
    if not checklist:
        raise ApplicationError(
            f"{plan.intervention.name} has no fidelity checklist in the catalog to observe against."
        )
    if len(answers) != len(checklist) or not all(isinstance(a, bool) for a in answers):
        errors["answers"] = [f"Answer each of the {len(checklist)} checklist items yes or no."]
    if date is None:
        errors["date"] = ["Enter the date of the observation."]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="observation")
    _raise(errors)
    done = sum(1 for a in answers if a)
    percentage = (Decimal(100 * done) / Decimal(len(checklist))).quantize(Decimal("0.01"))
    observation = FidelityObservation.objects.create(
        plan=plan,
        date=date,
        observer=observer,
        answers=[
            {"item": item, "done": bool(a)} for item, a in zip(checklist, answers, strict=True)
        ],
        percentage=percentage,
        notes=(notes or "").strip(),
    )
    audit_record(
        user=observer,
        action=AccessLog.Action.CREATE,
        object_type=FIDELITY_OBJECT,
        object_id=observation.pk,
        student=plan.student_id,
        request=request,
        detail={"plan": plan.pk, "date": date.isoformat(), "percentage": str(percentage)},
    )
    return observation


@transaction.atomic
def goal_statement_record(
    *,
    plan: InterventionPlan,
    text: str,
    date: dt.date,
    actor: User | None,
    request: HttpRequest | None = None,
) -> StudentGoalStatement:
    """The student's own goal, in their words."""
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["text"] = ["Write the student's goal in their words."]
    if date is None:
        errors["date"] = ["Enter the date."]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="student set the goal")
    _raise(errors)
    statement = StudentGoalStatement.objects.create(
        plan=plan, date=date, text=text.strip(), recorded_by=actor
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=OWNERSHIP_OBJECT,
        object_id=statement.pk,
        student=plan.student_id,
        request=request,
        detail={"plan": plan.pk, "kind": "goal_statement"},
    )
    return statement


@transaction.atomic
def self_rating_record(
    *,
    plan: InterventionPlan,
    date: dt.date,
    rating: int,
    actor: User | None,
    note: str = "",
    request: HttpRequest | None = None,
) -> SelfRating:
    """The student's rating of how it is going, 1 (not well) to 5 (very well)."""
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    errors: dict[str, list[str]] = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = ["Choose a rating from 1 (not well) to 5 (very well)."]
    if date is None:
        errors["date"] = ["Enter the date."]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="rating")
    _raise(errors)
    rated = SelfRating.objects.create(
        plan=plan, date=date, rating=rating, note=(note or "").strip(), recorded_by=actor
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=OWNERSHIP_OBJECT,
        object_id=rated.pk,
        student=plan.student_id,
        request=request,
        detail={"plan": plan.pk, "kind": "self_rating", "rating": rating},
    )
    return rated
