"""Screening-side rule modules of the sweep: screening risk per domain, classwide problems,
office discipline referrals and the October catch (domain.md section 2).

Each module loads its rows with one or two set-based queries (numbers cast to float8 in SQL,
so pandas gets floats, not Decimals) and calls the pure rules of decisions/rules.py.

Which window counts: for each student and domain, the latest window of the school year
(started on or before the sweep's date) in which the student has a classified score in that
domain. A fall flag is therefore updated in place by the winter scores (one live screening
flag per student and domain per year, with the winter evidence), not doubled. The same holds
for classwide flags: per section and measure, the latest window with scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from decisions.models import FlagKind
from decisions.rules import (
    CLASSWIDE_INPUT,
    SCREENING_INPUT,
    classwide_problems,
    mark_classwide,
    odr_recommendations,
    screening_tier_recommendations,
)
from decisions.sweep_scope import RuleModule, SweepScope, empty_wanted, read_frame
from mtss.lib.vocabulary import Domain

_SCORES_SQL = """
SELECT s.student_id, st.school_id, m.domain, s.measure_id, m.code AS measure_code,
       m.name AS measure_name, s.window_id, w.season, w.start_date AS window_start, s.grade,
       s.score::float8 AS score, s.risk_level, c.benchmark::float8 AS benchmark,
       c.high_risk_cut::float8 AS high_risk_cut, m.higher_is_better, s.cut_score_set_id,
       cs.version AS cut_score_version, s.percentile_rank
FROM screening_screeningscore s
JOIN students_student st ON st.id = s.student_id
JOIN screening_screeningwindow w ON w.id = s.window_id
JOIN screening_measure m ON m.id = s.measure_id
LEFT JOIN screening_cutscoreset cs ON cs.id = s.cut_score_set_id
LEFT JOIN screening_cutscore c
       ON c.cut_score_set_id = s.cut_score_set_id AND c.grade = s.grade AND c.season = w.season
WHERE w.school_year_id = %(year_id)s AND w.start_date <= %(as_of)s AND {students}
"""

_ENROLLMENTS_SQL = """
SELECT e.student_id, e.section_id, sec.school_id
FROM students_enrollment e
JOIN students_section sec ON sec.id = e.section_id
JOIN students_student st ON st.id = e.student_id
WHERE sec.school_year_id = %(year_id)s AND sec.active AND e.active AND {students}
"""

_REFERRALS_SQL = """
SELECT r.student_id, st.school_id, r.date, r.severity
FROM screening_referral r
JOIN students_student st ON st.id = r.student_id
WHERE r.school_year_id = %(year_id)s AND r.date <= %(as_of)s AND {students}
"""


def _params(scope: SweepScope, extra: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    students, params = scope.student_filter("st")
    return students, {**params, "year_id": scope.school_year_id, "as_of": scope.as_of, **extra}


# -- screening risk and classwide problems -----------------------------------------------------


def load_screening(
    scope: SweepScope, *, student_ids: list[int] | None = None, measure_id: int | None = None
) -> dict[str, pd.DataFrame]:
    """The scores of the year so far and the current enrollments of the scope's students.

    The what-if preview of a cut-score version (decisions.whatif_cuts) reads the same rows for
    fewer students (`student_ids`) or one measure's scores only (`measure_id`)."""
    students, params = _params(scope, {})
    if student_ids is not None:
        students += " AND st.id = ANY(%(student_ids)s)"
        params["student_ids"] = list(student_ids)
    score_filter = students
    if measure_id is not None:
        score_filter += " AND s.measure_id = %(measure_id)s"
        params["measure_id"] = measure_id
    scores = read_frame(_SCORES_SQL.format(students=score_filter), params)
    # datetime64, not date objects: grouped max() then runs in C.
    scores["window_start"] = pd.to_datetime(scores["window_start"])
    enrollments = read_frame(_ENROLLMENTS_SQL.format(students=students), params)
    return {"scores": scores, "enrollments": enrollments}


