"""Is a decision about a plan what the plan's own data asks for? The fidelity gate and the
plan-analysis judgement (pure: plain values in, a verdict out; no ORM, clock or settings).

Every place that decides about a plan judges it here: a team meeting (meetings.alignment,
which adds the flag judgement for decisions that are not about a plan), the plan page and the
plans API (interventions.services.judging). docs/rules.md ("Judging decisions") has the
tables; the order is:

1. The fidelity gate. Escalating on lack of response (intensify, move to Tier 3, refer for
   evaluation while the student has a plan in the domain, change the intervention) while the
   current plan's fidelity is below the district's minimum, or unknown, goes against the
   rules: a plan that was not delivered cannot show that it failed.
2. A decision about an existing plan (continue, modify, intensify, fade, exit, and an
   evaluation referral on a plan whose analysis says change) is judged against that plan's
   current analysis.
3. When the analysis has too few points to say anything about a decision that needs data
   (fade, exit, intensify, an evaluation referral), the plan cannot judge it: the caller falls
   back to the flags the decision answers, and with none the verdict is "not enough data"
   (`follows` None), never "against the rules".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Decision types (meetings.models.DecisionType values; plan-page actions map onto them).
PLAN_DECISIONS = frozenset({"continue", "modify_plan", "intensify", "fade", "exit"})
ESCALATIONS = frozenset({"intensify", "place_tier3", "refer_evaluation"})
TIER3_ESCALATIONS = frozenset({"place_tier3", "intensify", "refer_evaluation"})

# What a plan's analysis (interventions.analysis.rules) asks for, and the decisions that
# carry it out. "continue" follows every analysis but "change the intervention": a plan on
# or above its aim line, or at its goal, may go on, so better scores never turn a continue,
# fade or exit that followed the rules into one against them.
PLAN_FOLLOWING: dict[str, frozenset[str]] = {
    "exit": frozenset({"exit", "fade", "continue"}),
    "raise_goal": frozenset({"modify_plan", "continue"}),
    "continue": frozenset({"continue"}),
    "insufficient_data": frozenset({"continue", "modify_plan"}),
    "improve_fidelity": frozenset({"continue", "modify_plan"}),
    "change_intervention": frozenset({"modify_plan", "intensify", "refer_evaluation"}),
}
PLAN_WORDS = {
    "exit": "the plan's analysis: goal met, exit or fade",
    "raise_goal": "the plan's analysis: raise the goal",
    "continue": "the plan's analysis: continue",
    "insufficient_data": "the plan's analysis: too few points yet, continue",
    "improve_fidelity": "the plan's analysis: deliver the plan as written first",
    "change_intervention": "the plan's analysis: change the intervention",
}
# Decisions that need progress data to be judged: with too few points the plan is silent.
NEEDS_DATA = frozenset({"exit", "fade", "intensify", "refer_evaluation"})
NOT_ENOUGH_DATA_WORDS = (
    "not enough data: the plan has {points} progress point{s} in this phase, too few to judge "
    "this decision"
)
FIDELITY_GATE_WORDS = (
    "the fidelity gate: the current plan's fidelity is {fidelity}, below the district's "
    "minimum of {minimum:.0%}; deliver it as written before escalating"
)


@dataclass(frozen=True)
class PlanEvidence:
    """A plan's current analysis (interventions.analysis.Analysis) as the judge needs it.
    `recommendation` "" means the plan has no analysis (no measure, goal or goal date)."""

    plan_id: int
    recommendation: str
    rule: str
    fidelity: float | None
    dual_discrepancy: bool = False
    points: int = 0


@dataclass(frozen=True)
class Verdict:
    """`follows` True (follows the rules), False (against them: needs a rationale) or None
    (nothing to judge it against). `basis`: "fidelity_gate", "plan", "flags",
    "not_enough_data" or "none". `evidence` is what the record keeps."""

    follows: bool | None
    basis: str
    recommendation: str
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        """The rule the decision was judged against, as a short name."""
        if self.basis == "plan":
            return str(self.evidence.get("rule") or "plan_analysis")
        if self.basis == "flags":
            return str(self.evidence.get("flag_kind") or "")
        return self.basis

    def as_record(self) -> dict[str, Any]:
        return {"basis": self.basis, "recommendation": self.recommendation, **self.evidence}


def fidelity_below(fidelity: float | None, minimum: float) -> bool:
    """Unknown fidelity counts as below: nothing shows the plan was delivered."""
    return fidelity is None or fidelity < minimum - 1e-9


def escalates(decision_type: str, *, changes_intervention: bool = False) -> bool:
    return decision_type in ESCALATIONS or (decision_type == "modify_plan" and changes_intervention)


def fidelity_gate(
    decision_type: str,
    plan: PlanEvidence | None,
    *,
    fidelity_minimum: float,
    changes_intervention: bool = False,
) -> Verdict | None:
    """The gate's verdict when it holds the decision back, else None."""
    if plan is None or not escalates(decision_type, changes_intervention=changes_intervention):
        return None
    if not fidelity_below(plan.fidelity, fidelity_minimum):
        return None
    shown = "unknown" if plan.fidelity is None else f"{plan.fidelity:.0%}"
    return Verdict(
        follows=False,
        basis="fidelity_gate",
        recommendation=FIDELITY_GATE_WORDS.format(fidelity=shown, minimum=fidelity_minimum),
        evidence={
            "rule": "fidelity_gate",
            "plan": plan.plan_id,
            "fidelity": plan.fidelity,
            "minimum": fidelity_minimum,
            "points": plan.points,
        },
    )


