"""Intervention plans' figures and the district's decision-rule thresholds."""

from __future__ import annotations

from django.db import connection

from dashboards.selectors.conditions import Filters, _student_where
from mtss.lib.thresholds import Thresholds
from screening import rule_settings as screening_rule_settings


def plan_outcomes(f: Filters, *, goal_points: int = 3) -> list[dict]:
    """plan_outcome_columns as one dict per plan."""
    columns = plan_outcome_columns(f, goal_points=goal_points)
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def plan_outcome_columns(f: Filters, *, goal_points: int = 3) -> dict[str, list]:
    """Intervention plans started this school year for students of the filters, one row per
    plan: plan_id, student_id, school_id, intervention, status, higher_is_better, points,
    trend_slope, aim_slope, fidelity and goal_met (the last `goal_points` points at or beyond
    the goal), as defined in interventions.progress_summary (the definitions of
    decisions.progress_rules; tests/dashboards/test_selectors.py checks both agree).

    The figures come from the plans' stored rows (interventions.PlanProgress, kept current by
    the services and refreshed nightly), so a district's ~30,000 plans cost one join rather
    than re-reading their points and sessions. A plan without a stored row, or with one stored
    for a later day than `as_of` and counting a point after `as_of` (a plan of a past school
    year that went on after the year's end), is worked out live in one more query.

    Returned as columns ({name: values}, in plan order): a district's ~29,000 plans as
    dicts, then a frame built from them, cost ~0.1 s of Python per equity page."""
    from interventions import progress_summary

    where, params = _student_where(f)
    plan_dom = " AND p.domain = %(domain)s" if f.domain else ""
    as_of = f.as_of or f.year.end_date
    figure_columns = ", ".join(f"pp.{c}" for c in progress_summary.FIGURES)
    sql = f"""
        SELECT p.id AS plan_id, p.student_id, st.school_id, i.name AS intervention, p.status,
               COALESCE(m.higher_is_better, TRUE) AS higher_is_better,
               m.slope_tolerance::float8 AS tolerance,
               COALESCE(NULLIF(m.unit, ''), m.name, 'score points') AS unit,
               pp.plan_id IS NOT NULL AS stored, {figure_columns}
        FROM interventions_interventionplan p
        JOIN interventions_intervention i ON i.id = p.intervention_id
        JOIN students_student st ON st.id = p.student_id
        LEFT JOIN screening_measure m ON m.id = p.measure_id
        LEFT JOIN interventions_planprogress pp
               ON pp.plan_id = p.id
              -- A row stored later still fits when its last counted point is on or before
              -- the day asked about: no point between the two days, so the same figures.
              AND (pp.as_of <= %(as_of)s OR pp.latest IS NULL OR pp.latest <= %(as_of)s)
        WHERE p.start_date BETWEEN %(year_start)s AND %(year_end)s AND {where}{plan_dom}
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                **params,
                "domain": f.domain,
                "year_start": f.year.start_date,
                "year_end": f.year.end_date,
                "as_of": as_of,
            },
        )
        names = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    # zip(*rows) of no rows is empty, not one empty list per column.
    by_column = zip(*rows, strict=True) if rows else ([] for _ in names)
    columns = {name: list(values) for name, values in zip(names, by_column, strict=True)}
    stored = columns.pop("stored")
    missing = [plan for plan, ok in zip(columns["plan_id"], stored, strict=True) if not ok]
    live = {r["plan_id"]: r for r in progress_summary.figures(missing, as_of=as_of)}
    for i, (plan, ok) in enumerate(zip(columns["plan_id"], stored, strict=True)):
        if not ok:
            for name, value in live[plan].items():
                columns[name][i] = value
    streaks = columns.pop("goal_streak")
    columns["goal_met"] = [g is not None and g >= goal_points for g in streaks]
    del columns["latest"]
    return columns


def district_thresholds(district_id: int) -> Thresholds:
    """The district's active decision-rule thresholds (defaults when it has none), through
    the one reader every app uses (screening.rule_settings)."""
    return screening_rule_settings.district_thresholds(district_id)