DOMAIN_CODES = {value: code for code, value in enumerate(Domain.values, start=1)}


def _student_domain_key(student_ids: pd.Series, domains: pd.Series) -> np.ndarray:
    """One int64 per (student, domain): grouping and matching on it runs in C, where a
    (int, str) pair would be factorized first."""
    codes = domains.map(DOMAIN_CODES).fillna(0).to_numpy(dtype="int64")
    return pd.to_numeric(student_ids).to_numpy(dtype="int64") * 16 + codes


def _latest(frame: pd.DataFrame, key: np.ndarray | list[str]) -> pd.DataFrame:
    """Rows of the latest window per key (by window start date)."""
    by = key if isinstance(key, list) else pd.Series(key, index=frame.index)
    newest = frame.groupby(by, sort=False)["window_start"].transform("max")
    return frame.loc[frame["window_start"] == newest]


def _worth_judging(scope: SweepScope, current: pd.DataFrame) -> pd.DataFrame:
    """The (student, domain) groups whose judgement can change a flag: a score at risk, or a
    live screening flag to keep or resolve. The others (most students: at benchmark, no
    flag) would give "no flag" rows that change nothing, so their evidence is not built."""
    key = _student_domain_key(current["student_id"], current["domain"])
    at_risk_rows = current["risk_level"].isin(("some_risk", "high_risk")).to_numpy()
    existing = scope.existing
    live = existing.loc[
        (existing["kind"] == FlagKind.SCREENING_RISK.value)
        & existing["status"].isin(("open", "on_agenda"))
    ]
    wanted = np.union1d(key[at_risk_rows], _student_domain_key(live["student_id"], live["domain"]))
    return current.loc[np.isin(key, wanted)]


def _classwide(scope: SweepScope, scores: pd.DataFrame, enrollments: pd.DataFrame) -> pd.DataFrame:
    """Classwide problems: each section's median per measure and window, then the section's
    latest window per measure."""
    window_start = scores.drop_duplicates("window_id").set_index("window_id")["window_start"]
    # Only scores with a benchmark can make a class median fall short of it.
    cw_rows = scores.loc[scores["benchmark"].notna()].merge(
        enrollments[["student_id", "section_id"]], on="student_id"
    )
    classwide = classwide_problems(
        cw_rows[[*CLASSWIDE_INPUT, "measure_code", "measure_name"]], thresholds=scope.thresholds
    )
    if len(classwide):
        classwide["window_start"] = classwide["window_id"].map(window_start)
        classwide = _latest(classwide, ["section_id", "measure_id"])
    return classwide


def _section_flags(classwide: pd.DataFrame, enrollments: pd.DataFrame) -> pd.DataFrame:
    section_schools = enrollments.drop_duplicates("section_id").set_index("section_id")["school_id"]
    return pd.DataFrame(
        {
            "student_id": 0,
            "section_id": classwide["section_id"],
            "measure_id": classwide["measure_id"],
            "plan_id": 0,
            "domain": classwide["domain"],
            "kind": FlagKind.CLASSWIDE.value,
            "school_id": classwide["section_id"].map(section_schools),
            "window_id": classwide["window_id"],
            # A classwide problem asks for a classwide Tier 1 intervention.
            "recommended_tier": 1,
            "rule": "classwide_median",
            "flag": classwide["flag"],
            "evidence": classwide["evidence"],
            "classwide_context": False,
        }
    )


