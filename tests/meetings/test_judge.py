"""Decisions judged against the right rule (meetings.alignment.judge): a decision about an
existing plan against that plan's current analysis, a decision on a new flag against the
flag, and escalations held by the fidelity gate. Pure, no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from decisions.thresholds import DEFAULT_THRESHOLDS
from interventions.analysis import PlanFacts, ProgressPoint, SessionLog, analyze_plan
from meetings.alignment import PlanEvidence, Recommendation, judge

OLD_TIER3 = [Recommendation(kind="screening_risk", recommended_tier=3)]


def plan(rec: str, fidelity: float | None = 0.95, dual: bool = False) -> PlanEvidence:
    return PlanEvidence(
        plan_id=7, recommendation=rec, rule="trend", fidelity=fidelity, dual_discrepancy=dual
    )


def test_continue_on_a_working_plan_follows_the_plan_not_an_old_tier_3_flag():
    v = judge("continue", recs=OLD_TIER3, plan=plan("continue"), fidelity_minimum=0.8)
    assert v.follows is True and v.basis == "plan"
    assert v.as_record()["analysis"] == "continue" and v.as_record()["plan"] == 7


def test_exit_on_a_plan_whose_analysis_says_goal_met_follows():
    v = judge("exit", recs=OLD_TIER3, plan=plan("exit"), fidelity_minimum=0.8)
    assert v.follows is True and v.basis == "plan"
    assert judge("fade", recs=[], plan=plan("exit"), fidelity_minimum=0.8).follows is True
    assert judge("exit", recs=[], plan=plan("continue"), fidelity_minimum=0.8).follows is False


def test_each_plan_decision_against_the_plan_analysis():
    table = {
        "continue": {"continue", "insufficient_data", "improve_fidelity", "raise_goal", "exit"},
        "modify_plan": {
            "insufficient_data",
            "improve_fidelity",
            "raise_goal",
            "change_intervention",
        },
        "intensify": {"change_intervention"},
        "fade": {"exit"},
        "exit": {"exit"},
    }
    recs = (
        "continue",
        "insufficient_data",
        "improve_fidelity",
        "raise_goal",
        "change_intervention",
        "exit",
    )
    for decision, following in table.items():
        for rec in recs:
            v = judge(decision, recs=[], plan=plan(rec), fidelity_minimum=0.8)
            if rec == "insufficient_data" and decision in ("intensify", "fade", "exit"):
                # Too few points to judge a decision that needs data, and no flag: "not
                # enough data", never "against the rules".
                assert v.follows is None and v.basis == "not_enough_data", decision
                continue
            assert v.follows is (rec in following), (decision, rec)
            assert v.basis == "plan" and v.evidence["analysis"] == rec


def test_a_plan_with_too_few_points_falls_back_to_the_flag():
    # Exit on a plan with 2 points: the plan cannot say; the goal-met flag it answers can.
    exit_flag = [Recommendation(kind="progress_exit", recommended_tier=2)]
    v = judge("exit", recs=exit_flag, plan=plan("insufficient_data"), fidelity_minimum=0.8)
    assert v.follows is True and v.basis == "flags"
    v = judge("fade", recs=OLD_TIER3, plan=plan("insufficient_data"), fidelity_minimum=0.8)
    assert v.follows is False and v.basis == "flags"
    # A plan with no analysis at all (no goal yet) is as silent.
    v = judge("exit", recs=[], plan=plan(""), fidelity_minimum=0.8)
    assert v.follows is None and "not enough data" in v.recommendation
    # Continue and modify need no data: "too few points yet, continue" judges them.
    v = judge("continue", recs=OLD_TIER3, plan=plan("insufficient_data"), fidelity_minimum=0.8)
    assert v.follows is True and v.basis == "plan"


def test_dual_discrepancy_makes_the_tier_3_escalations_follow():
    v = judge("intensify", recs=[], plan=plan("continue", dual=True), fidelity_minimum=0.8)
    assert v.follows is True


def test_a_new_flag_decision_is_judged_against_the_flag():
    v = judge("place_tier3", recs=OLD_TIER3, plan=None, fidelity_minimum=0.8)
    assert v.follows is True and v.basis == "flags"
    assert v.as_record() == {
        "basis": "flags",
        "recommendation": "Tier 3",
        "rule": "screening_risk",
        "flag_kind": "screening_risk",
        "recommended_tier": 3,
    }
    assert judge("place_tier2", recs=OLD_TIER3, plan=None, fidelity_minimum=0.8).follows is False
    assert judge("monitor", recs=[], plan=None, fidelity_minimum=0.8).follows is None


def test_the_fidelity_gate_holds_every_escalation():
    # 69 % delivered, minimum 80 %: intensifying goes against the rules even though the plan
    # analysis (or a Tier 3 flag) asks for more.
    for decision in ("intensify", "place_tier3", "refer_evaluation"):
        v = judge(
            decision, recs=OLD_TIER3, plan=plan("change_intervention", 0.69), fidelity_minimum=0.8
        )
        assert v.follows is False and v.basis == "fidelity_gate", decision
        assert "69%" in v.recommendation
    unknown = judge(
        "intensify", recs=[], plan=plan("change_intervention", None), fidelity_minimum=0.8
    )
    assert unknown.follows is False and "unknown" in unknown.recommendation
    swap = judge(
        "modify_plan",
        recs=[],
        plan=plan("change_intervention", 0.5),
        fidelity_minimum=0.8,
        changes_intervention=True,
    )
    assert swap.follows is False
    # Exactly at the minimum passes the gate; a goal change is not an escalation.
    at_min = judge(
        "intensify", recs=[], plan=plan("change_intervention", 0.8), fidelity_minimum=0.8
    )
    assert at_min.follows is True
    goal_only = judge(
        "modify_plan", recs=[], plan=plan("change_intervention", 0.5), fidelity_minimum=0.8
    )
    assert goal_only.follows is True


START = dt.date(2026, 9, 7)


def evidence(scores: list[float], attended: int) -> PlanEvidence:
    facts = PlanFacts(
        phase_start=START,
        goal=100.0,
        goal_date=START + dt.timedelta(weeks=20),
        as_of=START + dt.timedelta(weeks=len(scores)),
        baseline=40.0,
        sessions_per_week=3,
        sessions=tuple(SessionLog(date=START + dt.timedelta(days=2 * i)) for i in range(attended)),
        benchmark=70.0,
    )
    points = [ProgressPoint(START + dt.timedelta(weeks=i), s) for i, s in enumerate(scores)]
    a = analyze_plan(facts, points, thresholds=DEFAULT_THRESHOLDS)
    return PlanEvidence(
        plan_id=1,
        recommendation=a.recommendation,
        rule=a.rule,
        fidelity=a.fidelity,
        dual_discrepancy=a.dual_discrepancy,
        points=a.points,
    )


@settings(max_examples=150, deadline=None)
@given(
    scores=st.lists(st.integers(0, 120), min_size=1, max_size=14),
    bump=st.integers(1, 40),
    attended=st.integers(0, 45),
    decision=st.sampled_from(["continue", "fade", "exit"]),
)
def test_better_scores_never_turn_a_followed_decision_against_the_rules(
    scores, bump, attended, decision
):
    before = judge(decision, recs=OLD_TIER3, plan=evidence(scores, attended), fidelity_minimum=0.8)
    better = [s + bump for s in scores]
    after = judge(decision, recs=OLD_TIER3, plan=evidence(better, attended), fidelity_minimum=0.8)
    if before.follows:
        assert after.follows, (scores, bump, before, after)


FLAG_SETS = {
    "none": [],
    "old tier 3 screening flag": OLD_TIER3,
    "goal-met flag": [Recommendation(kind="progress_exit", recommended_tier=2)],
    "tier 2 screening flag": [Recommendation(kind="screening_risk", recommended_tier=2)],
}


def evidence_dir(scores: list[float], attended: int, higher_is_better: bool) -> PlanEvidence:
    """As `evidence`, for either direction: a lower-is-better plan starts at 60 and aims at 0."""
    facts = PlanFacts(
        phase_start=START,
        goal=100.0 if higher_is_better else 0.0,
        goal_date=START + dt.timedelta(weeks=20),
        as_of=START + dt.timedelta(weeks=len(scores)),
        baseline=40.0 if higher_is_better else 60.0,
        higher_is_better=higher_is_better,
        sessions_per_week=3,
        sessions=tuple(SessionLog(date=START + dt.timedelta(days=2 * i)) for i in range(attended)),
        benchmark=70.0 if higher_is_better else 20.0,
    )
    points = [ProgressPoint(START + dt.timedelta(weeks=i), s) for i, s in enumerate(scores)]
    a = analyze_plan(facts, points, thresholds=DEFAULT_THRESHOLDS)
    return PlanEvidence(
        plan_id=1,
        recommendation=a.recommendation,
        rule=a.rule,
        fidelity=a.fidelity,
        dual_discrepancy=a.dual_discrepancy,
        points=a.points,
    )


@settings(max_examples=300, deadline=None)
@given(
    scores=st.lists(st.integers(0, 120), min_size=0, max_size=14),
    bumps=st.lists(st.integers(0, 40), min_size=14, max_size=14),
    attended=st.integers(0, 45),
    decision=st.sampled_from(["continue", "fade", "exit"]),
    flags=st.sampled_from(sorted(FLAG_SETS)),
    higher_is_better=st.booleans(),
)
def test_improving_every_score_never_turns_a_followed_decision_against_the_rules(
    scores, bumps, attended, decision, flags, higher_is_better
):
    """Every score better (lower for a lower-is-better measure), later ones by at least as
    much as earlier ones (a uniform improvement included), whatever the flags the decision
    answers, the fidelity and the number of points (the fallback to the flags and "not
    enough data" included).

    Why "later at least as much": improving only the early scores flattens the trend (the
    student grew less since), and the trend-line rule rightly reads that as slower growth;
    Hypothesis found that case (scores 30, 1, 21, 1, 5 improved to 13, 1, 21, 1, -15 on a
    lower-is-better measure). Escalations (intensify, Tier 3, referral) and "modify the plan"
    are left out on purpose: better scores rightly take away the reason to add support or to
    change a plan that now works."""
    d = 1 if higher_is_better else -1
    bumps = sorted(bumps)  # non-decreasing over time
    better = [s + d * b for s, b in zip(scores, bumps, strict=False)]
    recs = FLAG_SETS[flags]
    before = judge(
        decision,
        recs=recs,
        plan=evidence_dir(scores, attended, higher_is_better),
        fidelity_minimum=0.8,
    )
    after = judge(
        decision,
        recs=recs,
        plan=evidence_dir(better, attended, higher_is_better),
        fidelity_minimum=0.8,
    )
    if before.follows:
        assert after.follows, (scores, better, before, after)


def test_every_decision_type_is_judged_against_the_plan_or_the_flag():
    """One table for all ten decision types: with a responding, delivered plan (analysis
    "continue", fidelity 95%) and an old Tier 3 screening flag, which rule judges each, and
    its verdict. Hand-made: plan decisions follow the plan; the rest follow the flag."""
    from meetings.models import DecisionType

    expected = {
        "place_tier2": ("flags", False),  # Tier 3 recommended
        "place_tier3": ("flags", True),
        "continue": ("plan", True),  # the old flag does not judge a working plan
        "modify_plan": ("plan", False),  # nothing to modify on a plan that works
        "intensify": ("plan", False),
        "fade": ("plan", False),
        "exit": ("plan", False),
        "refer_evaluation": ("flags", True),  # the plan does not say change: the flag judges
        "monitor": ("flags", False),
        "dismiss_flag": ("flags", False),
    }
    assert set(expected) == set(DecisionType.values)
    for decision, (basis, follows) in expected.items():
        v = judge(decision, recs=OLD_TIER3, plan=plan("continue"), fidelity_minimum=0.8)
        assert (v.basis, v.follows) == (basis, follows), decision
    # Without the flag, the non-plan decisions have nothing to follow or go against.
    for decision in ("place_tier2", "place_tier3", "refer_evaluation", "monitor"):
        v = judge(decision, recs=[], plan=plan("continue"), fidelity_minimum=0.8)
        assert (v.follows, v.basis) == (None, "none"), decision
    # A referral on a plan whose analysis says change is judged against the plan.
    v = judge("refer_evaluation", recs=[], plan=plan("change_intervention"), fidelity_minimum=0.8)
    assert (v.basis, v.follows) == ("plan", True)
