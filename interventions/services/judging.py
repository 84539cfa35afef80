"""Judging a decision about a plan where it is taken: the fidelity gate and the plan's own
analysis (interventions.analysis.judgement), read from the database for one plan.

Meetings judge their decisions with these readers too (meetings.alignment adds the flags);
the plan page and the plans API call `plan_decision_judge`, which refuses a decision against
the rules without an override reason and records the verdict as a PlanDecision in the
caller's transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from interventions.analysis.judgement import (
    PlanEvidence,
    Verdict,
    fidelity_gate,
    judge_plan_decision,
)
from interventions.models import InterventionPlan, PlanDecision
from interventions.selectors.plan_analysis import plan_views
from interventions.selectors.visibility import PLAN_RELATED
from students.models import Student, User

OVERRIDE_REASON_NEEDED = (
    "This goes against the rules ({rec}). Say why, in the override reason, or choose "
    "another decision."
)


def plan_evidences(plans: list[InterventionPlan]) -> dict[int, tuple[PlanEvidence, float]]:
    """Each plan's current analysis as the judge reads it, with its district's fidelity
    minimum (a constant number of queries)."""
    if not plans:
        return {}
    fresh = list(
        InterventionPlan.objects.filter(pk__in=[p.pk for p in plans]).select_related(*PLAN_RELATED)
    )
    views = plan_views(fresh, as_of=timezone.localdate())
    result: dict[int, tuple[PlanEvidence, float]] = {}
    for pk, view in views.items():
        a = view.analysis
        evidence = PlanEvidence(
            plan_id=pk,
            recommendation=a.recommendation if a else "",
            rule=a.rule if a else "",
            fidelity=a.fidelity if a else None,
            dual_discrepancy=bool(a and a.dual_discrepancy),
            points=a.points if a else len(view.phase_points),
        )
        result[pk] = (evidence, float(view.thresholds.fidelity_minimum))
    return result


def plan_evidence(plan: InterventionPlan) -> tuple[PlanEvidence, float]:
    return plan_evidences([plan])[plan.pk]


def current_plan(student: Student, domains: list[str]) -> InterventionPlan | None:
    """The student's current plan among `domains` (all domains when empty): the active plan
    at the highest tier, the latest started first. The fidelity gate reads its fidelity."""
    qs = InterventionPlan.objects.filter(student=student, status=InterventionPlan.Status.ACTIVE)
    if domains:
        qs = qs.filter(domain__in=domains)
    return qs.order_by("-tier", "-start_date", "-pk").first()


def _record(
    *,
    plan: InterventionPlan,
    type: str,
    verdict: Verdict,
    override_reason: str,
    actor: User | None,
) -> PlanDecision:
    return PlanDecision.objects.create(
        plan=plan,
        student_id=plan.student_id,
        type=type,
        follows_rule=verdict.follows,
        is_override=verdict.follows is False,
        override_reason=override_reason if verdict.follows is False else "",
        recommendation=verdict.recommendation[:200],
        judged_basis=verdict.basis,
        judged_rule=verdict.rule[:40],
        judged_evidence=verdict.evidence,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _check(verdict: Verdict, override_reason: str) -> None:
    if verdict.follows is False and not override_reason:
        raise ValidationError(
            {"override_reason": [OVERRIDE_REASON_NEEDED.format(rec=verdict.recommendation)]}
        )


def plan_decision_judge(
    *,
    plan: InterventionPlan,
    type: str,
    override_reason: str,
    actor: User | None,
    changes_intervention: bool = False,
    gate_only: bool = False,
) -> Verdict:
    """Judge a plan-page or API decision about `plan`; refuse it (ValidationError on
    `override_reason`) when it goes against the rules without a reason; record it.

    `gate_only`: only the fidelity gate speaks (schedule changes and plan starts: they are
    not answers to the plan's analysis, but adding support over an undelivered plan is an
    escalation all the same)."""
    override_reason = (override_reason or "").strip()
    evidence, minimum = plan_evidence(plan)
    if gate_only:
        verdict = fidelity_gate(type, evidence, fidelity_minimum=minimum) or Verdict(
            follows=None, basis="none", recommendation=""
        )
    else:
        verdict = judge_plan_decision(
            type,
            evidence,
            fidelity_minimum=minimum,
            changes_intervention=changes_intervention,
        )
    _check(verdict, override_reason)
    if verdict.basis != "none":
        _record(plan=plan, type=type, verdict=verdict, override_reason=override_reason, actor=actor)
    return verdict
