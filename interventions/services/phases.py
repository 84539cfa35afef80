"""A plan's next phase: a new intervention and/or goal, earlier phases kept."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from interventions import progress_summary
from interventions.models import Intervention, InterventionPlan, PlanPhase, ProgressScore
from interventions.services.checks import _fmt_day, _lock, _raise, _require_active, _today
from interventions.services.judging import plan_decision_judge
from interventions.services.permissions import NOT_YOUR_PLAN, _require, may_record_for_plan
from interventions.services.plan_checks import _check_goal, _check_plan_parts
from interventions.services.plans import PLAN_OBJECT, _plan_detail
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_record
from students.idempotency import idempotency_claim, idempotency_settle, replayed
from students.models import AccessLog, User
from students.versioning import require_version

PHASE_SCOPE = "plan_phase"


def _phase_values(phase: PlanPhase | None) -> dict[str, str]:
    if phase is None:
        return {}
    return {
        "intervention": str(phase.intervention),
        "goal": f"{phase.goal.normalize():f}",
        "goal_date": phase.goal_date.isoformat(),
        "start_date": phase.start_date.isoformat(),
        "reason": phase.reason,
    }


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
    audit: AuditContext | None = None,
    version: int | None = None,
    idempotency_key: str = "",
    override_reason: str | None = None,
) -> PlanPhase:
    """Start the plan's next phase with a new intervention and/or goal; earlier phases stay.

    `start_date` defaults to today and must be after the current phase's start. `baseline`
    None: the median of the last three points before the new phase (where the student is
    now), or, with no points yet, the median of the new phase's first three points.

    `version` is the number of the phase the person was looking at (the phase number is the
    plan's version): when a colleague started another phase since, EditConflict shows
    theirs and this one, and nothing changes. The same `idempotency_key` again (a double
    submit) returns the phase the first request started.

    `override_reason` not None (the plan page, the API): the change is a decision judged here
    (interventions.services.judging: a "modify the plan" against the plan's analysis, and a
    new intervention is an escalation held by the fidelity gate); against the rules it needs
    the reason. None: the caller judged it already (a team meeting's decision).
    """
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    prior = idempotency_claim(key=idempotency_key, scope=PHASE_SCOPE, actor=actor)
    if prior is not None:
        return replayed(PlanPhase.objects.get(pk=prior))
    _lock(plan)
    _require_active(plan, "a new phase")
    current = plan.phases.order_by("-number").first()
    require_version(
        expected=version,
        current=current.number if current else 0,
        what="plan's goal and intervention",
        saved=lambda: _phase_values(current),
        yours=lambda: {
            "intervention": str(intervention or plan.intervention),
            "goal": "" if goal in (None, "") else str(goal),
            "goal_date": (goal_date or plan.goal_date).isoformat(),
            "start_date": (start_date or _today()).isoformat(),
            "reason": (reason or "").strip(),
        },
    )
    errors: dict[str, list[str]] = {}
    start = start_date or _today()
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the plan changes (for example, the team's decision).")]
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
            _("Nothing changes: choose another intervention, goal or goal date.")
        )
    current_start = plan.current_phase_start
    if start <= current_start:
        errors.setdefault("start_date", []).append(
            _("A new phase must start after the current one (%(current_start)s).")
            % {"current_start": _fmt_day(current_start)}
        )
    elif start > _today():
        errors.setdefault("start_date", []).append(_("A new phase cannot start in the future."))
    if plan.measure is None:
        raise ApplicationError(_("This plan has no progress measure; set one first."))
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
    if override_reason is not None:
        plan_decision_judge(
            plan=plan,
            type="modify_plan",
            override_reason=override_reason,
            actor=actor,
            changes_intervention=new_intervention.pk != plan.intervention_id,
        )
    number = (current.number if current else 0) + 1
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
        audit=audit,
        detail={
            "phase": number,
            "reason": phase.reason,
            "before": before,
            "after": _plan_detail(plan),
        },
    )
    progress_summary.refresh(plan_ids=[plan.pk])
    idempotency_settle(key=idempotency_key, scope=PHASE_SCOPE, result_id=phase.pk)
    return phase
