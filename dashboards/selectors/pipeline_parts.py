"""The equity pipeline's per-student parts, each kept in the dashboards' cache under the data
version of its own tables (dashboards.panel_cache), then combined per student in numpy.

Why parts: the pipeline counts every score, flag, plan, referral, attendance summary and
course mark of the year. Read as one query it cost ~0.4-0.65 s at 50,000 students, and any
write to any of those tables (a teacher's saved score, the sweep's flag after it) meant the
whole query again: under a morning's load the district's equity page recomputed on almost
every visit. Now a saved score re-reads only the window's scores (`sc`), a sweep's flag only
the flags (`fl`); the other parts come from the cache.

Each part is one query over one source, giving per student a small integer of bits (bit 0:
the student has a row in the source; the others: the source's facts, below). The parts
cover every student of the chosen schools (not only those of the grade or group chosen), so
one stored part serves every filter of the same schools, year and window; the students
counted are then those of `pop` (the filters' students), exactly as the single query did.

Bits per part:
    sc  scores of the window: 1 screened, 2 classified (a risk level), 4 at risk (tier >= 2)
    fl  the year's student flags: 1 flagged, 2 decided (accepted/dismissed), 4 dismissed
    dec team and plan decisions: 1 any, 2 referred for evaluation, 4 judged, 8 overridden
    disc referrals to date: 1 any, 2 major, 4 a suspension
    att attendance summaries: 1 known, 2 chronically absent
    mk  course marks (latest per course): 1 known, 2 failing one
    placed a plan started in the year: 1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection

from dashboards import figure_cache
from dashboards.panel_reads import SCORES, Reads
from dashboards.selectors.conditions import NARROW_SCHOOLS, TIER_SQL, Filters

# Every student of the chosen schools (active or not: `pop` picks the filters' students).
_OF_SCHOOLS = (
    "SELECT st.id FROM students_student st"
    " WHERE st.school_id = ANY(%(schools)s) AND st.district_id = %(district)s"
)
_STUDENTS = "students_student"


@dataclass(frozen=True)
class Part:
    reads: Reads
    per_window: bool  # its rows are the chosen window's (the scores)
    sql: Callable[[Filters], str]
    # Kept per school, under notes per school (the flags: "decisions_flag:student:<id>",
    # dashboards migration 0002): a sweep of one school re-reads that school's rows only.
    per_school: bool = False


def _bits(*facts: str) -> str:
    """1 for the row, then one bit per fact (2, 4, 8, ...); a NULL fact is false."""
    terms = ["1"] + [
        f"CASE WHEN COALESCE({fact}, FALSE) THEN {1 << (i + 1)} ELSE 0 END"
        for i, fact in enumerate(facts)
    ]
    return " | ".join(terms)


def _scores(f: Filters) -> str:
    # The measure is joined only to filter on its domain: every score has one. For a few
    # schools the window's scores are narrowed to their students first; for a district,
    # aggregating the window whole is cheaper than probing the semi-join per score.
    measure = " JOIN screening_measure m ON m.id = s.measure_id" if f.domain else ""
    domain = " AND m.domain = %(domain)s" if f.domain else ""
    narrow = f" AND s.student_id IN ({_OF_SCHOOLS})" if len(f.school_ids) <= NARROW_SCHOOLS else ""
    return f"""
        SELECT t.student_id, {_bits("t.tier IS NOT NULL", "t.tier >= 2")}
        FROM (SELECT s.student_id, {TIER_SQL} AS tier
              FROM screening_screeningscore s{measure}
              WHERE s.window_id = %(window)s{domain}{narrow}
              GROUP BY s.student_id) t
    """


def _flags(f: Filters) -> str:
    # Per school and student: the part is kept per school (`_read_per_school`).
    domain = " AND fl.domain = %(domain)s" if f.domain else ""
    decided = "BOOL_OR(fl.status IN ('accepted', 'dismissed'))"
    return f"""
        SELECT fl.school_id, fl.student_id,
               {_bits(decided, "BOOL_OR(fl.status = 'dismissed')")}
        FROM decisions_flag fl
        WHERE fl.school_year_id = %(year)s AND fl.school_id = ANY(%(schools)s)
          AND fl.student_id IS NOT NULL{domain}
        GROUP BY fl.school_id, fl.student_id
    """


def _decisions(f: Filters) -> str:
    # Team decisions and plan-page/API decisions, each with its recorded judgement
    # (meetings.alignment.judge, interventions.analysis.judgement): "overridden" is a
    # decision judged against the rules that apply to it, not against an older flag.
    decision_domain = " AND (d.domain = %(domain)s OR d.domain = '')" if f.domain else ""
    plan_domain = " AND p.domain = %(domain)s" if f.domain else ""
    facts = ("BOOL_OR(j.referred)", "BOOL_OR(j.judged)", "BOOL_OR(j.overridden)")
    return f"""
        SELECT j.student_id, {_bits(*facts)}
        FROM (
            SELECT d.student_id, d.type = 'refer_evaluation' AS referred,
                   d.follows_rule IS NOT NULL AS judged,
                   d.is_override OR d.follows_rule IS FALSE AS overridden
            FROM meetings_decision d
            WHERE d.created_at::date BETWEEN %(year_start)s AND %(year_end)s
              AND d.student_id IN ({_OF_SCHOOLS}){decision_domain}
            UNION ALL
            SELECT pd.student_id, FALSE, pd.follows_rule IS NOT NULL,
                   pd.is_override OR pd.follows_rule IS FALSE
            FROM interventions_plandecision pd
            JOIN interventions_interventionplan p ON p.id = pd.plan_id
            WHERE pd.created_at::date BETWEEN %(year_start)s AND %(year_end)s
              AND pd.student_id IN ({_OF_SCHOOLS}){plan_domain}
        ) j
        GROUP BY j.student_id
    """


def _discipline(f: Filters) -> str:
    suspended = "BOOL_OR(r.action_taken IN ('in_school_suspension', 'out_of_school_suspension'))"
    return f"""
        SELECT r.student_id, {_bits("BOOL_OR(r.severity = 'major')", suspended)}
        FROM screening_referral r
        WHERE r.school_year_id = %(year)s AND r.school_id = ANY(%(schools)s)
          AND r.date <= %(as_of)s
        GROUP BY r.student_id
    """


def _attendance(f: Filters) -> str:
    return f"""
        SELECT a.student_id, {_bits("BOOL_OR(a.chronic)")}
        FROM indicators_attendancesummary a
        WHERE a.school_year_id = %(year)s AND a.school_id = ANY(%(schools)s)
        GROUP BY a.student_id
    """


def _marks(f: Filters) -> str:
    return f"""
        SELECT m.student_id, {_bits("BOOL_OR(NOT m.passing)")}
        FROM (SELECT DISTINCT ON (c.student_id, c.course_code) c.student_id, c.passing
              FROM indicators_coursemark c
              WHERE c.school_year_id = %(year)s AND c.school_id = ANY(%(schools)s)
              ORDER BY c.student_id, c.course_code, c.period_end DESC) m
        GROUP BY m.student_id
    """


def _placed(f: Filters) -> str:
    domain = " AND p.domain = %(domain)s" if f.domain else ""
    return f"""
        SELECT DISTINCT p.student_id, 1
        FROM interventions_interventionplan p
        WHERE p.start_date BETWEEN %(year_start)s AND %(year_end)s
          AND p.student_id IN ({_OF_SCHOOLS}){domain}
    """


PARTS: dict[str, Part] = {
    "sc": Part(Reads(("screening_measure", _STUDENTS), per_window=(SCORES,)), True, _scores),
    "fl": Part(Reads((), per_window=("decisions_flag:student",)), False, _flags, per_school=True),
    "dec": Part(
        Reads(
            (
                "meetings_decision",
                "interventions_plandecision",
                "interventions_interventionplan",
                _STUDENTS,
            )
        ),
        False,
        _decisions,
    ),
    "disc": Part(Reads(("screening_referral",)), False, _discipline),
    "att": Part(Reads(("indicators_attendancesummary",)), False, _attendance),
    "mk": Part(Reads(("indicators_coursemark",)), False, _marks),
    "placed": Part(Reads(("interventions_interventionplan", _STUDENTS)), False, _placed),
}

Column = tuple[np.ndarray, np.ndarray]  # sorted student ids, their bits


def part_params(f: Filters) -> dict[str, Any]:
    return {
        "schools": sorted(f.school_ids),
        "district": f.district_id,
        "year": f.year.pk,
        "year_start": f.year.start_date,
        "year_end": f.year.end_date,
        "window": f.window.pk if f.window else None,
        "domain": f.domain,
        "as_of": f.as_of or f.year.end_date,
    }


def _fetch(name: str, sql: str, params: dict[str, Any], *, width: int = 2) -> Any:
    """The part's rows by student id: (ids, bits), and with `width=3` the schools too (the
    query's first column)."""
    # The students come grouped by their bits (and school): a few rows of id arrays, which
    # psycopg reads in C, instead of one Python row per student (~20 ms less per part at
    # 50,000 students). The comment names the part in the server's statistics and the
    # tests' query counts.
    names = "school_id, student_id, bits" if width == 3 else "student_id, bits"
    keys = "school_id, bits" if width == 3 else "bits"
    with connection.cursor() as cursor:
        cursor.execute(
            f"/* pipeline part {name} */ SELECT {keys}, array_agg(student_id)"
            f" FROM ({sql}) part({names}) GROUP BY {keys}",
            params,
        )
        groups = cursor.fetchall()
    ids, spread = unroll(groups)
    bits = spread([g[-2] for g in groups], np.int16)
    return (ids, bits) if width == 2 else (ids, bits, spread([g[0] for g in groups]))


