"""The early-warning rules at their boundaries, with hand-computed worked examples
(default thresholds: chronic from 10%, severe from 20%, judged after 10 days, trend over
the last 20 school days; any failing course, Tier 3 from 2 failing core courses;
suspensions Tier 2 from 1, Tier 3 from 2)."""

from __future__ import annotations

import pandas as pd

from decisions.ew_rules import chronic_absence, course_failures, suspensions
from indicators.explain import explain_attendance, explain_course_failure
from mtss.lib.thresholds import DEFAULT_THRESHOLDS as T


def _counts(rows):
    return pd.DataFrame(
        rows,
        columns=["student_id", "days_enrolled", "days_absent", "recent_days", "recent_absent"],
    )


def _by_student(frame):
    return {int(r.student_id): r for r in frame.itertuples()}


def test_chronic_absence_boundaries():
    out = _by_student(
        chronic_absence(
            _counts(
                [
                    (1, 20, 2, 20, 2),  # 2 / 20 = exactly 10%: chronic, Tier 2
                    (2, 20, 1, 20, 1),  # 5%: no
                    (3, 9, 1, 9, 1),  # 11% but only 9 days enrolled: not judged yet
                    (4, 10, 2, 10, 2),  # exactly 20%: severe, Tier 3
                    (5, 21, 2, 20, 1),  # 2 / 21 = 9.5%: under the line (and 1 of the last 20)
                ]
            ),
            thresholds=T,
        )
    )
    assert set(out) == {1, 4}
    assert (out[1].flag, out[1].rule, out[1].recommended_tier) == (True, "chronic_absence", 2)
    assert out[1].evidence["absence_share"] == 0.1
    assert (out[4].recommended_tier, out[4].evidence["days_absent"]) == (3, 2)


def test_rising_trend():
    out = _by_student(
        chronic_absence(
            _counts(
                [
                    # 5 of 60 (8.3%) for the year; 4 of the last 20 (20%), 1 of the 40
                    # before (2.5%): rising.
                    (1, 60, 5, 20, 4),
                    # The last 20: exactly 2 (10%); before: 3 of 40 (7.5%); year 5/60: rising.
                    (2, 60, 5, 20, 2),
                    # The last 20: 1 (5%): not rising.
                    (3, 60, 4, 20, 1),
                    # Only 19 recent days known (a new student): no trend yet.
                    (4, 19, 1, 19, 1),
                ]
            ),
            thresholds=T,
        )
    )
    assert set(out) == {1, 2}
    assert (out[1].rule, out[1].recommended_tier) == ("absence_rising", 2)
    assert out[2].evidence["recent_share"] == 0.1
    assert explain_attendance(out[1].evidence) == (
        "Missed 4 of the last 20 school days (20%), at or above the chronic-absence line of "
        "10%, while the year so far is 8.3% (5 of 60 school days): absences are rising, "
        "Tier 2 recommended."
    )


def test_a_live_flag_is_judged_and_resolves():
    out = chronic_absence(_counts([(7, 40, 1, 20, 0)]), thresholds=T, judge_ids={7})
    assert out["flag"].tolist() == [False]


def _marks(rows):
    return pd.DataFrame(
        rows,
        columns=["student_id", "course_code", "course_name", "core", "passing",
                 "grading_period", "letter", "percent"],
    )  # fmt: skip


def test_course_failures():
    out = _by_student(
        course_failures(
            _marks(
                [
                    (1, "ART6", "Art", False, False, "Q1", "F", None),
                    (1, "MATH6", "Math 6", True, True, "Q1", "B", None),
                    (2, "MATH6", "Math 6", True, False, "Q1", "", 52.0),
                    (2, "ELA6", "English 6", True, False, "Q1", "F", None),
                    (3, "MATH6", "Math 6", True, True, "Q1", "C", None),
                ]
            ),
            thresholds=T,
            judge_ids={3},
        )
    )
    assert (out[1].flag, out[1].recommended_tier) == (True, 2)
    assert (out[2].flag, out[2].recommended_tier, out[2].evidence["failing_core"]) == (True, 3, 2)
    assert out[3].flag is False
    assert explain_course_failure(out[2].evidence) == (
        "Failing 2 courses in the latest grading period, 2 of them core: English 6 F (Q1, "
        "core), Math 6 52% (Q1, core). Tier 3 recommended (2 or more failing core courses)."
    )


def test_suspensions():
    rows = pd.DataFrame(
        [
            (1, "2026-10-02", "in_school_suspension"),
            (2, "2026-10-02", "out_of_school_suspension"),
            (2, "2026-11-12", "in_school_suspension"),
        ],
        columns=["student_id", "date", "action"],
    )
    out = _by_student(suspensions(rows, thresholds=T))
    assert (out[1].recommended_tier, out[2].recommended_tier) == (2, 3)
    assert out[2].evidence["out_of_school"] == 1
