"""Early-warning rule modules of the sweep: chronic absence (and its rising trend), course
failures and suspensions (decisions/ew_rules.py). Each loads its rows with one set-based
query; attendance is counted in PostgreSQL (a year of a district's daily records never
leaves the database), marks and suspensions are small."""

from __future__ import annotations

from typing import Any

import pandas as pd

from decisions.ew_rules import chronic_absence, course_failures, suspensions
from decisions.models import FlagKind
from decisions.sweep_scope import RuleModule, SweepScope, empty_wanted, read_frame
from indicators.queries import EW_ATTENDANCE_SQL, EW_MARKS_SQL

_SUSPENSIONS_SQL = """
SELECT r.student_id, st.school_id, r.date, r.action_taken AS action
FROM screening_referral r
JOIN students_student st ON st.id = r.student_id
WHERE r.school_year_id = %(year_id)s AND r.date <= %(as_of)s
  AND r.action_taken IN ('in_school_suspension', 'out_of_school_suspension') AND {students}
"""


def _params(scope: SweepScope) -> tuple[str, dict[str, Any]]:
    students, params = scope.student_filter("st")
    return students, {
        **params,
        "year_id": scope.school_year_id,
        "as_of": scope.as_of,
        "year_start": scope.year_start,
    }


def _live_ids(scope: SweepScope, kind: str) -> set[int]:
    existing = scope.existing
    if existing.empty:
        return set()
    live = existing.loc[
        (existing["kind"] == kind) & existing["status"].isin(("open", "on_agenda")),
        "student_id",
    ]
    return set(pd.to_numeric(live).astype("int64").tolist())


def _schools(scope: SweepScope, frame: pd.DataFrame) -> pd.Series:
    """student id -> school; students judged only because of a live flag (no rows now) get
    their school from the roster."""
    return frame.drop_duplicates("student_id").set_index("student_id")["school_id"]


def _wanted(recs: pd.DataFrame, schools: pd.Series, school_of: dict[int, int]) -> pd.DataFrame:
    if recs.empty:
        return empty_wanted()
    ids = pd.to_numeric(recs["student_id"]).astype("int64")
    school = ids.map(schools).fillna(ids.map(school_of)).fillna(0).astype("int64")
    return pd.DataFrame(
        {
            "student_id": ids,
            "section_id": 0,
            "measure_id": 0,
            "plan_id": 0,
            "domain": recs["domain"],
            "kind": recs["kind"],
            "school_id": school,
            "window_id": 0,
            "recommended_tier": recs["recommended_tier"],
            "rule": recs["rule"],
            "flag": recs["flag"],
            "evidence": recs["evidence"],
            "classwide_context": False,
        }
    )


def _roster_schools(scope: SweepScope, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    frame = read_frame(
        "SELECT id, school_id FROM students_student WHERE id = ANY(%(ids)s)", {"ids": sorted(ids)}
    )
    return dict(zip(frame["id"].tolist(), frame["school_id"].tolist(), strict=True))


def load_attendance(scope: SweepScope) -> pd.DataFrame:
    students, params = _params(scope)
    # The recent-days count depends on a threshold: a what-if of another trend length
    # loads again (decisions.whatif).
    params["trend_days"] = scope.thresholds.absence_trend_days
    return read_frame(EW_ATTENDANCE_SQL.format(students=students), params)


def apply_attendance(scope: SweepScope, counts: pd.DataFrame) -> pd.DataFrame:
    live = _live_ids(scope, FlagKind.CHRONIC_ABSENCE.value)
    if counts.empty and not live:
        return empty_wanted()
    if counts.empty:
        counts = pd.DataFrame(
            {
                c: pd.Series(dtype="int64")
                for c in (
                    "student_id",
                    "school_id",
                    "days_enrolled",
                    "days_absent",
                    "recent_days",
                    "recent_absent",
                )
            }
        )
    recs = chronic_absence(counts, thresholds=scope.thresholds, judge_ids=live)
    missing = live - set(pd.to_numeric(counts["student_id"]).astype("int64").tolist())
    if missing:
        # A live flag whose student has no counted day now (records withdrawn): resolved.
        extra = pd.DataFrame(
            [
                {
                    "student_id": sid,
                    "domain": "attendance",
                    "kind": FlagKind.CHRONIC_ABSENCE.value,
                    "recommended_tier": 2,
                    "rule": "chronic_absence",
                    "flag": False,
                    "evidence": {},
                }
                for sid in sorted(missing)
            ]
        )
        recs = pd.concat([recs, extra], ignore_index=True)
    return _wanted(recs, _schools(scope, counts), _roster_schools(scope, missing))


def load_marks(scope: SweepScope) -> pd.DataFrame:
    students, params = _params(scope)
    return read_frame(EW_MARKS_SQL.format(students=students), params)


def apply_marks(scope: SweepScope, marks: pd.DataFrame) -> pd.DataFrame:
    live = _live_ids(scope, FlagKind.COURSE_FAILURE.value)
    if marks.empty and not live:
        return empty_wanted()
    if marks.empty:
        marks = pd.DataFrame(
            {
                c: pd.Series(dtype=object)
                for c in (
                    "student_id",
                    "school_id",
                    "course_code",
                    "course_name",
                    "core",
                    "passing",
                    "grading_period",
                    "letter",
                    "percent",
                )
            }
        )
    recs = course_failures(marks, thresholds=scope.thresholds, judge_ids=live)
    return _wanted(recs, _schools(scope, marks), _roster_schools(scope, live))


def load_suspensions(scope: SweepScope) -> pd.DataFrame:
    students, params = _params(scope)
    return read_frame(_SUSPENSIONS_SQL.format(students=students), params)


def apply_suspensions(scope: SweepScope, rows: pd.DataFrame) -> pd.DataFrame:
    live = _live_ids(scope, FlagKind.SUSPENSION.value)
    if rows.empty and not live:
        return empty_wanted()
    if rows.empty:
        rows = pd.DataFrame(
            {c: pd.Series(dtype=object) for c in ("student_id", "school_id", "date", "action")}
        )
    recs = suspensions(rows, thresholds=scope.thresholds, judge_ids=live)
    return _wanted(recs, _schools(scope, rows), _roster_schools(scope, live))


MODULES = [
    RuleModule(
        name="attendance",
        kinds=(FlagKind.CHRONIC_ABSENCE.value,),
        load=load_attendance,
        apply=apply_attendance,
        thresholds=frozenset(
            {
                "chronic_absence_at",
                "chronic_absence_severe_at",
                "chronic_absence_min_days",
                "absence_trend_days",
            }
        ),
        load_thresholds=frozenset({"absence_trend_days"}),
    ),
    RuleModule(
        name="course_marks",
        kinds=(FlagKind.COURSE_FAILURE.value,),
        load=load_marks,
        apply=apply_marks,
        thresholds=frozenset({"course_failures_flag_at", "core_failures_tier3_at"}),
    ),
    RuleModule(
        name="suspensions",
        kinds=(FlagKind.SUSPENSION.value,),
        load=load_suspensions,
        apply=apply_suspensions,
        thresholds=frozenset({"suspensions_tier2_at", "suspensions_tier3_at"}),
    ),
]