def unroll(groups: list[tuple]) -> tuple[np.ndarray, Callable[..., np.ndarray]]:
    """Rows that end with an array of student ids, unrolled: every id in order, and `spread`,
    which gives each of those students its row's value (`values`: one per row, in order)."""
    arrays = [np.array(g[-1], dtype=np.int64) for g in groups]
    ids = np.concatenate([np.empty(0, dtype=np.int64), *arrays])
    sizes = [len(a) for a in arrays]
    order = np.argsort(ids, kind="stable")

    def spread(values: list, dtype: Any = np.int64) -> np.ndarray:
        return np.repeat(np.array(values, dtype=dtype), sizes)[order]

    return ids[order], spread


def read_part(name: str, f: Filters) -> Column:
    """One part's (student ids, bits), from the cache while its tables are unchanged."""
    part = PARTS[name]
    if part.per_window and f.window is None:
        return _empty()
    sql = part.sql(f)
    params = part_params(f)
    if part.per_school:
        return _read_per_school(name, part, sql, params)
    return figure_cache.remember(
        f"pipeline-part-{name}",
        (sql, params_material(params)),
        reads=part.reads,
        windows=[f.window.pk] if part.per_window else [],
        build=lambda: _fetch(name, sql, params),
    )


def _read_per_school(name: str, part: Part, sql: str, params: dict[str, Any]) -> Column:
    """The part of each chosen school from the cache, the missing ones in one query; a
    student with rows at two schools gets the bits of both."""
    same = params_material({k: v for k, v in params.items() if k != "schools"})

    def build(schools: list[int]) -> dict[int, Column]:
        rows = _fetch(name, sql, {**params, "schools": schools}, width=3)
        return {
            school: (rows[0][rows[2] == school], rows[1][rows[2] == school]) for school in schools
        }

    per_school = figure_cache.remember_each(
        f"pipeline-part-{name}",
        {school: (sql, same, school) for school in params["schools"]},
        reads=part.reads,
        windows={school: [school] for school in params["schools"]},
        build=build,
    )
    ids = np.concatenate([np.empty(0, dtype=np.int64)] + [c[0] for c in per_school.values()])
    bits = np.concatenate([np.empty(0, dtype=np.int16)] + [c[1] for c in per_school.values()])
    order = np.argsort(ids, kind="stable")
    ids, bits = ids[order], bits[order]
    unique, starts = np.unique(ids, return_index=True)
    if len(unique) == len(ids):
        return ids, bits
    return unique, np.bitwise_or.reduceat(bits, starts).astype(np.int16)


def params_material(params: dict[str, Any]) -> tuple:
    """A query's parameters as cache-key material."""
    return tuple(sorted((k, repr(v)) for k, v in params.items()))


def _empty() -> Column:
    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int16)


def bits_for(students: np.ndarray, column: Column) -> np.ndarray:
    """Each of `students`' bits in `column` (0 where the part has no row for them)."""
    ids, bits = column
    if not len(ids):
        return np.zeros(len(students), dtype=np.int16)
    at = np.searchsorted(ids, students).clip(max=len(ids) - 1)
    return np.where(ids[at] == students, bits[at], 0).astype(np.int16)
