"""Does a team decision follow the decision rules' recommendation, or override it?

Pure: flag kinds, tiers and decision types (plain strings) in, a verdict out. A decision that
overrides the rules needs a rationale and is marked, so dashboards can show how often teams
go against the rules (docs/meetings.md has the table).

The governing recommendation is the most urgent of the flags the decision answers (the same
order as the agenda: Tier 3 / change first). A decision follows it when its type is one of
the types that carry that recommendation out:

| recommendation                                   | decisions that follow it                      |
| ------------------------------------------------ | --------------------------------------------- |
| Tier 3 (screening, referrals, dual discrepancy)  | place_tier3, intensify, refer_evaluation       |
| change the intervention                          | modify_plan, intensify, place_tier3, refer_evaluation |
| Tier 2 (screening, referrals, October catch)     | place_tier2, continue, modify_plan             |
| Tier 2 in a class with a classwide problem       | the same, and monitor (core instruction first) |
| deliver the plan as written first (fidelity)     | continue, modify_plan                          |
| goal met: exit or fade                           | exit, fade                                     |
| raise the goal                                   | modify_plan                                    |

`dismiss_flag` never follows (the team sets the rule aside); with no flag there is no
recommendation and the verdict is None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from meetings.agenda import flag_group

TIER3 = frozenset({"place_tier3", "intensify", "refer_evaluation"})
CHANGE = frozenset({"modify_plan", "intensify", "place_tier3", "refer_evaluation"})
TIER2 = frozenset({"place_tier2", "continue", "modify_plan"})
FIDELITY = frozenset({"continue", "modify_plan"})
EXIT = frozenset({"exit", "fade"})
RAISE_GOAL = frozenset({"modify_plan"})

RECOMMENDATION_WORDS = {
    "tier3": "Tier 3",
    "change": "change the intervention",
    "tier2": "Tier 2",
    "tier2_classwide": "Tier 2 (class has a classwide problem: core instruction first)",
    "fidelity": "deliver the plan as written first",
    "exit": "goal met: exit or fade",
    "raise_goal": "raise the goal",
}


@dataclass(frozen=True)
class Recommendation:
    """What one flag asks for (decisions.models.Flag: kind, recommended_tier,
    classwide_context)."""

    kind: str
    recommended_tier: int
    classwide_context: bool = False


def recommendation_key(rec: Recommendation) -> str:
    if rec.kind == "progress_change_intervention":
        return "change"
    if rec.kind == "progress_improve_fidelity":
        return "fidelity"
    if rec.kind == "progress_exit":
        return "exit"
    if rec.kind == "progress_raise_goal":
        return "raise_goal"
    if rec.kind == "dual_discrepancy" or rec.recommended_tier >= 3:
        return "tier3"
    return "tier2_classwide" if rec.classwide_context else "tier2"


def following_types(rec: Recommendation) -> frozenset[str]:
    """The decision types that carry out `rec`."""
    return {
        "tier3": TIER3,
        "change": CHANGE,
        "tier2": TIER2,
        "tier2_classwide": TIER2 | {"monitor"},
        "fidelity": FIDELITY,
        "exit": EXIT,
        "raise_goal": RAISE_GOAL,
    }[recommendation_key(rec)]


def governing(recs: Iterable[Recommendation]) -> Recommendation | None:
    """The most urgent recommendation (agenda order, then the higher tier)."""
    ordered = sorted(
        recs, key=lambda r: (flag_group(r.kind, r.recommended_tier), -r.recommended_tier)
    )
    return ordered[0] if ordered else None


def follows_rule(decision_type: str, recs: Iterable[Recommendation]) -> bool | None:
    """True when the decision carries out the governing recommendation, False when it goes
    against it, None when no flag made a recommendation."""
    rec = governing(recs)
    if rec is None:
        return None
    if decision_type == "dismiss_flag":
        return False
    return decision_type in following_types(rec)


def recommendation_words(recs: Iterable[Recommendation]) -> str:
    rec = governing(recs)
    return RECOMMENDATION_WORDS[recommendation_key(rec)] if rec else ""


# -- the right rule for each decision --------------------------------------------------------

# What a plan's own analysis (interventions.analysis: recommendation, dual discrepancy) asks
# for, and the plan decisions that carry it out.
# "continue" follows every analysis but "change the intervention": a plan on or above its
# aim line, or at its goal, may go on; so better scores never turn a continue, fade or exit
# that followed the rules into one against them.
PLAN_FOLLOWING = {
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
PLAN_DECISIONS = frozenset({"continue", "modify_plan", "intensify", "fade", "exit"})
# Escalations on lack of response: held by the fidelity gate.
ESCALATIONS = frozenset({"intensify", "place_tier3", "refer_evaluation"})
FIDELITY_GATE_WORDS = (
    "the fidelity gate: the current plan's fidelity is {fidelity}, below the district's "
    "minimum of {minimum:.0%}; deliver it as written before escalating"
)


@dataclass(frozen=True)
class PlanEvidence:
    """A plan's current analysis (interventions.analysis.Analysis) as the judge needs it."""

    plan_id: int
    recommendation: str
    rule: str
    fidelity: float | None
    dual_discrepancy: bool = False
    points: int = 0