def apply_classwide(scope: SweepScope, data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The classwide flags alone (what `apply_screening` wants for sections): for the what-if
    preview of a cut-score version, which judges whole classes only for their medians."""
    scores = data["scores"]
    if scores.empty:
        return empty_wanted()
    classwide = _classwide(scope, scores, data["enrollments"])
    if classwide.empty:
        return empty_wanted()
    return _section_flags(classwide, data["enrollments"])


def apply_screening(scope: SweepScope, data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    scores = data["scores"]
    enrollments = data["enrollments"]
    if scores.empty:
        return empty_wanted()
    classified = scores.loc[scores["risk_level"].notna()]
    current = _latest(
        classified, _student_domain_key(classified["student_id"], classified["domain"])
    )
    current = _worth_judging(scope, current)
    recs = screening_tier_recommendations(current[list(SCREENING_INPUT)])
    classwide = _classwide(scope, scores, enrollments)
    recs = mark_classwide(recs, classwide, enrollments)

    schools = scores.drop_duplicates("student_id").set_index("student_id")["school_id"]
    students = pd.DataFrame(
        {
            "student_id": recs["student_id"],
            "section_id": 0,
            "measure_id": 0,
            "plan_id": 0,
            "domain": recs["domain"],
            "kind": FlagKind.SCREENING_RISK.value,
            "school_id": recs["student_id"].map(schools),
            "window_id": recs["window_id"],
            "recommended_tier": recs["recommended_tier"],
            "rule": "screening_risk",
            "flag": recs["flag"],
            "evidence": recs["evidence"],
            "classwide_context": recs["classwide"],
        }
    )
    if classwide.empty:
        return students
    return pd.concat([students, _section_flags(classwide, enrollments)], ignore_index=True)


# -- office discipline referrals -----------------------------------------------------------------


def load_referrals(scope: SweepScope) -> pd.DataFrame:
    students, params = _params(scope, {})
    return read_frame(_REFERRALS_SQL.format(students=students), params)


def apply_referrals(scope: SweepScope, referrals: pd.DataFrame) -> pd.DataFrame:
    # Judge the students with referrals, plus those holding a live ODR flag (so it resolves
    # when referrals were withdrawn): not every student of the district, most have none.
    existing = scope.existing
    kinds = (FlagKind.ODR.value, FlagKind.OCTOBER_CATCH.value)
    live = existing.loc[
        existing["kind"].isin(kinds) & existing["status"].isin(("open", "on_agenda"))
    ]
    student_ids = sorted(
        set(pd.to_numeric(referrals["student_id"]).astype("int64").tolist())
        | set(pd.to_numeric(live["student_id"]).astype("int64").tolist())
    )
    if not student_ids:
        return empty_wanted()
    recs = odr_recommendations(
        referrals[["student_id", "date", "severity"]]
        if len(referrals)
        else pd.DataFrame({"student_id": [], "date": [], "severity": []}),
        year_start=scope.year_start,
        as_of=scope.as_of,
        thresholds=scope.thresholds,
        student_ids=student_ids,
    )
    schools = referrals.drop_duplicates("student_id").set_index("student_id")["school_id"]
    return pd.DataFrame(
        {
            "student_id": recs["student_id"],
            "section_id": 0,
            "measure_id": 0,
            "plan_id": 0,
            "domain": recs["domain"],
            "kind": recs["kind"],
            # Only firing rows are written, and those students have referrals (so a school).
            "school_id": recs["student_id"].map(schools).fillna(0),
            "window_id": 0,
            "recommended_tier": recs["recommended_tier"],
            "rule": [ev["rule"] for ev in recs["evidence"]],
            "flag": recs["flag"],
            "evidence": recs["evidence"],
            "classwide_context": False,
        }
    )


MODULES = [
    RuleModule(
        name="screening",
        kinds=(FlagKind.SCREENING_RISK.value, FlagKind.CLASSWIDE.value),
        load=load_screening,
        apply=apply_screening,
        thresholds=frozenset({"classwide_enabled"}),
    ),
    RuleModule(
        name="referrals",
        kinds=(FlagKind.ODR.value, FlagKind.OCTOBER_CATCH.value),
        load=load_referrals,
        apply=apply_referrals,
        thresholds=frozenset(
            {
                "odr_tier2_at",
                "odr_tier3_at",
                "october_catch_count",
                "october_catch_month",
                "october_catch_day",
                "odr_count_minors",
            }
        ),
    ),
]
