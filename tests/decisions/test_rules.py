"""Screening-side rules against hand-worked cases (domain.md section 2). No database."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decisions.rules import (
    CLASSWIDE_OUTPUT,
    SCREENING_OUTPUT,
    classwide_problems,
    mark_classwide,
    october_catch_date,
    odr_recommendations,
    screening_tier_recommendations,
)
from decisions.thresholds import Thresholds
from screening.risk import classify_criterion

# Grade 3 winter ORF (DIBELS / Acadience): benchmark 86, cut point for risk 68.
ORF = {"measure_id": 10, "measure_code": "ORF", "measure_name": "Oral reading fluency"}
MAZE = {"measure_id": 11, "measure_code": "MAZE", "measure_name": "Maze comprehension"}
MATH = {"measure_id": 20, "measure_code": "MCOMP", "measure_name": "Math computation"}


def score(student: int, measure: dict, value: float | None, risk: str | None, **extra: Any):
    row = {
        "student_id": student,
        "domain": "math" if measure is MATH else "reading",
        **measure,
        "window_id": 5,
        "season": "winter",
        "grade": 3,
        "score": value,
        "risk_level": risk,
        "benchmark": 86.0,
        "high_risk_cut": 68.0,
        "higher_is_better": True,
        "cut_score_set_id": 7,
        "cut_score_version": 2,
        "percentile_rank": np.nan,
    }
    row.update(extra)
    return row


def by_key(out: pd.DataFrame) -> dict[tuple, dict]:
    return {(r["student_id"], r["domain"], r["window_id"]): r for r in out.to_dict("records")}


# --- tier per domain -----------------------------------------------------------------------


def test_it_recommends_the_most_intensive_tier_across_a_domains_measures():
    # Student 1 reading: ORF 38 < 68 (high risk, Tier 3) and MAZE some risk (Tier 2): Tier 3,
    # both scores listed, ORF decisive. Student 1 math at benchmark: a Tier 1 row, no flag.
    scores = pd.DataFrame(
        [
            score(1, MAZE, 15, "some_risk", benchmark=20.0, high_risk_cut=10.0),
            score(1, ORF, 38, "high_risk"),
            score(1, MATH, 40, "at_or_above", benchmark=30.0, high_risk_cut=20.0),
        ]
    )
    out = by_key(screening_tier_recommendations(scores))
    reading = out[(1, "reading", 5)]
    assert (reading["recommended_tier"], reading["risk_level"], reading["flag"]) == (
        3,
        "high_risk",
        True,
    )
    listed = reading["evidence"]["scores"]
    assert [(s["measure_code"], s["tier"], s["decisive"]) for s in listed] == [
        ("ORF", 3, True),
        ("MAZE", 2, False),
    ]
    assert listed[0] == {
        "measure_id": 10,
        "measure_code": "ORF",
        "measure_name": "Oral reading fluency",
        "score": 38,
        "risk_level": "high_risk",
        "tier": 3,
        "benchmark": 86,
        "high_risk_cut": 68,
        "higher_is_better": True,
        "cut_score_set_id": 7,
        "cut_score_version": 2,
        "percentile_rank": None,
        "grade": 3,
        "decisive": True,
    }
    math = out[(1, "math", 5)]
    assert (math["recommended_tier"], math["flag"]) == (1, False)


def test_it_marks_every_measure_of_a_tie_as_decisive():
    scores = pd.DataFrame(
        [score(2, ORF, 75, "some_risk"), score(2, MAZE, 12, "some_risk", benchmark=20.0)]
    )
    (row,) = screening_tier_recommendations(scores).to_dict("records")
    assert row["recommended_tier"] == 2
    assert [(s["measure_code"], s["decisive"]) for s in row["evidence"]["scores"]] == [
        ("MAZE", True),
        ("ORF", True),
    ]


def test_it_ignores_unclassified_scores_and_omits_students_with_none():
    scores = pd.DataFrame(
        [
            score(3, ORF, 90, "at_or_above"),
            score(3, MAZE, None, None),  # no cut score for this measure: ignored
            score(4, ORF, None, None),  # nothing classified: no row at all
        ]
    )
    out = screening_tier_recommendations(scores)
    assert out["student_id"].tolist() == [3]
    assert [s["measure_code"] for s in out.loc[0, "evidence"]["scores"]] == ["ORF"]


def test_it_keeps_windows_apart():
    scores = pd.DataFrame(
        [
            score(5, ORF, 50, "high_risk", window_id=4, season="fall"),
            score(5, ORF, 88, "at_or_above"),
        ]
    )
    out = by_key(screening_tier_recommendations(scores))
    assert out[(5, "reading", 4)]["recommended_tier"] == 3
    assert out[(5, "reading", 5)]["recommended_tier"] == 1


def test_it_keeps_percentile_classified_scores_in_the_evidence():
    # A norm-referenced score has no cut score: benchmark and set are empty, PR 8 kept.
    row = score(
        6,
        MAZE,
        9,
        "high_risk",
        benchmark=None,
        high_risk_cut=None,
        cut_score_set_id=None,
        cut_score_version=None,
        percentile_rank=8,
    )
    out = screening_tier_recommendations(pd.DataFrame([row]))
    listed = out.loc[0, "evidence"]["scores"][0]
    assert (listed["benchmark"], listed["cut_score_version"], listed["percentile_rank"]) == (
        None,
        None,
        8,
    )


def test_it_returns_json_ready_evidence_and_the_documented_columns():
    scores = pd.DataFrame([score(1, ORF, 38.0, "high_risk"), score(2, ORF, 90.5, "at_or_above")])
    out = screening_tier_recommendations(scores)
    assert list(out.columns) == list(SCREENING_OUTPUT)
    text = json.dumps(list(out["evidence"]), allow_nan=False)
    assert '"score": 38,' in text and '"score": 90.5,' in text


def test_it_refuses_an_unknown_risk_level_and_returns_an_empty_frame_for_no_scores():
    with pytest.raises(ValueError, match="unknown risk level"):
        screening_tier_recommendations(pd.DataFrame([score(1, ORF, 38, "very_high")]))
    empty = screening_tier_recommendations(pd.DataFrame([score(1, ORF, None, None)]))
    assert empty.empty and list(empty.columns) == list(SCREENING_OUTPUT)


RISKS = ["at_or_above", "some_risk", "high_risk"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(RISKS), min_size=1, max_size=4),
    st.data(),
)
def test_it_never_worsens_the_tier_when_one_measure_improves(risks, data):
    # A higher score can only move a measure's risk level toward at_or_above; the domain's
    # recommendation must then stay or improve.
    measures = [
        {"measure_id": i, "measure_code": f"M{i}", "measure_name": f"M{i}"} for i in range(4)
    ]
    which = data.draw(st.integers(0, len(risks) - 1))
    better = data.draw(st.sampled_from(RISKS[: RISKS.index(risks[which]) + 1]))
    improved = [*risks]
    improved[which] = better
    before = screening_tier_recommendations(
        pd.DataFrame([score(1, m, 1, r) for m, r in zip(measures, risks, strict=False)])
    )
    after = screening_tier_recommendations(
        pd.DataFrame([score(1, m, 1, r) for m, r in zip(measures, improved, strict=False)])
    )
    assert after.loc[0, "recommended_tier"] <= before.loc[0, "recommended_tier"]
    # And the tier is the worst level present: Tier 3 iff some measure is high risk, etc.
    assert before.loc[0, "recommended_tier"] == 1 + max(RISKS.index(r) for r in risks)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 150), st.integers(0, 150), st.integers(0, 150), st.booleans()),
        min_size=1,
        max_size=3,
    ),
    st.integers(1, 50),
    st.data(),
)
def test_it_never_worsens_the_tier_when_a_score_rises(measures, rise, data):
    # Each measure: (score, benchmark, high-risk cut, higher is better), classified by the
    # screening app's criterion rule. Improving one score (up, or down on a lower-is-better
    # measure) never makes the domain's recommended tier more intensive.
    which = data.draw(st.integers(0, len(measures) - 1))

    def tier(improve: bool) -> int:
        rows = []
        for i, (value, benchmark, cut, higher) in enumerate(measures):
            low, high = sorted((benchmark, cut))
            bench, risk_cut = (high, low) if higher else (low, high)
            if improve and i == which:
                value = value + rise if higher else value - rise
            risk = classify_criterion(value, bench, risk_cut, higher)
            rows.append(
                score(
                    1,
                    {"measure_id": i, "measure_code": f"M{i}", "measure_name": f"M{i}"},
                    value,
                    str(risk),
                    benchmark=bench,
                    high_risk_cut=risk_cut,
                    higher_is_better=higher,
                )
            )
        return int(screening_tier_recommendations(pd.DataFrame(rows)).loc[0, "recommended_tier"])

    assert tier(improve=True) <= tier(improve=False)


def test_it_accepts_the_decimals_the_database_returns():
    scores = pd.DataFrame(
        [
            score(
                1,
                ORF,
                Decimal("38.0"),
                "high_risk",
                benchmark=Decimal("86.00"),
                high_risk_cut=Decimal("68.50"),
            )
        ]
    )
    listed = screening_tier_recommendations(scores).loc[0, "evidence"]["scores"][0]
    assert (listed["score"], listed["benchmark"], listed["high_risk_cut"]) == (38, 86, 68.5)
    section = pd.DataFrame(section_scores(1, [Decimal("40"), Decimal("50.5")], Decimal("70")))
    assert classwide_problems(section).loc[0, "median_score"] == 45.25
    json.dumps(listed, allow_nan=False)


# --- classwide problem ---------------------------------------------------------------------


def section_scores(section: int, scores: list, benchmark: float = 70.0, **extra: Any):
    rows = []
    for value in scores:
        row = {
            "section_id": section,
            "measure_id": 10,
            "measure_code": "ORF",
            "measure_name": "Oral reading fluency",
            "domain": "reading",
            "window_id": 5,
            "score": value,
            "benchmark": benchmark,
            "higher_is_better": True,
        }
        row.update(extra)
        rows.append(row)
    return rows


def test_it_flags_a_class_whose_median_is_below_the_benchmark():
    # 40, 50, 60, 70: median (50 + 60) / 2 = 55 < 70. Three of four below 70.
    out = classwide_problems(pd.DataFrame(section_scores(1, [40, 50, 60, 70])))
    assert list(out.columns) == list(CLASSWIDE_OUTPUT)
    row = out.iloc[0]
    assert (row["n"], row["median_score"], row["benchmark"], row["median_gap"]) == (
        4,
        55,
        70,
        -15,
    )
    assert row["flag"]
    assert row["evidence"]["n_below_benchmark"] == 3
    json.dumps(row["evidence"], allow_nan=False)


def test_it_does_not_flag_a_class_whose_median_equals_the_benchmark():
    # 60, 70, 70, 80: median 70, not below 70. An unscored student does not count.
    out = classwide_problems(pd.DataFrame(section_scores(1, [60, 70, 70, 80, None])))
    assert out.loc[0, "n"] == 4
    assert not out.loc[0, "flag"]


def test_it_mirrors_the_classwide_rule_for_lower_is_better_measures():
    # Errors, benchmark 4: 2, 4, 6, 8 has median 5 > 4 (worse): problem;
    # 2, 3, 4, 9 has median 3.5 <= 4: none.
    rows = section_scores(1, [2, 4, 6, 8], benchmark=4, higher_is_better=False) + section_scores(
        2, [2, 3, 4, 9], benchmark=4, higher_is_better=False
    )
    out = classwide_problems(pd.DataFrame(rows))
    assert out["flag"].tolist() == [True, False]


def test_it_judges_a_mixed_grade_class_by_each_students_own_benchmark():
    # Grade 2 (benchmark 72): 60, 80 -> gaps -12, +8. Grade 3 (86): 80, 90, 95 -> -6, +4, +9.
    # Median gap of -12, -6, 4, 8, 9 is 4 >= 0: no problem (though the median score 80 is
    # below grade 3's 86).
    rows = section_scores(1, [60, 80], benchmark=72) + section_scores(1, [80, 90, 95], benchmark=86)
    # Section 2: grade 2 60, 70 (-12, -2); grade 3 80, 90 (-6, +4): median (-6 + -2) / 2 = -4.
    rows += section_scores(2, [60, 70], benchmark=72) + section_scores(2, [80, 90], benchmark=86)
    out = classwide_problems(pd.DataFrame(rows))
    first, second = out.to_dict("records")
    assert (first["median_score"], first["median_gap"], first["flag"]) == (80, 4, False)
    assert np.isnan(first["benchmark"])
    assert first["evidence"]["mixed_benchmarks"] is True
    assert first["evidence"]["benchmarks"] == [72, 86]
    assert (second["median_gap"], second["flag"]) == (-4, True)


def test_it_keeps_measures_and_windows_apart_and_can_be_switched_off():
    rows = section_scores(1, [40, 50, 60]) + section_scores(1, [80, 90, 100], window_id=6)
    out = classwide_problems(pd.DataFrame(rows))
    assert out["flag"].tolist() == [True, False]
    off = classwide_problems(pd.DataFrame(rows), thresholds=Thresholds(classwide_enabled=False))
    assert off["flag"].tolist() == [False, False]
    assert off.loc[0, "evidence"]["rule_enabled"] is False


def recs_for(*rows: tuple[int, str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "student_id": student,
                "domain": domain,
                "window_id": 5,
                "recommended_tier": tier,
                "flag": tier >= 2,
                "evidence": {"kind": "screening"},
            }
            for student, domain, tier in rows
        ]
    )


def test_it_marks_tier_2_recommendations_of_students_in_a_classwide_problem_section():
    # Section 1 has a reading problem (median 55 < 70); section 2 does not (median 90).
    classwide = classwide_problems(
        pd.DataFrame(section_scores(1, [40, 50, 60, 70]) + section_scores(2, [80, 90, 100]))
    )
    recs = recs_for(
        (1, "reading", 2),  # section 1: marked
        (2, "reading", 3),  # section 1 but Tier 3: not marked
        (3, "reading", 2),  # section 2 only: not marked
        (4, "math", 2),  # section 1 but another domain: not marked
        (5, "reading", 2),  # sections 2 and 1: marked
    )
    enrollments = pd.DataFrame({"student_id": [1, 2, 3, 4, 5, 5], "section_id": [1, 1, 2, 1, 2, 1]})
    out = mark_classwide(recs, classwide, enrollments)
    assert out["classwide"].tolist() == [True, False, False, False, True]
    assert out.loc[0, "evidence"]["classwide"] == [
        {
            "section_id": 1,
            "measure_id": 10,
            "measure_code": "ORF",
            "measure_name": "Oral reading fluency",
            "median_score": 55,
            "benchmark": 70,
            "median_gap": -15,
            "n": 4,
            "n_below_benchmark": 3,
        }
    ]
    assert "classwide" not in recs.loc[0, "evidence"]  # the input is not changed
    assert "classwide" not in out.loc[1, "evidence"]


def test_it_does_not_mark_across_windows():
    classwide = classwide_problems(pd.DataFrame(section_scores(1, [40, 50], window_id=4)))
    out = mark_classwide(
        recs_for((1, "reading", 2)), classwide, pd.DataFrame({"student_id": [1], "section_id": [1]})
    )
    assert out["classwide"].tolist() == [False]


# --- office discipline referrals -----------------------------------------------------------

YEAR_START = date(2024, 8, 19)


def referrals(*rows: tuple[int, date]) -> pd.DataFrame:
    return pd.DataFrame([{"student_id": s, "date": d} for s, d in rows])


def odr_rows(out: pd.DataFrame, kind: str) -> dict[int, dict]:
    return {r["student_id"]: r for r in out.to_dict("records") if r["kind"] == kind}


def test_it_bands_referral_counts_into_tiers():
    # Student n has n referrals in January: 1 -> Tier 1, 2 -> 2, 5 -> 2, 6 -> 3; student 0
    # has none and comes only from the list of all students.
    rows = [(n, date(2025, 1, 6 + i)) for n in (1, 2, 5, 6) for i in range(n)]
    out = odr_recommendations(
        referrals(*rows), year_start=YEAR_START, as_of=date(2025, 2, 1), student_ids=[0, 1, 2, 5, 6]
    )
    odr = odr_rows(out, "odr")
    assert {s: (r["referrals"], r["recommended_tier"], r["flag"]) for s, r in odr.items()} == {
        0: (0, 1, False),
        1: (1, 1, False),
        2: (2, 2, True),
        5: (5, 2, True),
        6: (6, 3, True),
    }
    assert odr[6]["evidence"]["referral_dates"][0] == "2025-01-06"
    assert odr[6]["domain"] == "behavior"
    json.dumps(list(out["evidence"]), allow_nan=False)


def test_it_counts_only_this_school_year_up_to_the_run_date():
    rows = [
        (1, date(2024, 6, 1)),  # last school year
        (1, date(2024, 8, 19)),  # first day: counts
        (1, date(2025, 2, 1)),  # the run date itself: counts
        (1, date(2025, 2, 2)),  # after the run date: not known yet
    ]
    out = odr_recommendations(referrals(*rows), year_start=YEAR_START, as_of=date(2025, 2, 1))
    assert odr_rows(out, "odr")[1]["referrals"] == 2


def test_it_raises_the_october_catch_on_the_31st_but_not_on_1_november():
    rows = [
        (1, date(2024, 9, 12)),
        (1, date(2024, 10, 31)),  # second by 31 October: caught
        (2, date(2024, 9, 12)),
        (2, date(2024, 11, 1)),  # second one day late: not caught (still Tier 2 by count)
    ]
    out = odr_recommendations(referrals(*rows), year_start=YEAR_START, as_of=date(2024, 12, 1))
    catch = odr_rows(out, "october_catch")
    assert (catch[1]["flag"], catch[1]["referrals"], catch[1]["recommended_tier"]) == (True, 2, 2)
    assert (catch[2]["flag"], catch[2]["referrals"]) == (False, 1)
    assert odr_rows(out, "odr")[2]["recommended_tier"] == 2
    assert catch[1]["evidence"]["october_catch_date"] == "2024-10-31"


def test_it_raises_the_october_catch_as_soon_as_the_second_referral_exists():
    rows = [(1, date(2024, 9, 10)), (1, date(2024, 9, 19))]
    early = odr_recommendations(referrals(*rows), year_start=YEAR_START, as_of=date(2024, 9, 20))
    assert odr_rows(early, "october_catch")[1]["flag"]
    before = odr_recommendations(referrals(*rows), year_start=YEAR_START, as_of=date(2024, 9, 15))
    assert not odr_rows(before, "october_catch")[1]["flag"]
    spring = odr_recommendations(referrals(*rows), year_start=YEAR_START, as_of=date(2025, 4, 1))
    assert odr_rows(spring, "october_catch")[1]["flag"]  # stays raised all year


def test_it_uses_the_rule_sets_odr_bands():
    # Tier 2 from 3 referrals: two referrals are Tier 1 now, but the October catch still fires.
    rows = [(1, date(2024, 9, 10)), (1, date(2024, 10, 1))]
    out = odr_recommendations(
        referrals(*rows),
        year_start=YEAR_START,
        as_of=date(2024, 11, 1),
        thresholds=Thresholds(odr_tier2_at=3, odr_tier3_at=8),
    )
    assert odr_rows(out, "odr")[1]["recommended_tier"] == 1
    assert odr_rows(out, "october_catch")[1]["flag"]


def test_it_finds_the_catch_date_of_a_year_that_starts_after_october():
    assert october_catch_date(date(2024, 8, 19)) == date(2024, 10, 31)
    assert october_catch_date(date(2025, 1, 27)) == date(2025, 10, 31)
    assert october_catch_date(date(2024, 11, 4)) == date(2025, 10, 31)


def test_it_returns_no_rows_without_students():
    out = odr_recommendations(
        pd.DataFrame({"student_id": [], "date": []}), year_start=YEAR_START, as_of=date(2025, 1, 1)
    )
    assert out.empty
