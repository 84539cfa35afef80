"""Exit criteria of the intervention's catalog entry, evaluated by the progress rules: the
entry's values win over the district's rule set where the entry sets them. Hand-worked
boundaries; the per-plan analysis and the sweep's vectorised rules must agree. No database."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from decisions.progress_rules import progress_recommendations
from decisions.thresholds import DEFAULT_THRESHOLDS, Thresholds
from interventions.analysis import PlanFacts, ProgressPoint, SessionLog, analyze_plan
from interventions.selectors.rule_inputs import exit_criteria_values

START = date(2024, 9, 2)  # a Monday
AS_OF = date(2025, 3, 1)
GOAL = 70.0


def weekly(scores: list[float]) -> list[ProgressPoint]:
    return [ProgressPoint(START + timedelta(weeks=w), s) for w, s in enumerate(scores)]


def facts(**overrides) -> PlanFacts:
    values = dict(
        phase_start=START,
        goal=GOAL,
        goal_date=START + timedelta(weeks=20),  # aim (70 - 40) / 20 = 1.5 a week
        as_of=AS_OF,
        baseline=40.0,
        sessions_per_week=5,
        sessions=[
            SessionLog(START + timedelta(days=7 * w + d)) for w in range(10) for d in range(5)
        ],
    )
    values.update(overrides)
    return PlanFacts(**values)


def both(plan: PlanFacts, scores: list[float], thresholds: Thresholds = DEFAULT_THRESHOLDS):
    """(recommendation, rule, goal_met_points) from analyze_plan, checked against the sweep."""
    analysis = analyze_plan(plan, weekly(scores), thresholds=thresholds)
    row = {
        "plan_id": 1,
        "phase_start": plan.phase_start,
        "goal": plan.goal,
        "goal_date": plan.goal_date,
        "baseline": plan.baseline,
        "higher_is_better": plan.higher_is_better,
        "tier": plan.tier,
        "tolerance": plan.tolerance,
        "sessions_per_week": plan.sessions_per_week,
        "benchmark": plan.benchmark,
        "exit_goal_met_points": plan.exit_goal_met_points,
        "exit_at_benchmark_screening": plan.exit_at_benchmark_screening,
        "screening_at_benchmark": plan.screening_at_benchmark,
    }
    points = pd.DataFrame(
        [{"plan_id": 1, "date": p.date, "score": p.score} for p in weekly(scores)]
    )
    sessions = pd.DataFrame(
        [{"plan_id": 1, "date": s.date, "attended": s.attended} for s in plan.sessions]
    )
    out = progress_recommendations(
        pd.DataFrame([row]), points, sessions, as_of=AS_OF, thresholds=thresholds
    )
    assert out["recommendation"].iloc[0] == analysis.recommendation
    assert out["rule"].iloc[0] == analysis.rule
    assert out["evidence"].iloc[0]["goal_met_points"] == analysis.evidence["goal_met_points"]
    return analysis.recommendation, analysis.rule, analysis.evidence["goal_met_points"]


# Four points: 60, then 70, 70, 70 (three at the goal; the fourth from the end below it).
THREE_AT_GOAL = [60, 70, 70, 70]
# 60, 65, 70, 71: only the last two at or above the goal.
TWO_AT_GOAL = [60, 65, 70, 71]


def test_the_rule_set_default_applies_when_the_entry_does_not_say():
    assert both(facts(), THREE_AT_GOAL) == ("exit", "goal_met", 3)
    # Two at the goal are not three: 4 points, fewer than 6: not enough data yet.
    assert both(facts(), TWO_AT_GOAL) == ("insufficient_data", "none", 3)


def test_the_entrys_goal_met_points_win_over_the_rule_set():
    # The entry asks for 2: the last two (70, 71) are at or above 70: exit.
    assert both(facts(exit_goal_met_points=2), TWO_AT_GOAL) == ("exit", "goal_met", 2)
    # The entry asks for 4: 60 is below the goal, so three at the goal do not exit.
    assert both(facts(exit_goal_met_points=4), THREE_AT_GOAL)[:2] == ("insufficient_data", "none")
    # ... and four at the goal do; a point exactly at the goal counts.
    assert both(facts(exit_goal_met_points=4), [70, 70, 70, 70]) == ("exit", "goal_met", 4)
    # Over a district asking for 2, the entry's 4 still wins.
    assert both(facts(exit_goal_met_points=4), THREE_AT_GOAL, Thresholds(goal_met_points=2))[
        :2
    ] == ("insufficient_data", "none")


def test_a_point_just_below_the_goal_breaks_the_run():
    assert both(facts(exit_goal_met_points=2), [60, 65, 69.9, 71])[:2] == (
        "insufficient_data",
        "none",
    )


def test_it_records_where_the_goal_met_points_came_from():
    analysis = analyze_plan(facts(exit_goal_met_points=2), weekly(TWO_AT_GOAL))
    assert analysis.evidence["goal_met_points_source"] == "intervention"
    analysis = analyze_plan(facts(), weekly(TWO_AT_GOAL))
    assert analysis.evidence["goal_met_points_source"] == "rule_set"


# Eight points climbing 1 a week from 40: trend 1.0, within 1.5 +/- 0.5: "continue", the goal
# (70) far off.
CLIMBING = [40 + w for w in range(8)]


@pytest.mark.parametrize(
    ("entry", "district", "screening", "expected"),
    [
        # The entry says "or at benchmark at the next screening", and the student is.
        (True, False, True, ("exit", "benchmark_at_screening")),
        # ... but the latest screening since the phase start is below benchmark.
        (True, False, False, ("continue", "trend_line")),
        # ... or there has been no screening since the plan began.
        (True, False, None, ("continue", "trend_line")),
        # The entry turns it off: the district's default does not override the entry.
        (False, True, True, ("continue", "trend_line")),
        # The entry does not say: the district's default decides.
        (None, True, True, ("exit", "benchmark_at_screening")),
        (None, False, True, ("continue", "trend_line")),
    ],
)
def test_at_benchmark_at_the_next_screening(entry, district, screening, expected):
    plan = facts(exit_at_benchmark_screening=entry, screening_at_benchmark=screening)
    result = both(plan, CLIMBING, Thresholds(exit_at_benchmark_screening=district))
    assert result[:2] == expected


def test_goal_met_comes_before_the_screening_criterion():
    plan = facts(exit_at_benchmark_screening=True, screening_at_benchmark=True)
    assert both(plan, THREE_AT_GOAL)[:2] == ("exit", "goal_met")


def test_it_reads_the_catalog_entrys_criteria():
    assert exit_criteria_values({"goal_met_points": 3, "or_benchmark_at_next_screening": True}) == (
        3,
        True,
    )
    assert exit_criteria_values({"goal_met_points": 4}) == (4, None)
    assert exit_criteria_values({}) == (None, None)
    assert exit_criteria_values(None) == (None, None)
