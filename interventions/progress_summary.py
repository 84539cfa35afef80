"""Each plan's progress figures in one set-based query, and their stored copy (PlanProgress).

The figures are those of decisions.progress_rules.progress_recommendations (the points of the
current phase up to the as-of day), worked out in PostgreSQL so a district's hundreds of
thousands of points and sessions never leave the database:

- points, latest: how many points the phase has, and the day of the last one;
- trend_slope: OLS slope of score on weeks since the phase start (`regr_slope`), only for a
  plan with a goal and a goal date;
- aim_slope: (goal - baseline) / weeks from the phase start to the goal date; the baseline is
  the plan's, else the median of the phase's first three points;
- fidelity: sessions attended / sessions planned from the phase start to the latest point
  (sessions per week x days / 7), at most 1; none without a logged session or a dosage;
- goal_streak: how many of the latest points in a row are at or beyond the goal (mirrored for
  lower-is-better measures). "Goal met" is a streak of at least the district's
  `goal_met_points`, so the stored figure does not depend on the rule set.

`refresh` stores them for some plans or a whole district. The services call it in the same
transaction as every change to a plan's points, sessions, phase or goal; the nightly task
refreshes every plan. Dashboards read the stored rows and work out live only the plans whose
row is missing, or was stored for a later day than they ask about and counts a point after
that day (`figures`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from mtss.sql import fetch_dicts

FIGURES = ("points", "latest", "trend_slope", "aim_slope", "fidelity", "goal_streak")

# The plans' facts the figures need, for the plans chosen by {where} (on p, the plan).
_PLANS = """
    SELECT p.id AS plan_id,
           COALESCE(m.higher_is_better, TRUE) AS higher_is_better,
           COALESCE(p.phase_start, p.start_date) AS phase_start,
           p.goal::float8 AS goal, p.goal_date, p.baseline::float8 AS baseline,
           p.sessions_per_week::float8 AS spw
    FROM interventions_interventionplan p
    LEFT JOIN screening_measure m ON m.id = p.measure_id
    WHERE {where}
"""

_FIGURES = """
WITH pl AS MATERIALIZED ({plans}),
pts AS (
    SELECT ps.plan_id, ps.date, ps.score::float8 AS score,
           (ps.date - pl.phase_start) / 7.0 AS x,
           CASE WHEN pl.higher_is_better THEN 1 ELSE -1 END
               * (ps.score::float8 - pl.goal) >= 0 AS at_goal,
           ROW_NUMBER() OVER (PARTITION BY ps.plan_id ORDER BY ps.date) AS k
    FROM interventions_progressscore ps JOIN pl ON pl.plan_id = ps.plan_id
    WHERE ps.date >= pl.phase_start AND ps.date <= %(as_of)s
),
agg AS (
    SELECT plan_id, COUNT(*) AS points, regr_slope(score, x) AS slope, MAX(date) AS latest,
           COUNT(*) FILTER (WHERE k <= 3) AS first_n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY score) FILTER (WHERE k <= 3)
               AS median3,
           -- The streak runs from the point after the last one short of the goal.
           COUNT(*) - COALESCE(MAX(k) FILTER (WHERE NOT at_goal), 0) AS streak
    FROM pts GROUP BY plan_id
),
ses AS (
    SELECT s.plan_id, COUNT(*) AS logged, COUNT(*) FILTER (WHERE s.attended) AS attended
    FROM interventions_interventionsession s
    JOIN pl ON pl.plan_id = s.plan_id JOIN agg ON agg.plan_id = s.plan_id
    WHERE s.date >= pl.phase_start AND s.date <= agg.latest
    GROUP BY s.plan_id
),
b AS (
    SELECT pl.*, agg.points, agg.slope, agg.latest, agg.streak, ses.logged, ses.attended,
           COALESCE(pl.baseline, CASE WHEN agg.first_n = 3 THEN agg.median3 END) AS base
    FROM pl LEFT JOIN agg ON agg.plan_id = pl.plan_id
    LEFT JOIN ses ON ses.plan_id = pl.plan_id
)
SELECT plan_id,
       COALESCE(points, 0) AS points,
       latest,
       CASE WHEN goal IS NOT NULL AND goal_date IS NOT NULL THEN slope END AS trend_slope,
       CASE WHEN goal_date > phase_start AND base IS NOT NULL
            THEN (goal - base) / ((goal_date - phase_start) / 7.0) END AS aim_slope,
       CASE WHEN logged > 0 AND spw > 0 AND latest IS NOT NULL
            THEN LEAST(1.0, attended / (spw * ((latest - phase_start) + 1) / 7.0)) END
           AS fidelity,
       CASE WHEN goal IS NULL THEN 0 ELSE COALESCE(streak, 0) END AS goal_streak
FROM b
"""


def figures_sql(where: str) -> str:
    """The figures query for the plans matching `where` (SQL on `p`, the plan table; named
    parameters, plus %(as_of)s)."""
    return _FIGURES.format(plans=_PLANS.format(where=where))


def figures(plan_ids: Iterable[int], *, as_of: dt.date) -> list[dict[str, Any]]:
    """Live figures of the given plans: one dict per plan (`plan_id` and FIGURES)."""
    ids = sorted({int(i) for i in plan_ids})
    if not ids:
        return []
    return fetch_dicts(figures_sql("p.id = ANY(%(ids)s)"), {"ids": ids, "as_of": as_of})


def refresh(
    *,
    plan_ids: Iterable[int] | None = None,
    district_id: int | None = None,
    as_of: dt.date | None = None,
) -> int:
    """Work out and store the figures of some plans, or of every plan of a district, in one
    statement (after locking the plans); returns how many rows were written. `as_of`
    defaults to today. Run it inside a transaction: the plan locks last until its end."""
    if (plan_ids is None) == (district_id is None):
        raise ValueError("give plan_ids or district_id")
    params: dict[str, Any] = {
        "as_of": as_of or timezone.localdate(),
        "now": timezone.now(),
    }
    if plan_ids is not None:
        params["ids"] = sorted({int(i) for i in plan_ids})
        if not params["ids"]:
            return 0
        where = "p.id = ANY(%(ids)s)"
    else:
        params["district"] = district_id
        where = "p.student_id IN (SELECT id FROM students_student WHERE district_id = %(district)s)"
    columns = ", ".join(FIGURES)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in ("as_of", *FIGURES, "refreshed_at"))
    sql = f"""
        INSERT INTO interventions_planprogress (plan_id, as_of, {columns}, refreshed_at)
        SELECT f.plan_id, %(as_of)s, {", ".join("f." + c for c in FIGURES)}, %(now)s
        FROM ({figures_sql(where)}) f
        ORDER BY f.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET {updates}
    """
    with connection.cursor() as cursor:
        # First the plans' rows, shared, in id order (the order the services lock them in):
        # a service saving a point holds its plan until it commits, so this waits for it, and
        # the INSERT below, a new statement with a new snapshot, counts that point. Without
        # it, a refresh of the whole district could write figures read before the point over
        # the ones the service just stored.
        cursor.execute(
            f"SELECT p.id FROM interventions_interventionplan p WHERE {where} "
            "ORDER BY p.id FOR SHARE OF p",
            params,
        )
        cursor.execute(sql, params)
        return cursor.rowcount
