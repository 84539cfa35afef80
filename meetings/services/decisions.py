"""Recording the team's decision about a student and applying its effects, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from decisions import services as flag_services
from decisions.models import Flag
from interventions.analysis.judgement import ESCALATIONS
from interventions.models import Intervention, InterventionPlan
from interventions.services import judging
from meetings import alignment
from meetings.models import AgendaItem, Concern, Decision, DecisionType, Meeting
from meetings.services.agenda import review_weeks
from meetings.services.audit import actor_id, log_access
from meetings.services.guards import require_open, require_team
from students.audit import AuditContext
from students.idempotency import idempotency_claim, idempotency_settle, replayed
from students.models import AccessLog, Student, User

PLACEMENTS = (DecisionType.PLACE_TIER2, DecisionType.PLACE_TIER3)
PLAN_CHANGES = (
    DecisionType.CONTINUE,
    DecisionType.MODIFY_PLAN,
    DecisionType.INTENSIFY,
    DecisionType.FADE,
    DecisionType.EXIT,
)
DECISION_SCOPE = "meeting_decision"
RATIONALE_REQUIRED = _("Say why: the team's reason is part of the record.")
OVERRIDE_RATIONALE = (
    "This goes against the rules' recommendation ({rec}). Say why the team decided otherwise."
)


def _answered_flags(
    item: AgendaItem | None, student: Student, type: str, domain: str, flags: Sequence[Flag] | None
) -> list[Flag]:
    """The live flags a decision answers: the ones named, else the item's live flags in the
    decision's domain (all of them when the decision names no domain)."""
    if flags is not None:
        chosen = list(flags)
        for f in chosen:
            if f.student_id != student.pk:
                raise ValidationError({"flags": [gettext("Choose flags of this student.")]})
        return [f for f in chosen if f.is_live]
    if item is None:
        return []
    live = [f for f in item.flags.all() if f.is_live]
    if domain:
        live = [f for f in live if f.domain == domain]
    return live


def _judge(
    *,
    type: str,
    student: Student,
    domain: str,
    plan: InterventionPlan | None,
    intervention: Intervention | None,
    answered: list[Flag],
) -> alignment.Verdict:
    """The decision's verdict (meetings.alignment.judge): against the plan decided on (its
    current analysis), else the flags it answers; the student's current plan in the domain
    holds every escalation at the fidelity gate."""
    recs = [
        alignment.Recommendation(
            kind=f.kind, recommended_tier=f.recommended_tier, classwide_context=f.classwide_context
        )
        for f in answered
    ]
    gate_plan = plan
    if gate_plan is None and type in ESCALATIONS:
        domains = [domain] if domain else sorted({f.domain for f in answered})
        gate_plan = judging.current_plan(student, domains)
    evidence, minimum = judging.plan_evidence(gate_plan) if gate_plan is not None else (None, 0.0)
    changes = (
        type == DecisionType.MODIFY_PLAN
        and plan is not None
        and intervention is not None
        and intervention.pk != plan.intervention_id
    )
    return alignment.judge(
        type,
        recs=recs,
        plan=evidence,
        fidelity_minimum=minimum,
        changes_intervention=changes,
    )