def judge_on_plan(
    decision_type: str,
    plan: PlanEvidence | None,
    *,
    fidelity_minimum: float,
    changes_intervention: bool = False,
) -> Verdict | None:
    """The verdict of the gate and the plan's analysis; None when neither speaks (not a plan
    decision, or too few points for one that needs data): the caller judges by the flags."""
    gate = fidelity_gate(
        decision_type,
        plan,
        fidelity_minimum=fidelity_minimum,
        changes_intervention=changes_intervention,
    )
    if gate is not None:
        return gate
    if plan is None:
        return None
    on_plan = decision_type in PLAN_DECISIONS or (
        decision_type == "refer_evaluation" and plan.recommendation == "change_intervention"
    )
    if not on_plan:
        return None
    silent = plan.recommendation in ("", "insufficient_data") and not plan.dual_discrepancy
    if silent and decision_type in NEEDS_DATA:
        return None
    following = set(PLAN_FOLLOWING.get(plan.recommendation, frozenset({"continue"})))
    words = PLAN_WORDS.get(plan.recommendation, "the plan has no analysis yet: continue")
    if plan.dual_discrepancy:
        following |= TIER3_ESCALATIONS
        words += "; dual discrepancy: consider Tier 3"
    return Verdict(
        follows=decision_type in following,
        basis="plan",
        recommendation=words,
        evidence={
            "plan": plan.plan_id,
            "rule": plan.rule or "none",
            "analysis": plan.recommendation or "none",
            "dual_discrepancy": plan.dual_discrepancy,
            "fidelity": plan.fidelity,
            "points": plan.points,
        },
    )


def not_enough_data(plan: PlanEvidence) -> Verdict:
    """No flag and a plan with too few points: nothing to judge the decision against."""
    return Verdict(
        follows=None,
        basis="not_enough_data",
        recommendation=NOT_ENOUGH_DATA_WORDS.format(
            points=plan.points, s="" if plan.points == 1 else "s"
        ),
        evidence={"plan": plan.plan_id, "rule": "none", "points": plan.points},
    )


def judge_plan_decision(
    decision_type: str,
    plan: PlanEvidence,
    *,
    fidelity_minimum: float,
    changes_intervention: bool = False,
) -> Verdict:
    """A decision taken on the plan page or through the plans API (no flags answered)."""
    verdict = judge_on_plan(
        decision_type,
        plan,
        fidelity_minimum=fidelity_minimum,
        changes_intervention=changes_intervention,
    )
    if verdict is not None:
        return verdict
    if decision_type in NEEDS_DATA or decision_type in PLAN_DECISIONS:
        return not_enough_data(plan)
    return Verdict(follows=None, basis="none", recommendation="")
