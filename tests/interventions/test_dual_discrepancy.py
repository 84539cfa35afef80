"""Dual discrepancy as published (Fuchs & Fuchs 1998; Burns & Senesac 2005), at its
boundaries, against a small normative growth table worked out by hand. No database."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from decisions.progress_rules import progress_recommendations
from decisions.thresholds import Thresholds
from interventions.analysis import (
    GrowthNorm,
    PlanFacts,
    ProgressPoint,
    SessionLog,
    analyze_plan,
    dual_discrepancy,
    growth_norms,
    norm_for,
)

START = date(2024, 9, 2)  # a Monday
AS_OF = date(2025, 3, 1)

# Peers' weekly growth on measure 7 (oral reading, higher is better), grade 3: 13 students.
# Sorted, the 25th percentile sits at position (13 - 1) x 0.25 = 3 (0-based): 1.0 exactly;
# the 75th at position 9: 2.5.
GROWTHS = [0.0, 0.25, 0.5, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.5]


def rates() -> pd.DataFrame:
    rows = [{"measure_id": 7, "grade": 3, "higher_is_better": True, "growth": g} for g in GROWTHS]
    # Measure 8 counts errors (lower is better): the same students' growth mirrored. The
    # slowest-improving quarter is the one with the highest raw growth: the criterion is the
    # 75th percentile of raw growth, -1.0 (position 9 of the sorted -3.5 ... 0.0).
    rows += [
        {"measure_id": 8, "grade": 3, "higher_is_better": False, "growth": -g} for g in GROWTHS
    ]
    # Grade 4 on measure 7: only 9 students, fewer than 10: no norm.
    rows += [{"measure_id": 7, "grade": 4, "higher_is_better": True, "growth": 1.0}] * 9
    return pd.DataFrame(rows)


def test_it_builds_the_normative_table_from_peers_growth():
    table = growth_norms(rates(), percentile=25)
    assert table[(7, 3)] == GrowthNorm(percentile=25, growth=1.0, peers=13)
    assert table[(8, 3)] == GrowthNorm(percentile=25, growth=-1.0, peers=13)
    assert (7, 4) not in table
    assert norm_for(table, measure_id=7, grade=4) is None
    # The 50th percentile (position 6): 1.75.
    assert growth_norms(rates(), percentile=50)[(7, 3)].growth == 1.75


def test_it_interpolates_between_peers():
    # Five peers 0.5 ... 2.5 (min 5 here): 10th percentile at position 0.4: 0.5 + 0.4 x 0.5.
    frame = pd.DataFrame(
        {"measure_id": 1, "grade": 2, "higher_is_better": True, "growth": [2.5, 0.5, 1.5, 1, 2]}
    )
    assert growth_norms(frame, percentile=10, min_peers=5)[(1, 2)].growth == pytest.approx(0.7)


TABLE = growth_norms(rates(), percentile=25)


def judge(**overrides):
    values = dict(
        tier=2,
        points=8,
        min_points=8,
        trend_slope=0.5,
        latest_score=50.0,
        benchmark=70.0,
        higher_is_better=True,
        fidelity=1.0,
        fidelity_minimum=0.8,
        norm=norm_for(TABLE, measure_id=7, grade=3),  # growth criterion 1.0
    )
    values.update(overrides)
    return dual_discrepancy(**values)


def test_it_is_discrepant_when_growth_and_level_are_both_below():
    # 0.5 < 1.0 and 50 < 70.
    assert judge() == (True, "discrepant")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"trend_slope": 1.0}, (False, "not_discrepant")),  # exactly at the 25th percentile
        ({"trend_slope": 0.999}, (True, "discrepant")),  # just below it
        ({"latest_score": 70.0}, (False, "not_discrepant")),  # exactly at benchmark
        ({"latest_score": 69.5}, (True, "discrepant")),  # just below it
        ({"trend_slope": 1.5, "latest_score": 50.0}, (False, "not_discrepant")),  # level only
        ({"trend_slope": 0.5, "latest_score": 75.0}, (False, "not_discrepant")),  # growth only
    ],
)
def test_it_holds_only_strictly_below_both_edges(overrides, expected):
    assert judge(**overrides) == expected


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"fidelity": 0.79}, "fidelity_inadequate"),  # below the 80% minimum: not computed
        ({"fidelity": None}, "fidelity_inadequate"),  # no record of delivery: not computed
        ({"tier": 3}, "not_tier_2"),
        ({"points": 7}, "too_few_points"),
        ({"trend_slope": None}, "too_few_points"),
        ({"benchmark": None}, "no_benchmark"),
        ({"norm": norm_for(TABLE, measure_id=7, grade=4)}, "no_growth_norm"),
    ],
)
def test_it_is_not_judged_without_its_preconditions(overrides, status):
    # Both discrepancies hold (0.5 < 1.0, 50 < 70); each missing precondition stops it.
    assert judge(**overrides) == (False, status)


def test_it_is_judged_with_fidelity_exactly_at_the_minimum():
    assert judge(fidelity=0.8) == (True, "discrepant")


def test_it_mirrors_a_lower_is_better_measure():
    # Errors: criterion -1.0 (peers at the 25th percentile of improvement cut 1 error a week).
    # A student cutting 0.5 a week improves more slowly; 20 errors is worse than benchmark 5.
    norm = norm_for(TABLE, measure_id=8, grade=3)
    common = dict(higher_is_better=False, benchmark=5.0, latest_score=20.0, norm=norm)
    assert judge(trend_slope=-0.5, **common) == (True, "discrepant")
    assert judge(trend_slope=-1.0, **common) == (False, "not_discrepant")  # exactly at it
    assert judge(trend_slope=-1.5, **common) == (False, "not_discrepant")  # faster
    assert judge(trend_slope=-0.5, **{**common, "latest_score": 5.0}) == (False, "not_discrepant")


# --- through the plan analysis and the sweep's vectorised rules ----------------------------


def weekly(scores: list[float]) -> list[ProgressPoint]:
    return [ProgressPoint(START + timedelta(weeks=w), s) for w, s in enumerate(scores)]


def five_a_week(weeks: int) -> list[SessionLog]:
    return [SessionLog(START + timedelta(days=7 * w + d)) for w in range(weeks) for d in range(5)]


def three_a_week(weeks: int) -> list[SessionLog]:
    return [SessionLog(START + timedelta(days=7 * w + d)) for w in range(weeks) for d in (0, 2, 4)]


@pytest.mark.parametrize(
    ("scores", "sessions", "expected", "status"),
    [
        # 40, 40.5, ... 43.5: trend 0.5 < 1.0, latest 43.5 < benchmark 60, all delivered.
        ([40 + 0.5 * w for w in range(8)], five_a_week(8), True, "discrepant"),
        # 40, 41, ... 47: trend exactly 1.0, the 25th percentile: not below it.
        ([40 + w for w in range(8)], five_a_week(8), False, "not_discrepant"),
        # Trend 0.5 but 3 of 5 planned sessions a week: fidelity 0.6, not computed.
        ([40 + 0.5 * w for w in range(8)], three_a_week(8), False, "fidelity_inadequate"),
    ],
)
def test_the_analysis_and_the_sweep_agree_on_it(scores, sessions, expected, status):
    norm = norm_for(TABLE, measure_id=7, grade=3)
    facts = PlanFacts(
        phase_start=START,
        goal=70.0,
        goal_date=START + timedelta(weeks=20),
        as_of=AS_OF,
        baseline=40.0,
        tier=2,
        sessions_per_week=5,
        sessions=sessions,
        benchmark=60.0,
        growth_norm=norm,
    )
    analysis = analyze_plan(facts, weekly(scores))
    assert (analysis.dual_discrepancy, analysis.evidence["dual_discrepancy_status"]) == (
        expected,
        status,
    )
    plans = pd.DataFrame(
        [
            {
                "plan_id": 1,
                "phase_start": START,
                "goal": 70.0,
                "goal_date": START + timedelta(weeks=20),
                "baseline": 40.0,
                "higher_is_better": True,
                "tier": 2,
                "tolerance": None,
                "sessions_per_week": 5,
                "benchmark": 60.0,
                "growth_norm": norm.growth,
                "growth_norm_peers": norm.peers,
            }
        ]
    )
    points = pd.DataFrame(
        [{"plan_id": 1, "date": p.date, "score": p.score} for p in weekly(scores)]
    )
    logs = pd.DataFrame([{"plan_id": 1, "date": s.date, "attended": s.attended} for s in sessions])
    out = progress_recommendations(plans, points, logs, as_of=AS_OF)
    assert bool(out["dual_discrepancy"].iloc[0]) is expected
    assert out["evidence"].iloc[0]["dual_discrepancy_status"] == status


def test_the_percentile_is_a_rule_set_setting():
    assert Thresholds().dual_discrepancy_growth_percentile == 25
    assert (
        Thresholds.from_dict({"dual_discrepancy_growth_percentile": 10}).to_dict()[
            "dual_discrepancy_growth_percentile"
        ]
        == 10
    )
    with pytest.raises(ValueError, match="percentile"):
        Thresholds(dual_discrepancy_growth_percentile=0)
