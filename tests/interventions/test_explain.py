"""The "why" sentences read right and carry the numbers. No database."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from decisions.rules import classwide_problems, odr_recommendations, screening_tier_recommendations
from interventions.analysis import GrowthNorm, PlanFacts, ProgressPoint, SessionLog, analyze_plan
from interventions.explain import explain, explain_analysis

START = date(2024, 9, 2)  # Monday
AS_OF = date(2024, 12, 20)


def weekly(scores: list[float]) -> list[ProgressPoint]:
    return [ProgressPoint(START + timedelta(weeks=w), s) for w, s in enumerate(scores)]


# Mon/Wed/Fri for ten weeks, all attended.
THREE_A_WEEK = [SessionLog(START + timedelta(days=7 * w + d)) for w in range(10) for d in (0, 2, 4)]


def plan(**overrides) -> PlanFacts:
    values = dict(
        phase_start=START,
        baseline=40.0,
        goal=70.0,
        goal_date=START + timedelta(weeks=20),  # aim (70 - 40) / 20 = 1.5 per week
        as_of=AS_OF,
        sessions_per_week=3,
        sessions=THREE_A_WEEK,
    )
    values.update(overrides)
    return PlanFacts(**values)


def test_it_explains_a_trend_below_the_aim_with_the_numbers():
    # 40 + 0.8 w: trend 0.80 < 1.5 - 0.5. Span 2 Sep - 21 Oct = 50 days, planned 3 x 50 / 7
    # = 21.4, attended 7 x 3 + 1 = 22: fidelity capped at 100%.
    result = analyze_plan(plan(), weekly([40 + 0.8 * w for w in range(8)]))
    assert explain_analysis(result, unit="words") == (
        "8 points since 2 Sep. Trend +0.80 words/week is below the aim of 1.50 minus the "
        "tolerance of 0.50 (1.00): change the intervention. "
        "Sessions: 22 delivered, 21.4 planned (fidelity 100%)."
    )


def test_it_explains_a_trend_within_and_above_the_band():
    within = analyze_plan(plan(baseline=42, goal=72), weekly([42, 45, 44, 48, 50, 49, 53, 55]))
    assert "Trend +1.76 per week is within the aim of 1.50 plus or minus the tolerance of " in (
        explain(within.evidence)
    )
    assert explain(within.evidence).endswith("(1.00 to 2.00): continue the plan. " + SESSIONS_22)
    above = analyze_plan(plan(), weekly([40 + 2.5 * w for w in range(8)]))
    assert (
        "Trend +2.50 per week is above the aim of 1.50 plus the tolerance of 0.50 (2.00): "
        "raise the goal." in explain(above.evidence)
    )


SESSIONS_22 = "Sessions: 22 delivered, 21.4 planned (fidelity 100%)."


def test_it_says_why_fidelity_comes_first():
    # Points 2-15 Sep (14 days): 3 x 14 / 7 = 6 planned; 4 attended = 67% < 80%.
    points = [ProgressPoint(START + timedelta(days=d), 30) for d in (0, 2, 4, 7, 9, 13)]
    sessions = [SessionLog(START + timedelta(days=d), d < 7) for d in (0, 2, 4, 7, 9, 11)]
    sessions[3] = SessionLog(START + timedelta(days=7), True)  # 0, 2, 4, 7 attended
    result = analyze_plan(plan(sessions=sessions), points)
    assert result.recommendation == "improve_fidelity"
    assert explain(result.evidence).endswith(
        "Only 4 of 6 planned sessions were delivered (67%, below the 80% minimum): deliver "
        "the plan as written before deciding the intervention does not work."
    )
    unknown = analyze_plan(plan(sessions=[]), points)
    assert "No sessions are logged for this period" in explain(unknown.evidence)


def test_it_lists_the_points_of_the_data_point_rule():
    # Aim line 40 + 1.5 w on weeks 2..5: 43, 44.5, 46, 47.5.
    result = analyze_plan(plan(), weekly([41, 42, 44, 46, 47, 49]))
    assert explain(result.evidence).startswith(
        "6 points since 2 Sep. The last 4 points (44, 46, 47, 49) are all above the aim line "
        "(43, 44.5, 46, 47.5): raise the goal."
    )


def test_it_explains_goal_met_and_missing_data():
    met = analyze_plan(plan(baseline=30, goal=50), weekly([45, 50, 51, 52]))
    assert explain(met.evidence) == (
        "4 points since 2 Sep. The last 3 points (50, 51, 52) are at or above the goal of 50: "
        "goal met. Consider exiting or fading the support."
    )
    few = analyze_plan(plan(), weekly([40, 41, 42, 43, 44]))
    assert explain(few.evidence) == (
        "5 points since 2 Sep. 1 more point needed before the data can guide a decision "
        "(the rules need 6)."
    )


def test_it_words_lower_is_better_trends_and_dual_discrepancy():
    # Errors: baseline 20, goal 0 on week 20: aim -1.0. Flat 20: trend 0 > -1.0 + 0.5, and
    # the latest 20 is above the benchmark 5; peers at the 25th percentile of improvement cut
    # 0.5 errors a week, so a trend of 0 is slower than them. Sessions fully delivered.
    norm = GrowthNorm(percentile=25, growth=-0.5, peers=30)
    result = analyze_plan(
        plan(baseline=20, goal=0, higher_is_better=False, benchmark=5, growth_norm=norm),
        weekly([20] * 8),
    )
    text = explain(result.evidence, unit="errors")
    assert text.startswith(
        "8 points since 2 Sep. Trend +0.00 errors/week is above the aim of -1.00 plus the "
        "tolerance of 0.50 (-0.50) (lower is better on this measure): change the intervention."
    )
    assert text.endswith(
        "Dual discrepancy: the latest score 20 is above the benchmark 5, and growth of +0.00 "
        "errors/week is slower than the 25th percentile of growth among 30 peers in the same "
        "grade (-0.50 errors/week): consider Tier 3."
    )


# --- screening, classwide, ODR -------------------------------------------------------------


def screening_row(**overrides):
    row = {
        "student_id": 1,
        "domain": "reading",
        "measure_id": 10,
        "measure_code": "ORF",
        "measure_name": "Oral reading fluency",
        "window_id": 5,
        "season": "winter",
        "grade": 3,
        "score": 38,
        "risk_level": "high_risk",
        "benchmark": 72,
        "high_risk_cut": 55,
        "higher_is_better": True,
        "cut_score_set_id": 7,
        "cut_score_version": 2,
        "percentile_rank": None,
    }
    row.update(overrides)
    return row


def screening_text(*rows) -> str:
    out = screening_tier_recommendations(pd.DataFrame(list(rows)))
    return explain(out.loc[0, "evidence"])


def test_it_explains_a_screening_tier_like_the_issue_example():
    assert screening_text(screening_row()) == (
        "Oral reading fluency 38 in winter is below the cut point for risk 55 (grade 3, cut-score set v2): "
        "Tier 3 recommended."
    )


def test_it_names_kindergarten_and_pre_k_as_teachers_do():
    assert screening_text(screening_row(grade=0)) == (
        "Oral reading fluency 38 in winter is below the cut point for risk 55 (grade K, cut-score set v2): "
        "Tier 3 recommended."
    )
    pre_k = screening_row(grade=-1, benchmark=None, high_risk_cut=None, percentile_rank=8)
    assert "of the district's grade PK students" in screening_text(pre_k)


def test_it_explains_some_risk_benchmark_percentiles_and_other_measures():
    assert screening_text(screening_row(score=60, risk_level="some_risk")) == (
        "Oral reading fluency 60 in winter is below the benchmark 72 but not below the cut point for risk 55 "
        "(grade 3, cut-score set v2): Tier 2 recommended."
    )
    assert screening_text(screening_row(score=80, risk_level="at_or_above")) == (
        "Oral reading fluency 80 in winter is at or above the benchmark 72 (grade 3, cut-score set v2): "
        "no extra support recommended (Tier 1)."
    )
    maze = screening_row(
        measure_id=11,
        measure_code="MAZE",
        measure_name="Maze",
        score=9,
        risk_level="some_risk",
        benchmark=None,
        high_risk_cut=None,
        cut_score_version=None,
        percentile_rank=12,
    )
    assert screening_text(maze) == (
        "Maze 9 in winter is at the 12th percentile of the district's grade 3 students: "
        "Tier 2 recommended."
    )
    assert screening_text(screening_row(), maze).endswith("Also considered: Maze 9 (some risk).")


def test_it_names_the_measure_and_falls_back_to_its_code_only_without_a_name():
    text = screening_text(screening_row(measure_code="orf-wcpm"))
    assert text.startswith("Oral reading fluency 38 in winter") and "orf-wcpm" not in text
    assert screening_text(screening_row(measure_name=None)).startswith("ORF 38 in winter")


def test_it_mirrors_screening_words_for_lower_is_better_measures():
    errors = screening_row(
        measure_code="ERR",
        measure_name="Errors per minute",
        score=12,
        benchmark=4,
        high_risk_cut=8,
        higher_is_better=False,
    )
    assert screening_text(errors).startswith(
        "Errors per minute 12 in winter is above the cut point for risk 8"
    )


def test_it_explains_a_classwide_problem():
    scores = pd.DataFrame(
        {
            "section_id": 1,
            "measure_id": 10,
            "measure_code": "ORF",
            "measure_name": "Oral reading fluency",
            "domain": "reading",
            "window_id": 5,
            "score": [40, 50, 60, 70],
            "benchmark": 70,
            "higher_is_better": True,
        }
    )
    out = classwide_problems(scores)
    assert explain(out.loc[0, "evidence"]) == (
        "The class median on Oral reading fluency is 55, below the benchmark 70 (3 of 4 students did not reach "
        "the benchmark): a classwide problem. Strengthen core (Tier 1) instruction for the "
        "whole class first; individual Tier 2 flags from this class are marked."
    )
    fine = classwide_problems(scores.assign(score=[70, 75, 80, 85]))
    assert explain(fine.loc[0, "evidence"]) == (
        "The class median on Oral reading fluency is 77.5, not below the benchmark 70 (0 of 4 students did not "
        "reach the benchmark): no classwide problem."
    )


def test_it_explains_odr_bands_and_the_october_catch():
    referrals = pd.DataFrame(
        {"student_id": [1, 1], "date": [date(2024, 9, 10), date(2024, 10, 31)]}
    )
    out = odr_recommendations(referrals, year_start=date(2024, 8, 19), as_of=date(2024, 11, 15))
    texts = [explain(e) for e in out["evidence"]]
    assert texts == [
        "2 major office discipline referrals this school year (since 19 Aug). 2 to 5 "
        "referrals: Tier 2 recommended.",
        "2 major office discipline referrals by 31 Oct (on 10 Sep and 31 Oct): an early warning, as "
        "students with two or more referrals by the end of October tend to keep receiving "
        "them. Tier 2 behavior support recommended.",
    ]


def test_it_refuses_evidence_it_does_not_know():
    with pytest.raises(ValueError, match="kind"):
        explain({"kind": "mystery"})