@dataclass(frozen=True)
class Verdict:
    follows: bool | None
    basis: str  # "plan", "flags", "fidelity_gate" or "none"
    recommendation: str
    evidence: dict

    def as_record(self) -> dict:
        return {"basis": self.basis, "recommendation": self.recommendation, **self.evidence}


def fidelity_below(fidelity: float | None, minimum: float) -> bool:
    """Unknown fidelity counts as below: nothing shows the plan was delivered."""
    return fidelity is None or fidelity < minimum - 1e-9


def judge(
    decision_type: str,
    *,
    recs: Iterable[Recommendation],
    plan: PlanEvidence | None,
    fidelity_minimum: float,
    changes_intervention: bool = False,
) -> Verdict:
    """Judge a decision against the right rule.

    - Escalating (intensify, Tier 3, an evaluation referral, or a plan change that swaps the
      intervention) while the current plan's fidelity is below the minimum or unknown goes
      against the fidelity gate, whatever else recommends it.
    - A decision about an existing plan (continue, modify, intensify, fade, exit) is judged
      against that plan's current analysis (dual discrepancy adds the Tier 3 escalations).
    - Any other decision is judged against the flags it answers (`follows_rule`).
    `plan` is the plan decided on, else the student's current plan in the domain (for the
    gate only)."""
    recs = list(recs)
    escalates = decision_type in ESCALATIONS or (
        decision_type == "modify_plan" and changes_intervention
    )
    if plan is not None and escalates and fidelity_below(plan.fidelity, fidelity_minimum):
        shown = "unknown" if plan.fidelity is None else f"{plan.fidelity:.0%}"
        return Verdict(
            follows=False,
            basis="fidelity_gate",
            recommendation=FIDELITY_GATE_WORDS.format(fidelity=shown, minimum=fidelity_minimum),
            evidence={"plan": plan.plan_id, "fidelity": plan.fidelity, "minimum": fidelity_minimum},
        )
    on_plan = decision_type in PLAN_DECISIONS or (
        decision_type == "refer_evaluation"
        and plan is not None
        and plan.recommendation == "change_intervention"
    )
    if plan is not None and on_plan:
        following = set(PLAN_FOLLOWING.get(plan.recommendation, frozenset()))
        words = PLAN_WORDS.get(plan.recommendation, plan.recommendation)
        if plan.dual_discrepancy:
            following |= TIER3
            words += "; dual discrepancy: consider Tier 3"
        return Verdict(
            follows=decision_type in following,
            basis="plan",
            recommendation=words,
            evidence={
                "plan": plan.plan_id,
                "rule": plan.rule,
                "analysis": plan.recommendation,
                "dual_discrepancy": plan.dual_discrepancy,
                "fidelity": plan.fidelity,
                "points": plan.points,
            },
        )
    follows = follows_rule(decision_type, recs)
    rec = governing(recs)
    return Verdict(
        follows=follows,
        basis="flags" if rec is not None else "none",
        recommendation=recommendation_words(recs),
        evidence={"flag_kind": rec.kind, "recommended_tier": rec.recommended_tier}
        if rec is not None
        else {},
    )
