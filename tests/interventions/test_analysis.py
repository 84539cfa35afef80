"""Plan analysis against hand-computed cases (domain.md section 3). No database.

Every expected number is worked out by hand in the comments. Phase starts are Monday
2 September 2024 (`START`) unless a test says otherwise; week w is START + 7w days.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decisions.thresholds import Thresholds
from interventions.analysis import (
    Analysis,
    GrowthNorm,
    PlanFacts,
    ProgressPoint,
    SessionLog,
    aim_value_at,
    analyze_plan,
    baseline_median,
    goal_from_growth,
    growth_rate,
    ols,
    points_needed,
)

START = date(2024, 9, 2)  # a Monday
AS_OF = date(2025, 6, 1)


def week(w: float) -> date:
    return START + timedelta(days=round(7 * w))


def weekly(scores: list[float], first_week: int = 0) -> list[ProgressPoint]:
    return [ProgressPoint(week(first_week + i), s) for i, s in enumerate(scores)]


def full_delivery(weeks: int = 30) -> list[SessionLog]:
    # 5 sessions a week, every weekday, all attended: fidelity 1.0 against 5/week.
    return [
        SessionLog(START + timedelta(days=7 * w + d), True) for w in range(weeks) for d in range(5)
    ]


def facts(**overrides) -> PlanFacts:
    values = dict(
        phase_start=START,
        baseline=40.0,
        goal=70.0,
        goal_date=week(20),  # aim slope (70 - 40) / 20 = 1.5 per week
        as_of=AS_OF,
        higher_is_better=True,
        tier=2,
        tolerance=None,
        sessions_per_week=5,
        sessions=full_delivery(),
        benchmark=None,
    )
    values.update(overrides)
    return PlanFacts(**values)


WORKED = [42, 45, 44, 48, 50, 49, 53, 55]


# --- the worked example of domain.md ------------------------------------------------------


def test_it_fits_the_worked_example_trend():
    # x = 0..7, mean 3.5; y mean 386 / 8 = 48.25; Sxx = 2(0.25 + 2.25 + 6.25 + 12.25) = 42;
    # Sxy = 21.875 + 8.125 + 6.375 + 0.125 + 0.875 + 1.125 + 11.875 + 23.625 = 74;
    # slope 74 / 42 = 1.76190...; intercept 48.25 - 1.76190 x 3.5 = 42.0833.
    slope, intercept = ols(list(range(8)), WORKED)
    assert slope == pytest.approx(1.7619, abs=1e-4)
    assert slope == pytest.approx(74 / 42, abs=1e-12)
    assert intercept == pytest.approx(42.083, abs=1e-3)


def test_it_takes_the_baseline_as_the_median_of_the_first_three_points():
    points = [
        ProgressPoint(week(2), 42),
        ProgressPoint(week(0), 40),
        ProgressPoint(week(1), 44),
        ProgressPoint(week(3), 10),  # the fourth point is not part of the baseline
    ]
    assert baseline_median(points) == 42  # median(40, 44, 42)
    assert baseline_median(points[:2]) is None


def test_it_sets_the_worked_example_goal_from_the_growth_table():
    # 42 + 1.5 x 20 = 72 (grade 3 ambitious); 42 + 1.0 x 20 = 62 (grade 3 realistic).
    assert goal_from_growth(baseline=42, grade=3, weeks=20) == 72
    assert goal_from_growth(baseline=42, grade=3, weeks=20, ambition="realistic") == 62
    assert growth_rate(1, "ambitious") == 3.0
    assert growth_rate(4, "realistic") == 0.85
    assert growth_rate(6, "ambitious") == 0.65
    with pytest.raises(ValueError):
        growth_rate(9)


def test_it_reads_the_worked_example_as_continue():
    # Baseline 42, goal 72 on week 20: aim (72 - 42) / 20 = 1.5. Trend 1.7619 lies within
    # 1.5 +/- 0.5 = [1.0, 2.0]: continue, by the trend-line rule (8 points).
    result = analyze_plan(facts(baseline=42, goal=72), weekly(WORKED))
    assert result.points == 8
    assert result.trend_slope == pytest.approx(1.7619, abs=1e-4)
    assert result.aim_slope == pytest.approx(1.5)
    assert result.tolerance == 0.5
    assert (result.rule, result.recommendation) == ("trend_line", "continue")
    assert result.evidence["trend_intercept"] == pytest.approx(42.083, abs=1e-3)


def test_it_returns_exactly_the_api_fields():
    result = analyze_plan(facts(), weekly(WORKED))
    assert list(result.api_fields()) == [
        "points",
        "trend_slope",
        "aim_slope",
        "tolerance",
        "fidelity",
        "recommendation",
        "rule",
        "dual_discrepancy",
    ]
    json.dumps(result.evidence, allow_nan=False)  # storable as a flag's JSON evidence


def test_it_computes_the_aim_line_value_on_a_date():
    # 40 + 1.5 x 4 = 46 on week 4; half-way (week 10) 55.
    assert aim_value_at(week(4), phase_start=START, baseline=40, goal=70, goal_date=week(20)) == 46
    assert aim_value_at(week(10), phase_start=START, baseline=40, goal=70, goal_date=week(20)) == 55


# --- trend-line rule ----------------------------------------------------------------------


def test_it_raises_the_goal_when_the_trend_beats_the_aim_by_more_than_the_tolerance():
    # Goal 62: aim (62 - 42) / 20 = 1.0; trend 1.7619 > 1.0 + 0.5.
    result = analyze_plan(facts(baseline=42, goal=62), weekly(WORKED))
    assert (result.rule, result.recommendation) == ("trend_line", "raise_goal")


def test_it_changes_the_intervention_when_the_trend_falls_short_and_delivery_was_good():
    # Goal 92: aim (92 - 42) / 20 = 2.5; trend 1.7619 < 2.5 - 0.5 = 2.0. Fidelity 1.0.
    result = analyze_plan(facts(baseline=42, goal=92), weekly(WORKED))
    assert result.fidelity == 1.0
    assert (result.rule, result.recommendation) == ("trend_line", "change_intervention")


@pytest.mark.parametrize(
    ("scores", "expected_trend"),
    [
        ([40 + 2 * w for w in range(8)], 2.0),  # exactly aim + tolerance = 1.5 + 0.5
        ([40 + 1 * w for w in range(8)], 1.0),  # exactly aim - tolerance = 1.5 - 0.5
    ],
)
def test_it_continues_when_the_trend_sits_exactly_on_a_tolerance_edge(scores, expected_trend):
    result = analyze_plan(facts(), weekly(scores))
    assert result.trend_slope == pytest.approx(expected_trend)
    assert (result.rule, result.recommendation) == ("trend_line", "continue")


def test_it_uses_the_plan_tolerance_over_the_default():
    # Trend 2.0 against aim 1.5 + 0.49 = 1.99: now above the band.
    result = analyze_plan(facts(tolerance=0.49), weekly([40 + 2 * w for w in range(8)]))
    assert result.tolerance == 0.49
    assert result.recommendation == "raise_goal"


# --- data-point rule and the point-count boundaries ---------------------------------------

# Aim line 40 + 1.5 w: weeks 2..5 give 43, 44.5, 46, 47.5; week 6 gives 49.
ABOVE_6 = [41, 42, 44, 46, 47, 49]  # last four 44>43, 46>44.5, 47>46, 49>47.5
BELOW_6 = [40, 41, 42, 43, 44, 45]  # last four 42<43, 43<44.5, 44<46, 45<47.5


def test_it_needs_six_points_before_any_decision():
    result = analyze_plan(facts(), weekly(ABOVE_6[:5]))
    assert result.points == 5
    assert (result.rule, result.recommendation) == ("none", "insufficient_data")
    assert points_needed(result) == 1


def test_it_raises_the_goal_on_six_points_whose_last_four_are_above_the_aim_line():
    result = analyze_plan(facts(), weekly(ABOVE_6))
    assert (result.rule, result.recommendation) == ("data_point", "raise_goal")
    assert points_needed(result) == 0


def test_it_changes_the_intervention_on_six_points_whose_last_four_are_below():
    result = analyze_plan(facts(), weekly(BELOW_6))
    assert (result.rule, result.recommendation) == ("data_point", "change_intervention")


def test_it_counts_a_point_exactly_on_the_aim_line_as_neither_above_nor_below():
    # Week 2's 43 equals the aim value 40 + 1.5 x 2 = 43; the other three are below / above.
    on_line_then_below = [40, 41, 43, 43, 44, 45]
    on_line_then_above = [41, 42, 43, 46, 47, 49]
    for scores in (on_line_then_below, on_line_then_above):
        result = analyze_plan(facts(), weekly(scores))
        assert (result.rule, result.recommendation) == ("data_point", "continue")


def test_it_uses_the_data_point_rule_at_seven_points_and_the_trend_line_rule_at_eight():
    # 42 + 1.5 w stays 2 above the aim line 40 + 1.5 w: with 7 points the last four are all
    # above (raise_goal); with 8 the trend 1.5 equals the aim (continue).
    scores = [42 + 1.5 * w for w in range(8)]
    seven = analyze_plan(facts(), weekly(scores[:7]))
    eight = analyze_plan(facts(), weekly(scores))
    assert (seven.rule, seven.recommendation) == ("data_point", "raise_goal")
    assert (eight.rule, eight.recommendation) == ("trend_line", "continue")
    assert eight.trend_slope == pytest.approx(1.5)


def test_it_uses_the_data_point_rule_when_every_point_shares_one_date():
    # No spread in time: no trend (null), so 8 points fall back to the data-point rule;
    # 30 is below the aim value 41.5 of week 1.
    points = [ProgressPoint(week(1), 30) for _ in range(8)]
    result = analyze_plan(facts(), points)
    assert result.trend_slope is None
    assert (result.rule, result.recommendation) == ("data_point", "change_intervention")


# --- time is calendar days / 7 --------------------------------------------------------------


def test_it_counts_missed_weeks_as_time():
    # Weeks 0,1,3,4,6,7,9,10 (2, 5 and 8 missed) with score 40 + week: slope exactly 1.0/week.
    # Had the points been read as consecutive weeks the slope would be 62 / 42 = 1.476.
    weeks = [0, 1, 3, 4, 6, 7, 9, 10]
    points = [ProgressPoint(week(w), 40 + w) for w in weeks]
    result = analyze_plan(facts(), points)
    assert result.trend_slope == pytest.approx(1.0)
    assert result.recommendation == "continue"  # 1.0 is exactly aim 1.5 - tolerance 0.5


def test_it_measures_time_in_days_not_whole_weeks():
    # 40 on day 0, 50 on day 10: 10 points in 10/7 weeks = 7.0 per week.
    points = [ProgressPoint(START, 40), ProgressPoint(START + timedelta(days=10), 50)]
    assert analyze_plan(facts(), points).trend_slope == pytest.approx(7.0)


def test_it_has_no_trend_below_two_points():
    assert analyze_plan(facts(), weekly([40])).trend_slope is None
    assert analyze_plan(facts(), []).trend_slope is None


# --- phases and dates ----------------------------------------------------------------------


def test_it_ignores_points_before_the_phase_start_and_after_the_as_of_date():
    # Old phase: five high points in August; new phase from 2 Sep: BELOW_6, baseline from the
    # new phase only: median(40, 41, 42) = 41, so aim (70 - 41) / 20 = 1.45 and the aim line
    # on weeks 2..5 is 43.9, 45.35, 46.8, 48.25: all four points are below.
    old = [ProgressPoint(START - timedelta(days=d), 90) for d in (5, 12, 19, 26, 33)]
    future = [ProgressPoint(AS_OF + timedelta(days=1), 99)]
    result = analyze_plan(facts(baseline=None), old + weekly(BELOW_6) + future)
    assert result.points == 6
    assert result.evidence["baseline"] == 41
    assert result.aim_slope == pytest.approx(1.45)
    assert (result.rule, result.recommendation) == ("data_point", "change_intervention")


def test_it_has_no_aim_line_until_three_points_give_a_baseline():
    result = analyze_plan(facts(baseline=None), weekly([40, 41]))
    assert result.aim_slope is None
    assert result.recommendation == "insufficient_data"
    assert points_needed(result) == 4


def test_it_makes_no_aim_line_decision_when_the_goal_date_is_not_after_the_start():
    result = analyze_plan(facts(goal_date=START), weekly(BELOW_6 + [46, 47]))
    assert result.aim_slope is None
    assert (result.rule, result.recommendation) == ("none", "insufficient_data")


# --- goal met ------------------------------------------------------------------------------


def test_it_recommends_exit_when_the_last_three_points_reach_the_goal_before_the_trend_rule():
    # Baseline 30, goal 50: aim 1.0; a flat 50 gives trend 0 < 1.0 - 0.5 (change), but the
    # last three points are at the goal (at counts): exit wins.
    result = analyze_plan(facts(baseline=30, goal=50), weekly([50] * 8))
    assert (result.rule, result.recommendation) == ("goal_met", "exit")


def test_it_does_not_exit_when_one_of_the_last_three_points_is_below_the_goal():
    result = analyze_plan(facts(baseline=30, goal=50), weekly([50] * 6 + [49.5, 50]))
    assert (result.rule, result.recommendation) == ("trend_line", "change_intervention")


def test_it_exits_on_three_points_at_the_goal_even_before_six_points():
    result = analyze_plan(facts(baseline=30, goal=50), weekly([51, 50, 52]))
    assert (result.rule, result.recommendation) == ("goal_met", "exit")
    assert points_needed(result) == 0
    two = analyze_plan(facts(baseline=30, goal=50), weekly([51, 50]))
    assert two.recommendation == "insufficient_data"


# --- lower-is-better measures mirror every comparison --------------------------------------


def lower(**overrides) -> PlanFacts:
    # Errors per passage: baseline 20, goal 0 on week 20: aim (0 - 20) / 20 = -1.0 per week.
    return facts(**{"higher_is_better": False, "baseline": 20, "goal": 0, **overrides})


def test_it_mirrors_the_trend_line_rule_for_lower_is_better_measures():
    # Trend -1.0 = aim: continue. Trend -2.0 < -1.0 - 0.5: dropping faster: raise_goal.
    # Flat trend 0 > -1.0 + 0.5: not dropping: change_intervention.
    on_aim = analyze_plan(lower(), weekly([20 - w for w in range(8)]))
    faster = analyze_plan(lower(), weekly([20 - 2 * w for w in range(8)]))
    flat = analyze_plan(lower(), weekly([20] * 8))
    assert on_aim.recommendation == "continue"
    assert faster.recommendation == "raise_goal"
    assert flat.recommendation == "change_intervention"


def test_it_mirrors_the_data_point_rule_and_goal_met_for_lower_is_better_measures():
    # Aim line 20 - w: weeks 2..5 give 18, 17, 16, 15. Lower is better, so points under the
    # line are "above" it in performance.
    under = analyze_plan(lower(), weekly([20, 19, 17, 16, 15, 14]))
    over = analyze_plan(lower(), weekly([20, 20, 19, 18, 17, 16]))
    assert (under.rule, under.recommendation) == ("data_point", "raise_goal")
    assert (over.rule, over.recommendation) == ("data_point", "change_intervention")
    met = analyze_plan(lower(goal=10), weekly([20, 15, 9, 10, 8]))  # last three <= 10
    assert met.recommendation == "exit"


# --- fidelity ------------------------------------------------------------------------------


def sessions_attended(n_attended: int, n_missed: int = 0, per_week: int = 3) -> list[SessionLog]:
    # Mon/Wed/Fri of successive weeks, attended first, then missed.
    days = [START + timedelta(days=7 * w + d) for w in range(10) for d in (0, 2, 4)]
    return [SessionLog(day, True) for day in days[:n_attended]] + [
        SessionLog(day, False) for day in days[n_attended : n_attended + n_missed]
    ]


def test_it_computes_fidelity_as_delivered_over_planned_sessions():
    # 3 a week; span 2 Sep (Mon) to 29 Sep (Sun) = 28 days both ends counted = 4 weeks:
    # 12 planned; 10 attended (2 logged as missed): 10 / 12 = 0.8333.
    points = [ProgressPoint(START, 40), ProgressPoint(date(2024, 9, 29), 44)]
    late = SessionLog(date(2024, 9, 30), True)  # after the latest point: not counted
    early = SessionLog(date(2024, 8, 30), True)  # before the phase: not counted
    result = analyze_plan(
        facts(sessions_per_week=3, sessions=[*sessions_attended(10, 2), late, early]), points
    )
    assert result.fidelity == pytest.approx(10 / 12)
    assert result.evidence["sessions_planned"] == pytest.approx(12)
    assert result.evidence["span_days"] == 28


def test_it_leaves_fidelity_unknown_until_a_session_is_logged():
    result = analyze_plan(facts(sessions=[]), weekly([40, 41]))
    assert result.fidelity is None
    all_missed = analyze_plan(
        facts(sessions_per_week=3, sessions=sessions_attended(0, 3)), weekly([40, 41])
    )
    assert all_missed.fidelity == 0.0
    no_schedule = analyze_plan(facts(sessions_per_week=None), weekly([40, 41]))
    assert no_schedule.fidelity is None


def test_it_caps_fidelity_at_one_on_a_single_day_span():
    # Latest point on the phase start day: span 1 day, planned 5 x 1 / 7 = 0.714; one
    # attended session would be 1.4: capped at 1.
    result = analyze_plan(facts(sessions=[SessionLog(START, True)]), [ProgressPoint(START, 40)])
    assert result.evidence["span_days"] == 1
    assert result.fidelity == 1.0


# Six points within two weeks (days 0..13), all far below the aim line: change_intervention.
TWO_WEEKS = [ProgressPoint(START + timedelta(days=d), 30) for d in (0, 2, 4, 7, 9, 13)]


def five_a_week(attended: int) -> list[SessionLog]:
    # Weekdays of 2-6 and 9-13 Sep: ten planned in the 14-day span (5 x 14 / 7).
    days = [START + timedelta(days=d) for d in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
    return [SessionLog(day, i < attended) for i, day in enumerate(days)]


def test_it_lets_change_intervention_through_at_exactly_the_fidelity_minimum():
    result = analyze_plan(facts(sessions=five_a_week(8)), TWO_WEEKS)  # 8 / 10 = 0.80
    assert result.fidelity == pytest.approx(0.8)
    assert result.recommendation == "change_intervention"


def test_it_turns_change_intervention_into_improve_fidelity_below_the_minimum():
    result = analyze_plan(facts(sessions=five_a_week(7)), TWO_WEEKS)  # 7 / 10 = 0.70
    assert result.fidelity == pytest.approx(0.7)
    assert (result.rule, result.recommendation) == ("data_point", "improve_fidelity")
    assert result.evidence["recommendation_before_fidelity_gate"] == "change_intervention"


def test_it_asks_for_fidelity_first_when_no_session_was_ever_logged():
    result = analyze_plan(facts(sessions=[]), TWO_WEEKS)
    assert result.fidelity is None
    assert result.recommendation == "improve_fidelity"


def test_it_uses_the_rule_set_fidelity_minimum():
    lenient = Thresholds(fidelity_minimum=0.7)
    result = analyze_plan(facts(sessions=five_a_week(7)), TWO_WEEKS, thresholds=lenient)
    assert result.recommendation == "change_intervention"


def test_it_never_gates_other_recommendations():
    result = analyze_plan(facts(sessions=[]), weekly(ABOVE_6))
    assert result.recommendation == "raise_goal"


# --- dual discrepancy ----------------------------------------------------------------------


def test_it_flags_a_dual_discrepancy_for_a_tier_2_student_low_and_slow():
    # Latest 55 < benchmark 86; trend 74/42 = 1.7619 < peers' 25th percentile 1.8; 8 points;
    # Tier 2; every session delivered (fidelity 1.0). Boundaries: tests/interventions/
    # test_dual_discrepancy.py.
    norm = GrowthNorm(percentile=25, growth=1.8, peers=40)
    result = analyze_plan(
        facts(baseline=42, goal=92, benchmark=86, growth_norm=norm), weekly(WORKED)
    )
    assert result.dual_discrepancy is True
    assert result.evidence["dual_discrepancy_status"] == "discrepant"
    assert (result.evidence["growth_norm"], result.evidence["growth_norm_peers"]) == (1.8, 40)


def test_it_no_longer_calls_the_aim_line_comparison_a_dual_discrepancy():
    # The former definition (trend 1.7619 < aim 2.5 - 0.5, latest below benchmark) is the
    # trend-line rule's "change the intervention"; without peers' growth there is no dual
    # discrepancy to judge.
    result = analyze_plan(facts(baseline=42, goal=92, benchmark=86), weekly(WORKED))
    assert (result.recommendation, result.rule) == ("change_intervention", "trend_line")
    assert result.dual_discrepancy is False
    assert result.evidence["dual_discrepancy_status"] == "no_growth_norm"


# --- properties ----------------------------------------------------------------------------

# How good the news is: shifting scores in the better direction must never lower it.
RANK = {
    "change_intervention": 0,
    "improve_fidelity": 0,
    "continue": 1,
    "raise_goal": 2,
    "exit": 3,
}

plan_cases = st.fixed_dictionaries(
    {
        "scores": st.lists(st.integers(0, 120), min_size=0, max_size=14),
        "gaps": st.lists(st.integers(0, 21), min_size=14, max_size=14),
        "baseline": st.one_of(st.none(), st.integers(0, 100)),
        "goal": st.integers(0, 150),
        "goal_weeks": st.integers(1, 40),
        "higher_is_better": st.booleans(),
        "shift": st.integers(1, 40),
        "attended": st.integers(0, 10),
    }
)


def build(case: dict, shift: int = 0) -> tuple[PlanFacts, list[ProgressPoint]]:
    d = 1 if case["higher_is_better"] else -1
    day, points = 0, []
    for score, gap in zip(case["scores"], case["gaps"], strict=False):
        day += gap
        points.append(ProgressPoint(START + timedelta(days=day), score + d * shift))
    plan = facts(
        baseline=case["baseline"],
        goal=case["goal"],
        goal_date=week(case["goal_weeks"]),
        higher_is_better=case["higher_is_better"],
        sessions=five_a_week(case["attended"]),
    )
    return plan, points


@settings(max_examples=300, deadline=None)
@given(plan_cases)
def test_it_never_gives_worse_news_when_every_score_improves(case):
    plan, points = build(case)
    better_plan, better_points = build(case, shift=case["shift"])
    before = analyze_plan(plan, points)
    after = analyze_plan(better_plan, better_points)
    if before.recommendation == "insufficient_data":
        assert after.recommendation in {"insufficient_data", "exit"}
        return
    assert RANK[after.recommendation] >= RANK[before.recommendation]
    if before.recommendation == "raise_goal":
        assert after.recommendation not in {"change_intervention", "improve_fidelity"}
    if not before.dual_discrepancy:
        assert not after.dual_discrepancy


@settings(max_examples=200, deadline=None)
@given(plan_cases)
def test_it_always_returns_json_ready_evidence_and_a_known_recommendation(case):
    plan, points = build(case)
    result = analyze_plan(plan, points)
    assert isinstance(result, Analysis)
    assert result.recommendation in {*RANK, "insufficient_data"}
    assert result.rule in {"none", "goal_met", "trend_line", "data_point"}
    assert result.fidelity is None or 0 <= result.fidelity <= 1
    json.dumps(result.evidence, allow_nan=False)


def test_it_accepts_the_decimals_the_database_returns():
    # The worked example with Decimal fields, as Django model fields give them.
    result = analyze_plan(
        facts(
            baseline=Decimal("42.00"),
            goal=Decimal("92.00"),
            tolerance=Decimal("0.50"),
            benchmark=Decimal("86.00"),
            sessions_per_week=Decimal("5"),
            growth_norm=GrowthNorm(percentile=25, growth=1.8, peers=40),
        ),
        [ProgressPoint(p.date, Decimal(str(p.score))) for p in weekly(WORKED)],
    )
    assert result.trend_slope == pytest.approx(74 / 42)
    assert (result.recommendation, result.dual_discrepancy) == ("change_intervention", True)
    json.dumps(result.evidence, allow_nan=False)