@transaction.atomic
def meeting_record_decision(
    *,
    meeting: Meeting,
    item: AgendaItem | None,
    student: Student | None = None,
    type: str,
    actor: User | None,
    rationale: str = "",
    domain: str = "",
    flags: Sequence[Flag] | None = None,
    intervention: Intervention | None = None,
    plan: InterventionPlan | None = None,
    interventionist: User | None = None,
    start_date: dt.date | None = None,
    review_date: dt.date | None = None,
    sessions_per_week: int | None = None,
    minutes_per_session: int | None = None,
    planned_weeks: int | None = None,
    measure: Any = None,
    goal: Any = None,
    goal_date: dt.date | None = None,
    tier: int | None = None,
    audit: AuditContext | None = None,
    idempotency_key: str = "",
) -> Decision:
    """Record the team's decision about one student and apply its effects, all or nothing.

    - place_tier2 / place_tier3: a new plan (interventions.services.plan_start, entry
      criteria checked; when the student does not meet them, the rationale is the override
      reason), which records the tier placement;
    - continue: the plan goes on (the decision is its review);
    - modify_plan / intensify / fade: a new phase of the plan (plan_change_phase) with the
      new intervention, goal or dosage; intensify/fade may change the tier;
    - exit: the plan closes as completed (plan_close) and the student returns to Tier 1;
    - refer_evaluation, monitor: no plan change;
    - dismiss_flag: the answered flags are dismissed with the rationale.
    The flags it answers are accepted (dismissed for dismiss_flag, and for monitor against
    a recommendation). A decision against the rules' recommendation needs a rationale.
    The same `idempotency_key` sent again (a double submit) records nothing and returns the
    first decision (students/idempotency.py).
    """
    prior = idempotency_claim(key=idempotency_key, scope=DECISION_SCOPE, actor=actor)
    if prior is not None:
        return replayed(Decision.objects.get(pk=prior))
    if item is not None:
        if item.meeting_id != meeting.pk:
            raise ValidationError({"item": [gettext("This item belongs to another meeting.")]})
        student = item.student
    if student is None:
        raise ValidationError({"student": [gettext("Choose the student the decision is about.")]})
    require_team(actor, meeting.school_id)
    require_open(meeting)
    if student.school_id != meeting.school_id:
        raise ValidationError({"student": [gettext("Choose a student of this school.")]})
    if type not in DecisionType.values:
        raise ValidationError({"type": [gettext("Choose one of the decisions offered.")]})
    rationale = (rationale or "").strip()
    if len(rationale) > 5000:
        raise ValidationError(
            {"rationale": [gettext("Keep the rationale under 5,000 characters.")]}
        )
    if plan is not None and plan.student_id != student.pk:
        raise ValidationError({"plan": [gettext("Choose a plan of this student.")]})
    if type in PLACEMENTS:
        if intervention is None:
            raise ValidationError(
                {"intervention": [gettext("Choose an intervention from the catalog.")]}
            )
        domain = intervention.domain
    elif type in PLAN_CHANGES:
        if plan is None:
            raise ValidationError({"plan": [gettext("Choose the plan this decision is about.")]})
        if plan.status != InterventionPlan.Status.ACTIVE:
            raise ValidationError(
                {"plan": [gettext("This plan has ended; choose an active plan.")]}
            )
        domain = plan.domain
    answered = _answered_flags(item, student, type, domain, flags)
    if type == DecisionType.DISMISS_FLAG:
        if not answered:
            raise ValidationError({"flags": [gettext("There is no open flag to dismiss.")]})
        if not rationale:
            raise ValidationError({"rationale": [RATIONALE_REQUIRED]})
    verdict = _judge(
        type=type,
        student=student,
        domain=domain,
        plan=plan,
        intervention=intervention,
        answered=answered,
    )
    follows = verdict.follows
    rec_words = verdict.recommendation[:200]
    if follows is False and not rationale:
        raise ValidationError({"rationale": [OVERRIDE_RATIONALE.format(rec=rec_words)]})

    # Lock the student's live flags so a sweep cannot resolve them under us.
    list(Flag.objects.select_for_update().filter(pk__in=[f.pk for f in answered]).values_list("pk"))

    from meetings import effects

    outcome = effects.apply(
        type=type,
        student=student,
        meeting=meeting,
        actor=actor,
        rationale=rationale,
        domain=domain,
        intervention=intervention,
        plan=plan,
        interventionist=interventionist,
        start_date=start_date or timezone.localtime(meeting.scheduled_at).date(),
        sessions_per_week=sessions_per_week,
        minutes_per_session=minutes_per_session,
        planned_weeks=planned_weeks,
        measure=measure,
        goal=goal,
        goal_date=goal_date,
        tier=tier,
        audit=audit,
    )
    result_plan = outcome.plan
    meeting_day = timezone.localtime(meeting.scheduled_at).date()
    if review_date is None and type not in (
        DecisionType.EXIT,
        DecisionType.DISMISS_FLAG,
        DecisionType.REFER_EVALUATION,
    ):
        review_date = (outcome.start_date or meeting_day) + dt.timedelta(weeks=review_weeks())
    details = {
        "intervention": (outcome.intervention.name if outcome.intervention else ""),
        "interventionist": outcome.interventionist_name,
        "sessions_per_week": outcome.sessions_per_week,
        "minutes_per_session": outcome.minutes_per_session,
        "start_date": outcome.start_date.isoformat() if outcome.start_date else None,
        "review_date": review_date.isoformat() if review_date else None,
        "flags": [f"{f.get_kind_display()}, {f.get_domain_display().lower()}" for f in answered],
        "entry_criteria_met": outcome.entry_criteria_met,
    }
    decision = Decision.objects.create(
        meeting=meeting,
        item=item,
        student=student,
        type=type,
        domain=domain,
        tier=outcome.tier,
        intervention=outcome.intervention,
        plan=result_plan,
        rationale=rationale,
        follows_rule=follows,
        is_override=follows is False,
        recommendation=rec_words,
        judged_basis=verdict.basis,
        judged_rule=verdict.rule[:40],
        judged_evidence=verdict.evidence,
        details=details,
        recorded_by_id=actor_id(actor),
    )
    decision.flags.set(answered)
    dismiss = type == DecisionType.DISMISS_FLAG or (
        type == DecisionType.MONITOR and follows is False
    )
    for f in answered:
        if dismiss:
            flag_services.flag_dismiss(
                flag=f,
                reason=f"{decision.get_type_display()}: {rationale}",
                actor=actor,
                audit=audit,
            )
        else:
            flag_services.flag_accept(flag=f, actor=actor, audit=audit)
    if item is not None:
        AgendaItem.objects.filter(pk=item.pk).update(
            status=AgendaItem.Status.DISCUSSED, updated_at=timezone.now()
        )
        item.concerns.filter(status=Concern.Status.ON_AGENDA).update(
            status=Concern.Status.DISCUSSED, updated_at=timezone.now()
        )
    log_access(
        actor,
        AccessLog.Action.CREATE,
        "meeting_decision",
        decision.pk,
        student=student,
        audit=audit,
        detail={
            "type": type,
            "plan": result_plan.pk if result_plan else None,
            "against_rule": decision.is_override,
            "judged": verdict.as_record(),
        },
    )
    idempotency_settle(key=idempotency_key, scope=DECISION_SCOPE, result_id=decision.pk)
    return decision
