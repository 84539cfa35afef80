"""Plans: start, change the schedule, group or interventionist, and close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from interventions import progress_summary
from interventions.models import Intervention, InterventionGroup, InterventionPlan, PlanPhase
from interventions.services.checks import _fmt_day, _lock, _raise, _require_active, _today
from interventions.services.entry import plan_entry_check
from interventions.services.judging import current_plan, plan_decision_judge
from interventions.services.permissions import (
    NOT_A_MANAGER,
    NOT_YOUR_PLAN,
    _require,
    may_manage_plans,
    may_record_for_plan,
    may_start_plan,
)
from interventions.services.plan_checks import (
    _check_dosage,
    _check_goal,
    _check_measure,
    _check_plan_parts,
    _check_staff,
)
from interventions.services.tiers import _domain_tier, tier_place
from interventions.signals import plan_started_outside_meeting
from mtss.errors import ApplicationError
from screening.models import Measure
from students.audit import AuditContext, audit_record
from students.idempotency import idempotency_claim, idempotency_settle, replayed
from students.models import AccessLog, Student, User

PLAN_OBJECT = "intervention_plan"
CLOSE_SCOPE = "plan_close"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


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


def close_decision_type(*, status: str, tier: int, next_tier: int | None) -> str:
    """What closing a plan decides: a move up ("intensify": to Tier 3), a step down ("fade"),
    completing it ("exit"), or nothing the rules judge ("": discontinued, no tier change,
    for example the student moved away)."""
    if next_tier is not None and next_tier > tier:
        return "intensify"
    if next_tier is not None and 1 < next_tier < tier:
        return "fade"
    if status == InterventionPlan.Status.COMPLETED:
        return "exit"
    return ""


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
    audit: AuditContext | None = None,
    outside_meeting: bool = False,
    override_reason: str | None = None,
) -> InterventionPlan:
    """Start a plan: check it, record phase 1 and the student's tier in the domain.

    `outside_meeting` (the plan page, the API): no team decision answers the student's open
    flags, so `plan_started_outside_meeting` is sent for the decision rules to do it.

    `baseline` None (or "") means "the median of the first three points". The entry criteria
    are checked against the student's latest screening risk in the domain; a student who does
    not meet them can be placed only with `entry_override_reason`.

    `override_reason` not None (the plan page, the API): a plan at a higher tier than the
    student's current plan in the domain moves them up (an escalation): the fidelity gate
    judges it on the current plan, and against the rules it needs the reason.
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
    names = {"student": student.full_name, "intervention": intervention.name}
    if not check.met and not override:
        errors.setdefault("entry_override_reason", []).append(
            gettext(
                "%(student)s does not meet the entry criteria of %(intervention)s: %(reasons)s Give the reason for placing them anyway."
            )
            % {**names, "reasons": " ".join(r for r in check.reasons)}
        )
    _raise(errors)
    if override_reason is not None:
        current = current_plan(student, [domain])
        if current is not None and tier > current.tier:
            plan_decision_judge(
                plan=current,
                type="intensify",
                override_reason=override_reason,
                actor=actor,
                gate_only=True,
            )
    if InterventionPlan.objects.filter(
        student=student, intervention=intervention, status=InterventionPlan.Status.ACTIVE
    ).exists():
        raise ApplicationError(
            gettext(
                "%(student)s already has an active %(intervention)s plan. Change that plan's goal or phase instead of starting a second one."
            )
            % names
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
        audit=audit,
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
        audit=audit,
    )
    progress_summary.refresh(plan_ids=[plan.pk])
    if outside_meeting:
        plan_started_outside_meeting.send(
            sender=InterventionPlan, plan=plan, actor=actor, audit=audit
        )
    return plan


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
    audit: AuditContext | None = None,
    idempotency_key: str = "",
    override_reason: str | None = None,
) -> InterventionPlan:
    """Complete or discontinue a plan and move the student's tier in the domain.

    The new tier is `next_tier` when given (for example 2 to fade a Tier 3 student), else what
    the student's other active plans in the domain call for (Tier 1 when none). It can never
    be below another active plan's tier. The same `idempotency_key` again (a double submit)
    changes nothing and returns the closed plan.

    `override_reason` not None (the plan page, the API): closing is a decision judged against
    the plan's analysis (`close_decision_type`: exit, fade, or a move up to Tier 3, which the
    fidelity gate holds); against the rules it needs the reason.
    """
    _require(
        may_manage_plans(
            actor, school_id=plan.student.school_id, district_id=plan.student.district_id
        ),
        NOT_A_MANAGER,
    )
    prior = idempotency_claim(key=idempotency_key, scope=CLOSE_SCOPE, actor=actor)
    if prior is not None:
        return replayed(InterventionPlan.objects.get(pk=prior))
    _lock(plan)
    _require_active(plan, "a closing decision")
    errors: dict[str, list[str]] = {}
    if status not in (InterventionPlan.Status.COMPLETED, InterventionPlan.Status.DISCONTINUED):
        errors["status"] = [gettext("Close a plan as completed or discontinued.")]
    if not (exit_reason or "").strip():
        errors["exit_reason"] = [gettext("Say why the plan ends (for example, goal met).")]
    end = end_date or _today()
    if end < plan.start_date:
        start = {"start": _fmt_day(plan.start_date)}
        errors["end_date"] = [gettext("The plan started on %(start)s.") % start]
    elif end > _today():
        errors["end_date"] = [gettext("A plan cannot end in the future.")]
    remaining = _domain_tier(plan.student, plan.domain, excluding=plan.pk)
    if next_tier is not None and next_tier not in (1, 2, 3):
        errors["next_tier"] = [gettext("Tier must be 1, 2 or 3.")]
    elif next_tier is not None and next_tier < remaining:
        errors["next_tier"] = [
            gettext("The student has another active Tier %(remaining)s plan in this domain.")
            % {"remaining": remaining}
        ]
    _raise(errors)
    decision = close_decision_type(status=status, tier=plan.tier, next_tier=next_tier)
    if override_reason is not None and decision:
        plan_decision_judge(plan=plan, type=decision, override_reason=override_reason, actor=actor)
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
        audit=audit,
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
        audit=audit,
    )
    idempotency_settle(key=idempotency_key, scope=CLOSE_SCOPE, result_id=plan.pk)
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
    audit: AuditContext | None = None,
    override_reason: str | None = None,
) -> InterventionPlan:
    """Change a plan's schedule, group or interventionist (not its goal: that is a new phase).

    The interventionist may change the schedule and group; reassigning the plan to another
    interventionist is for the team.

    `override_reason` not None (the plan page, the API): more minutes a week is an
    escalation (intensify) held by the fidelity gate; against it, it needs the reason.
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
    weekly = changes.get("sessions_per_week", plan.sessions_per_week) * changes.get(
        "minutes_per_session", plan.minutes_per_session
    )
    if override_reason is not None and weekly > plan.sessions_per_week * plan.minutes_per_session:
        plan_decision_judge(
            plan=plan,
            type="intensify",
            override_reason=override_reason,
            actor=actor,
            gate_only=True,
        )
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
        audit=audit,
        detail={"before": before, "after": _plan_detail(plan)},
    )
    if "sessions_per_week" in changes:
        progress_summary.refresh(plan_ids=[plan.pk])
    return plan
