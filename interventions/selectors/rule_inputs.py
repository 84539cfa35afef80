"""What the progress rules read beyond a plan's own points and sessions, for many plans at once:
the intervention's exit criteria, the latest screening since the phase start, and peers'
normative growth. One reader for the plan pages (interventions.selectors.plan_analysis) and
the district sweep (decisions.sweep_progress), so both judge a plan on the same facts.

Every function is set-based: one query whatever the number of plans or students.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from interventions.analysis.growth import GrowthNorm, growth_norms
from mtss.sql import fetch_dicts


def exit_criteria_values(
    criteria: Mapping[str, Any] | str | None,
) -> tuple[int | None, bool | None]:
    """(goal_met_points, at benchmark at the next screening) from a catalog entry's exit
    criteria (interventions.criteria); None where the entry does not set the value, so the
    rule set's default applies. A raw query gives the JSON as text (Django leaves jsonb
    undecoded on its cursors), the ORM as a dict: both are read."""
    if isinstance(criteria, str):
        criteria = json.loads(criteria)
    criteria = criteria or {}
    points = criteria.get("goal_met_points")
    at_screening = criteria.get("or_benchmark_at_next_screening")
    return (
        int(points) if points is not None else None,
        bool(at_screening) if at_screening is not None else None,
    )


# The student's latest screening window that started after the plan's phase start (and by
# the day judged), in the plan's domain: at benchmark when every classified score of the
# domain there is at or above benchmark (the screening rule's "most intensive risk" is Tier 1).
# {level} is the score's risk level: as stored, or as a draft cut-score version would set it
# for one window's scores of one measure (`Relevel`, the what-if preview).
_SCREENING_SINCE_SQL = """
SELECT DISTINCT ON (p.id) p.id AS plan_id,
       BOOL_AND(lv.risk_level = 'at_or_above') AS at_benchmark
FROM interventions_interventionplan p
JOIN screening_screeningscore s ON s.student_id = p.student_id
CROSS JOIN LATERAL (SELECT {level} AS risk_level) lv
JOIN screening_measure m ON m.id = s.measure_id AND m.domain = p.domain
JOIN screening_screeningwindow w ON w.id = s.window_id
WHERE p.id = ANY(%(plan_ids)s) AND lv.risk_level IS NOT NULL
  AND w.start_date > COALESCE(p.phase_start, p.start_date) AND w.start_date <= %(as_of)s
GROUP BY p.id, w.id, w.start_date
ORDER BY p.id, w.start_date DESC
"""
_STORED_LEVEL = "s.risk_level"
_RELEVEL = """CASE WHEN s.window_id = %(rl_window)s AND s.measure_id = %(rl_measure)s
                    AND %(rl_levels)s::jsonb ? s.student_id::text
               THEN %(rl_levels)s::jsonb ->> s.student_id::text ELSE s.risk_level END"""


@dataclass(frozen=True)
class Relevel:
    """One window's scores of one measure at other risk levels: {student id: level or None}
    (a draft cut-score version classifying them; decisions.whatif_progress)."""

    window_id: int
    measure_id: int
    levels: Mapping[int, str | None]


def screening_at_benchmark(
    plan_ids: Iterable[int], *, as_of: dt.date, relevel: Relevel | None = None
) -> dict[int, bool]:
    """{plan_id: at benchmark} for plans whose student was screened in the plan's domain
    since the phase start; plans with no such screening are absent."""
    ids = sorted(set(plan_ids))
    if not ids:
        return {}
    params: dict[str, Any] = {"plan_ids": ids, "as_of": as_of}
    level = _STORED_LEVEL
    if relevel is not None:
        level = _RELEVEL
        params |= {
            "rl_window": relevel.window_id,
            "rl_measure": relevel.measure_id,
            "rl_levels": json.dumps({str(k): v for k, v in relevel.levels.items()}),
        }
    rows = fetch_dicts(_SCREENING_SINCE_SQL.format(level=level), params)
    return {r["plan_id"]: bool(r["at_benchmark"]) for r in rows}


# Peers' growth, local norms: every student of the district scored on a measure in both the
# first screening window of the school year under way on `as_of` and the latest window
# started by then; growth per week between the windows' start dates. Grade: at the later one.
_GROWTH_RATES_SQL = """
WITH year AS (
    SELECT w.school_year_id FROM screening_screeningwindow w
    JOIN students_schoolyear y ON y.id = w.school_year_id
    WHERE y.district_id = %(district_id)s AND w.start_date <= %(as_of)s
    ORDER BY w.start_date DESC LIMIT 1
), windows AS (
    SELECT w.id, w.start_date FROM screening_screeningwindow w
    WHERE w.school_year_id = (SELECT school_year_id FROM year) AND w.start_date <= %(as_of)s
), first AS (
    SELECT id, start_date FROM windows ORDER BY start_date LIMIT 1
), last AS (
    SELECT id, start_date FROM windows ORDER BY start_date DESC LIMIT 1
)
SELECT a.measure_id, b.grade, m.higher_is_better,
       (b.score - a.score)::float8 / ((last.start_date - first.start_date) / 7.0) AS growth
FROM first CROSS JOIN last
JOIN screening_screeningscore a ON a.window_id = first.id
JOIN screening_screeningscore b
     ON b.window_id = last.id AND b.student_id = a.student_id AND b.measure_id = a.measure_id
JOIN screening_measure m ON m.id = a.measure_id
WHERE last.start_date > first.start_date
"""
# Only some measures and grades (a page's plans): both windows read through the score
# index on (window, measure, grade) instead of the district's whole two windows.
_ONLY_SQL = """
  AND a.measure_id = ANY(%(measure_ids)s) AND b.measure_id = ANY(%(measure_ids)s)
  AND b.grade = ANY(%(grades)s)
"""


def growth_rates(
    *,
    district_id: int,
    as_of: dt.date,
    measure_ids: Iterable[int] | None = None,
    grades: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Peers' growth in the district on `as_of`: measure_id, grade, higher_is_better, growth
    (one row per student and measure; empty before a second screening window of the year).
    With `measure_ids` and `grades`: only the rows of those measures and grades."""
    sql, params = _GROWTH_RATES_SQL, {"district_id": district_id, "as_of": as_of}
    if measure_ids is not None and grades is not None:
        sql += _ONLY_SQL
        params |= {"measure_ids": sorted(set(measure_ids)), "grades": sorted(set(grades))}
    rows = fetch_dicts(sql, params)
    return pd.DataFrame(rows, columns=["measure_id", "grade", "higher_is_better", "growth"])


def growth_norm_table(
    *,
    district_id: int,
    as_of: dt.date,
    percentile: int,
    measure_ids: Iterable[int] | None = None,
    grades: Iterable[int] | None = None,
) -> dict[tuple[int, int], GrowthNorm]:
    """The district's normative growth table on `as_of` at `percentile` (empty before a
    second screening window of the year has started).

    With `measure_ids` and `grades`, the rows of those measures and grades only: each row
    is the same as in the whole table, since a row's peers are the students of its own
    measure and grade alone. A page judging a few plans reads a few groups' scores instead
    of the district's (at 50,000 students the whole table took most of a caseload page)."""
    rates = growth_rates(
        district_id=district_id, as_of=as_of, measure_ids=measure_ids, grades=grades
    )
    return growth_norms(rates, percentile=percentile) if len(rates) else {}
