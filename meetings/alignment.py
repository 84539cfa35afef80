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
recommendation and the verdict is None. `refer_504` is never judged: a Section 504 referral
asks whether a disability limits the student's access to school (34 CFR 104.35), which no
screening or progress rule speaks to, so it can be neither "following" nor "against" them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from interventions.analysis.judgement import (
    NEEDS_DATA,
    PLAN_DECISIONS,
    PlanEvidence,
    Verdict,
    judge_on_plan,
    not_enough_data,
)
from meetings.agenda import flag_group

__all__ = ["PlanEvidence", "Recommendation", "Verdict", "judge"]

TIER3 = frozenset({"place_tier3", "intensify", "refer_evaluation"})
CHANGE = frozenset({"modify_plan", "intensify", "place_tier3", "refer_evaluation"})
TIER2 = frozenset({"place_tier2", "continue", "modify_plan"})
FIDELITY = frozenset({"continue", "modify_plan"})
EXIT = frozenset({"exit", "fade"})
RAISE_GOAL = frozenset({"modify_plan"})
NOT_JUDGED = frozenset({"refer_504"})

# Stored in English with the decision (Decision.recommendation); judgement_words shows them in
# the page's language, as these are catalog messages.
RECOMMENDATION_WORDS = {
    "tier3": gettext_noop("Tier 3"),
    "change": gettext_noop("change the intervention"),
    "tier2": gettext_noop("Tier 2"),
    "tier2_classwide": gettext_noop(
        "Tier 2 (class has a classwide problem: core instruction first)"
    ),
    "fidelity": gettext_noop("deliver the plan as written first"),
    "exit": gettext_noop("goal met: exit or fade"),
    "raise_goal": gettext_noop("raise the goal"),
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
# The gate and the plan-analysis judgement are interventions.analysis.judgement (the plan page
# and the plans API judge the same way); a meeting adds the flags for everything else.


def judge(
    decision_type: str,
    *,
    recs: Iterable[Recommendation],
    plan: PlanEvidence | None,
    fidelity_minimum: float,
    changes_intervention: bool = False,
) -> Verdict:
    """Judge a team's decision against the right rule.

    - Escalating (intensify, Tier 3, an evaluation referral, or a plan change that swaps the
      intervention) while the current plan's fidelity is below the minimum or unknown goes
      against the fidelity gate, whatever else recommends it.
    - A decision about an existing plan (continue, modify, intensify, fade, exit) is judged
      against that plan's current analysis (dual discrepancy adds the Tier 3 escalations).
    - Any other decision, and a plan decision the plan has too few points to judge, is judged
      against the flags it answers (`follows_rule`); with no flag either, a plan decision is
      "not enough data" (follows None), not "against the rules".
    `plan` is the plan decided on, else the student's current plan in the domain (for the
    gate only)."""
    if decision_type in NOT_JUDGED:
        return Verdict(follows=None, basis="none", recommendation="")
    recs = list(recs)
    verdict = judge_on_plan(
        decision_type,
        plan,
        fidelity_minimum=fidelity_minimum,
        changes_intervention=changes_intervention,
    )
    if verdict is not None:
        return verdict
    rec = governing(recs)
    if rec is None:
        silent = plan is not None and plan.recommendation in ("", "insufficient_data")
        if silent and decision_type in PLAN_DECISIONS | NEEDS_DATA:
            return not_enough_data(plan)
        return Verdict(follows=None, basis="none", recommendation="")
    return Verdict(
        follows=follows_rule(decision_type, recs),
        basis="flags",
        recommendation=recommendation_words(recs),
        evidence={
            "rule": rec.kind,
            "flag_kind": rec.kind,
            "recommended_tier": rec.recommended_tier,
        },
    )


# What a decision was judged against, in words (cards, minutes).
JUDGED_AGAINST = {
    "plan": gettext_noop("Judged against the plan's current analysis"),
    "flags": gettext_noop("Judged against the flag it answered"),
    "fidelity_gate": gettext_noop("Judged against the fidelity gate"),
    "not_enough_data": gettext_noop("Not judged"),
}


def judgement_words(basis: str, recommendation: str) -> str:
    lead = JUDGED_AGAINST.get(basis)
    if lead is None:
        return ""
    for prefix in ("the plan's analysis: ", "the fidelity gate: "):
        recommendation = recommendation.removeprefix(prefix)
    if not recommendation:
        return f"{_(lead)}."
    # A flag's recommendation is one of RECOMMENDATION_WORDS (a catalog message); the plan
    # analysis' and the gate's words were stored in English and stay so.
    return _("%(judged)s: %(recommendation)s.") % {
        "judged": _(lead),
        "recommendation": _(recommendation),
    }
