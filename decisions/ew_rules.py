"""Early-warning rules (the ABCs: attendance, behavior, course performance) as pure
functions over DataFrames: rows in, one wanted-flag row per judged student out.

Sources of the defaults (mtss.lib.thresholds, docs/rules.md): chronic absence is missing 10% or
more of the days enrolled, excused or not (Attendance Works; ESSA reporting), 20% or more is
severe; a failing course mark and suspensions are the other two indicators of the Early
Warning Intervention and Monitoring System (AIR) and of Balfanz's ABC research.

Each function returns the columns `student_id, domain, kind, recommended_tier, rule, flag,
evidence`. `flag` False rows are returned only for students the caller asks about
(`judge_ids`: those with a live flag of the kind), so a flag resolves when the indicator
clears and no evidence is built for the thousands of students without one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mtss.lib.thresholds import Thresholds

OUT = ("student_id", "domain", "kind", "recommended_tier", "rule", "flag", "evidence")
# Shares compare after rounding to 9 places: 2 / 20 is exactly 10% however the float falls.
EPS = 1e-9


def _out(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in OUT})
    return pd.DataFrame.from_records(rows, columns=list(OUT))


def _ids(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values).to_numpy(dtype="int64")


# -- attendance -----------------------------------------------------------------------------

ATTENDANCE_INPUT = ("student_id", "days_enrolled", "days_absent", "recent_days", "recent_absent")


def chronic_absence(
    counts: pd.DataFrame, *, thresholds: Thresholds, judge_ids: set[int] | None = None
) -> pd.DataFrame:
    """Chronic absence (`chronic_absence`: absent share of enrolled days >= the threshold,
    once enrolled the minimum days; Tier 3 from the severe share), else a rising trend
    (`absence_rising`: over the last `absence_trend_days` school days the share reached the
    threshold while the year so far is under it, and the recent share is above the earlier
    days' share). Both are one flag kind: a student has one live attendance flag."""
    judge_ids = judge_ids or set()
    t = thresholds
    enrolled = counts["days_enrolled"].to_numpy(dtype="float64")
    absent = counts["days_absent"].to_numpy(dtype="float64")
    recent = counts["recent_days"].to_numpy(dtype="float64")
    recent_absent = counts["recent_absent"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(enrolled > 0, absent / enrolled, 0.0)
        recent_share = np.where(recent > 0, recent_absent / recent, 0.0)
        earlier = enrolled - recent
        earlier_share = np.where(earlier > 0, (absent - recent_absent) / earlier, 0.0)
    judged = enrolled >= t.chronic_absence_min_days
    chronic = judged & (share >= t.chronic_absence_at - EPS)
    rising = (
        judged
        & ~chronic
        & (recent >= t.absence_trend_days)
        & (recent_share >= t.chronic_absence_at - EPS)
        & (recent_share > earlier_share + EPS)
    )
    ids = _ids(counts["student_id"])
    wanted = chronic | rising | np.isin(ids, list(judge_ids))
    rows = []
    for i in np.flatnonzero(wanted).tolist():
        fires = bool(chronic[i] or rising[i])
        rule = "chronic_absence" if chronic[i] else "absence_rising"
        severe = bool(chronic[i]) and share[i] >= t.chronic_absence_severe_at - EPS
        evidence = (
            {
                "kind": rule,
                "rule": rule,
                "days_enrolled": int(enrolled[i]),
                "days_absent": int(absent[i]),
                "absence_share": round(float(share[i]), 4),
                "recent_days": int(recent[i]),
                "recent_absent": int(recent_absent[i]),
                "recent_share": round(float(recent_share[i]), 4),
                "chronic_at": t.chronic_absence_at,
                "severe_at": t.chronic_absence_severe_at,
                "min_days": t.chronic_absence_min_days,
                "trend_days": t.absence_trend_days,
            }
            if fires
            else {}
        )
        rows.append(
            {
                "student_id": int(ids[i]),
                "domain": "attendance",
                "kind": "chronic_absence",
                "recommended_tier": 3 if severe else 2,
                "rule": rule if fires else "chronic_absence",
                "flag": fires,
                "evidence": evidence,
            }
        )
    return _out(rows)


# -- course performance ---------------------------------------------------------------------

MARKS_INPUT = (
    "student_id",
    "course_code",
    "course_name",
    "core",
    "passing",
    "grading_period",
    "letter",
    "percent",
)


def course_failures(
    marks: pd.DataFrame, *, thresholds: Thresholds, judge_ids: set[int] | None = None
) -> pd.DataFrame:
    """`marks`: each student's latest mark per course (the caller picks the latest grading
    period). Flags `course_failures_flag_at` (1: any F) or more failing courses; Tier 3
    from `core_failures_tier3_at` (2) failing core courses."""
    judge_ids = judge_ids or set()
    t = thresholds
    failing = marks.loc[~marks["passing"].astype(bool)]
    per_student = {
        int(sid): group for sid, group in failing.groupby(pd.to_numeric(failing["student_id"]))
    }
    rows = []
    for sid in sorted(set(per_student) | set(judge_ids)):
        group = per_student.get(sid)
        n = 0 if group is None else len(group)
        core_n = 0 if group is None else int(group["core"].astype(bool).sum())
        fires = n >= t.course_failures_flag_at
        evidence: dict[str, Any] = {}
        if fires:
            evidence = {
                "kind": "course_failure",
                "rule": "course_failures",
                "failing": n,
                "failing_core": core_n,
                "flag_at": t.course_failures_flag_at,
                "core_tier3_at": t.core_failures_tier3_at,
                "courses": [
                    {
                        "course": str(r.course_name or r.course_code),
                        "code": str(r.course_code),
                        "period": str(r.grading_period),
                        "mark": str(r.letter) if r.letter else _percent_text(r.percent),
                        "core": bool(r.core),
                    }
                    for r in group.sort_values("course_code").itertuples()
                ],
            }
        rows.append(
            {
                "student_id": sid,
                "domain": "course",
                "kind": "course_failure",
                "recommended_tier": 3 if core_n >= t.core_failures_tier3_at else 2,
                "rule": "course_failures",
                "flag": fires,
                "evidence": evidence,
            }
        )
    return _out(rows)


def _percent_text(value: Any) -> str:
    number = float(value)
    return f"{number:g}%"


# -- suspensions ----------------------------------------------------------------------------


def suspensions(
    rows_in: pd.DataFrame, *, thresholds: Thresholds, judge_ids: set[int] | None = None
) -> pd.DataFrame:
    """`rows_in`: student_id, date, action (in_school_suspension / out_of_school_suspension)
    of the school year so far. Tier 2 from `suspensions_tier2_at`, Tier 3 from
    `suspensions_tier3_at`."""
    judge_ids = judge_ids or set()
    t = thresholds
    grouped = {
        int(sid): group for sid, group in rows_in.groupby(pd.to_numeric(rows_in["student_id"]))
    }
    rows = []
    for sid in sorted(set(grouped) | set(judge_ids)):
        group = grouped.get(sid)
        n = 0 if group is None else len(group)
        fires = n >= t.suspensions_tier2_at
        evidence: dict[str, Any] = {}
        if fires:
            ordered = group.sort_values("date")
            evidence = {
                "kind": "suspension",
                "rule": "suspensions",
                "suspensions": n,
                "out_of_school": int((ordered["action"] == "out_of_school_suspension").sum()),
                "dates": [str(d) for d in ordered["date"]],
                "tier2_at": t.suspensions_tier2_at,
                "tier3_at": t.suspensions_tier3_at,
            }
        rows.append(
            {
                "student_id": sid,
                "domain": "behavior",
                "kind": "suspension",
                "recommended_tier": 3 if n >= t.suspensions_tier3_at else 2,
                "rule": "suspensions",
                "flag": fires,
                "evidence": evidence,
            }
        )
    return _out(rows)
