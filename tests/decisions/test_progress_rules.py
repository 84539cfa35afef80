"""The vectorised progress rules agree with the per-plan analysis. No database."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decisions.progress_rules import PROGRESS_OUTPUT, progress_recommendations
from decisions.thresholds import Thresholds
from interventions.analysis import (
    GrowthNorm,
    PlanFacts,
    ProgressPoint,
    SessionLog,
    analyze_plan,
)

START = date(2024, 9, 2)
AS_OF = date(2025, 3, 1)


def plan_row(plan_id: int, **overrides: Any) -> dict[str, Any]:
    row = {
        "plan_id": plan_id,
        "phase_start": START,
        "goal": 72.0,
        "goal_date": START + timedelta(weeks=20),
        "baseline": 42.0,
        "higher_is_better": True,
        "tier": 2,
        "tolerance": None,
        "sessions_per_week": 3,
        "benchmark": None,
    }
    row.update(overrides)
    return row


def test_it_decides_several_plans_in_one_call():
    # Plan 1: the domain.md worked example (trend 1.7619 within 1.5 +/- 0.5): continue.
    # Plan 2: goal 92 (aim 2.5), same points, benchmark 86, no sessions: the trend 1.7619
    #   is below 2.0, so change_intervention, gated to improve_fidelity (fidelity unknown);
    #   latest 55 < 86 on Tier 2, but fidelity is unknown: dual discrepancy is not judged.
    # Plan 3: five points only: insufficient data.
    # Plan 4: no points at all.
    worked = [42, 45, 44, 48, 50, 49, 53, 55]
    plans = pd.DataFrame(
        [
            plan_row(1),
            plan_row(2, goal=92.0, benchmark=86.0),
            plan_row(3),
            plan_row(4),
        ]
    )
    points = pd.DataFrame(
        [
            {"plan_id": pid, "date": START + timedelta(weeks=w), "score": s}
            for pid in (1, 2)
            for w, s in enumerate(worked)
        ]
        + [{"plan_id": 3, "date": START + timedelta(weeks=w), "score": 40} for w in range(5)]
    )
    # Plan 1: 3 a week, Mon/Wed/Fri, all attended through week 7's Monday.
    sessions = pd.DataFrame(
        [
            {"plan_id": 1, "date": START + timedelta(days=7 * w + d), "attended": True}
            for w in range(8)
            for d in (0, 2, 4)
        ]
    )
    out = progress_recommendations(plans, points, sessions, as_of=AS_OF)
    assert list(out.columns) == list(PROGRESS_OUTPUT)
    assert out["plan_id"].tolist() == [1, 2, 3, 4]
    assert out["points"].tolist() == [8, 8, 5, 0]
    assert out["recommendation"].tolist() == [
        "continue",
        "improve_fidelity",
        "insufficient_data",
        "insufficient_data",
    ]
    assert out["rule"].tolist() == ["trend_line", "trend_line", "none", "none"]
    assert out["dual_discrepancy"].tolist() == [False, False, False, False]
    statuses = [ev["dual_discrepancy_status"] for ev in out["evidence"]]
    assert statuses == ["no_benchmark", "fidelity_inadequate", "too_few_points", "too_few_points"]
    assert out["flag"].tolist() == [False, True, False, False]
    assert out.loc[0, "trend_slope"] == pytest.approx(74 / 42)
    # Plan 1 fidelity: span 2 Sep - 21 Oct = 50 days, planned 3 x 50 / 7 = 21.43; attended:
    # 7 full weeks (21) + Monday 21 Oct (1) = 22 -> capped at 1.
    assert out.loc[0, "fidelity"] == 1.0
    assert math.isnan(out.loc[1, "fidelity"])
    assert math.isnan(out.loc[3, "trend_slope"])
    for evidence in out["evidence"]:
        json.dumps(evidence, allow_nan=False)


def test_it_accepts_no_points_and_no_sessions():
    out = progress_recommendations(
        pd.DataFrame([plan_row(7)]),
        pd.DataFrame({"plan_id": [], "date": [], "score": []}),
        as_of=AS_OF,
    )
    assert out["recommendation"].tolist() == ["insufficient_data"]


def test_it_refuses_two_rows_for_one_plan_and_missing_columns():
    with pytest.raises(ValueError, match="unique"):
        progress_recommendations(
            pd.DataFrame([plan_row(1), plan_row(1)]),
            pd.DataFrame({"plan_id": [], "date": [], "score": []}),
            as_of=AS_OF,
        )
    with pytest.raises(ValueError, match="goal_date"):
        progress_recommendations(
            pd.DataFrame([plan_row(1)]).drop(columns="goal_date"),
            pd.DataFrame({"plan_id": [], "date": [], "score": []}),
            as_of=AS_OF,
        )


def weekly_points(plan_id: int, scores: list[float]) -> list[dict[str, Any]]:
    return [
        {"plan_id": plan_id, "date": START + timedelta(weeks=w), "score": s}
        for w, s in enumerate(scores)
    ]


def test_it_keeps_the_boundaries_of_each_rule():
    # Baseline 42, goal 72 on week 20: aim 1.5, aim line 42 + 1.5 w; tolerance 0.5.
    # 1: trend exactly 2.0 = aim + tolerance (42 + 2w): continue.
    # 2: trend exactly 1.0 = aim - tolerance (42 + w): continue.
    # 3: six points, week 2 exactly on the line (45), weeks 3-5 below: continue.
    # 4: the last three exactly at a goal of 50 (baseline 30, flat 50): exit.
    # 5: six points all below, fidelity exactly 0.80 (5 a week, 8 of 10 attended in the
    #    14 days 2-15 Sep): change_intervention.
    # 6: the same with 7 of 10 attended: improve_fidelity.
    plans = pd.DataFrame(
        [
            plan_row(1),
            plan_row(2),
            plan_row(3),
            plan_row(4, baseline=30.0, goal=50.0),
            plan_row(5, sessions_per_week=5),
            plan_row(6, sessions_per_week=5),
        ]
    )
    two_weeks = [0, 2, 4, 7, 9, 13]
    weekdays = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11]
    points = pd.DataFrame(
        weekly_points(1, [42 + 2 * w for w in range(8)])
        + weekly_points(2, [42 + w for w in range(8)])
        + weekly_points(3, [42, 43, 45, 46, 47, 48])
        + weekly_points(4, [50] * 8)
        + [
            {"plan_id": pid, "date": START + timedelta(days=d), "score": 30}
            for pid in (5, 6)
            for d in two_weeks
        ]
    )
    sessions = pd.DataFrame(
        [
            {"plan_id": pid, "date": START + timedelta(days=d), "attended": i < attended}
            for pid, attended in ((5, 8), (6, 7))
            for i, d in enumerate(weekdays)
        ]
    )
    out = progress_recommendations(plans, points, sessions, as_of=AS_OF)
    assert out["recommendation"].tolist() == [
        "continue",
        "continue",
        "continue",
        "exit",
        "change_intervention",
        "improve_fidelity",
    ]
    assert out["rule"].tolist() == [
        "trend_line",
        "trend_line",
        "data_point",
        "goal_met",
        "data_point",
        "data_point",
    ]
    assert out["fidelity"].tolist()[4:] == pytest.approx([0.8, 0.7])


# --- property: same answers as analysis.py --------------------------------------------------

one_plan = st.fixed_dictionaries(
    {
        # Day offsets from the phase start; negatives belong to an earlier phase and
        # offsets past as_of are in the future: both must be ignored.
        "points": st.lists(
            st.tuples(st.integers(-20, 200), st.integers(0, 120)), min_size=0, max_size=16
        ),
        "sessions": st.lists(st.tuples(st.integers(-10, 200), st.booleans()), max_size=40),
        "baseline": st.one_of(st.none(), st.integers(0, 100)),
        "goal": st.integers(0, 150),
        "goal_days": st.integers(-7, 280),
        "higher_is_better": st.booleans(),
        "tier": st.sampled_from([2, 3]),
        "tolerance": st.one_of(st.none(), st.sampled_from([0.0, 0.25, 0.5, 1.0])),
        "sessions_per_week": st.one_of(st.none(), st.sampled_from([0, 1, 3, 5])),
        "benchmark": st.one_of(st.none(), st.integers(0, 120)),
        "start_offset": st.integers(0, 60),
        "exit_goal_met_points": st.one_of(st.none(), st.integers(1, 5)),
        "exit_at_benchmark_screening": st.one_of(st.none(), st.booleans()),
        "screening_at_benchmark": st.one_of(st.none(), st.booleans()),
        "growth_norm": st.one_of(st.none(), st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0])),
    }
)


@st.composite
def tight_plan(draw: st.DrawFn) -> dict[str, Any]:
    """Plans built to land on the rules' edges: weekly points on or next to a whole-number
    aim line, goals the points can equal, trends equal to the aim +/- tolerance."""
    baseline = draw(st.sampled_from([40, 42]))
    weeks = draw(st.integers(1, 20))
    slope = draw(st.integers(-2, 2))
    noise = draw(st.lists(st.sampled_from([-1, 0, 0, 1]), max_size=12))
    return {
        "points": [(7 * w, baseline + slope * w + e) for w, e in enumerate(noise)],
        "sessions": draw(
            st.lists(st.tuples(st.sampled_from(range(0, 84, 2)), st.booleans()), max_size=30)
        ),
        "baseline": draw(st.sampled_from([None, baseline])),
        "goal": baseline + slope * weeks,
        "goal_days": 7 * weeks,
        "higher_is_better": draw(st.booleans()),
        "tier": 2,
        "tolerance": draw(st.sampled_from([None, 0.0, 1.0])),
        "sessions_per_week": draw(st.sampled_from([None, 3, 5])),
        "benchmark": draw(st.one_of(st.none(), st.integers(38, 46))),
        "start_offset": 0,
        "exit_goal_met_points": draw(st.sampled_from([None, 2, 4])),
        "exit_at_benchmark_screening": draw(st.sampled_from([None, True, False])),
        "screening_at_benchmark": draw(st.sampled_from([None, True, False])),
        # Whole-number norms the trend can equal exactly (points on a whole-number line).
        "growth_norm": draw(st.sampled_from([None, -1.0, 0.0, 1.0, 2.0])),
    }


rule_sets = st.sampled_from(
    [
        Thresholds(),
        Thresholds(min_points_trend=6, min_points_data_point=5, data_point_run=3),
        Thresholds(goal_met_points=2, fidelity_minimum=0.9, default_tolerance=0.3),
        Thresholds(exit_at_benchmark_screening=True, fidelity_minimum=0.5),
    ]
)


def assert_same(left: Any, right: Any, path: str = "") -> None:
    if isinstance(left, dict):
        assert set(left) == set(right), path
        for key in left:
            assert_same(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list):
        assert len(left) == len(right), path
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(left, float) and isinstance(right, float):
        assert left == pytest.approx(right, rel=1e-9, abs=1e-9), path
    else:
        assert left == right, path
        assert type(left) is type(right), path


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(one_plan, tight_plan()), min_size=1, max_size=6), rule_sets)
def test_it_agrees_with_the_per_plan_analysis(cases, thresholds):
    plan_rows, point_rows, session_rows, expected = [], [], [], []
    for plan_id, case in enumerate(cases, start=100):
        start = START + timedelta(days=case["start_offset"])
        points = [
            ProgressPoint(start + timedelta(days=day), score) for day, score in case["points"]
        ]
        sessions = [
            SessionLog(start + timedelta(days=day), attended) for day, attended in case["sessions"]
        ]
        facts = PlanFacts(
            phase_start=start,
            goal=case["goal"],
            goal_date=start + timedelta(days=case["goal_days"]),
            as_of=AS_OF,
            baseline=case["baseline"],
            higher_is_better=case["higher_is_better"],
            tier=case["tier"],
            tolerance=case["tolerance"],
            sessions_per_week=case["sessions_per_week"],
            sessions=sessions,
            benchmark=case["benchmark"],
            exit_goal_met_points=case["exit_goal_met_points"],
            exit_at_benchmark_screening=case["exit_at_benchmark_screening"],
            screening_at_benchmark=case["screening_at_benchmark"],
            growth_norm=(
                None
                if case["growth_norm"] is None
                else GrowthNorm(percentile=25, growth=case["growth_norm"], peers=12)
            ),
        )
        expected.append(analyze_plan(facts, points, thresholds=thresholds))
        plan_rows.append(
            {
                "plan_id": plan_id,
                "phase_start": facts.phase_start,
                "goal": facts.goal,
                "goal_date": facts.goal_date,
                "baseline": facts.baseline,
                "higher_is_better": facts.higher_is_better,
                "tier": facts.tier,
                "tolerance": facts.tolerance,
                "sessions_per_week": facts.sessions_per_week,
                "benchmark": facts.benchmark,
                "exit_goal_met_points": facts.exit_goal_met_points,
                "exit_at_benchmark_screening": facts.exit_at_benchmark_screening,
                "screening_at_benchmark": facts.screening_at_benchmark,
                "growth_norm": facts.growth_norm.growth if facts.growth_norm else None,
                "growth_norm_peers": facts.growth_norm.peers if facts.growth_norm else None,
            }
        )
        point_rows += [{"plan_id": plan_id, "date": p.date, "score": p.score} for p in points]
        session_rows += [
            {"plan_id": plan_id, "date": s.date, "attended": s.attended} for s in sessions
        ]

    out = progress_recommendations(
        pd.DataFrame(plan_rows),
        pd.DataFrame(point_rows, columns=["plan_id", "date", "score"]),
        pd.DataFrame(session_rows, columns=["plan_id", "date", "attended"]),
        as_of=AS_OF,
        thresholds=thresholds,
    )
    assert len(out) == len(expected)
    for row, analysis in zip(out.to_dict("records"), expected, strict=True):
        assert row["recommendation"] == analysis.recommendation
        assert row["rule"] == analysis.rule
        assert row["dual_discrepancy"] == analysis.dual_discrepancy
        assert row["points"] == analysis.points
        for name in ("trend_slope", "aim_slope", "fidelity"):
            mine = getattr(analysis, name)
            if mine is None:
                assert math.isnan(row[name]), name
            else:
                assert row[name] == pytest.approx(mine, rel=1e-9, abs=1e-9), name
        assert row["tolerance"] == analysis.tolerance
        assert_same(row["evidence"], analysis.evidence)
