"""Core instruction counts: benchmark, classes, classwide flags and growth per measure."""

from __future__ import annotations

from dashboards.selectors.conditions import Filters, _domain_condition, _rank, _student_where
from mtss.sql import fetch_dicts


def classwide_flag_counts(f: Filters) -> list[dict]:
    """Per school and measure: class sections the decision rules flagged with a classwide
    problem in the window (decisions.Flag, kind "classwide", any status but "resolved by
    newer data"). The district view reads the rules' verdicts instead of recomputing every
    class's median; one school's view computes its classes live (`section_benchmarks`)."""
    if f.window is None:
        return []
    dom = " AND fl.domain = %(domain)s" if f.domain else ""
    measure = " AND fl.measure_id = %(measure)s" if f.measure_id else ""
    grade = " AND sec.grade = %(grade)s" if f.grade is not None else ""
    sql = f"""
    SELECT fl.school_id, fl.measure_id, COUNT(DISTINCT fl.section_id) AS problems
    FROM decisions_flag fl JOIN students_section sec ON sec.id = fl.section_id
    WHERE fl.kind = 'classwide' AND fl.window_id = %(window)s AND fl.status <> 'resolved'
      AND fl.school_id = ANY(%(schools)s){dom}{measure}{grade}
    GROUP BY fl.school_id, fl.measure_id
    """
    return fetch_dicts(
        sql,
        {
            "window": f.window.pk,
            "schools": list(f.school_ids),
            "domain": f.domain,
            "measure": f.measure_id,
            "grade": f.grade,
        },
    )


def _score_where(f: Filters) -> tuple[str, dict]:
    where, params = _student_where(f, grade_column="s.grade")
    dom, dparams = _domain_condition(f)
    extra = ""
    if f.measure_id:
        extra = " AND s.measure_id = %(measure)s"
        params["measure"] = f.measure_id
    return where + dom + extra, {**params, **dparams}


def benchmark_counts(f: Filters) -> list[dict]:
    """Per measure, school and grade (when screened): scored, classified, at or above."""
    if f.window is None:
        return []
    where, params = _score_where(f)
    sql = f"""
    SELECT s.measure_id, st.school_id, s.grade, COUNT(*) AS scored,
           COUNT(s.risk_level) AS classified,
           COUNT(*) FILTER (WHERE s.risk_level = 'at_or_above') AS at_or_above
    FROM screening_screeningscore s
    JOIN students_student st ON st.id = s.student_id
    JOIN screening_measure m ON m.id = s.measure_id
    WHERE s.window_id = %(window)s AND {where}
    GROUP BY s.measure_id, st.school_id, s.grade
    """
    return fetch_dicts(sql, {**params, "window": f.window.pk})


def section_benchmarks(f: Filters) -> list[dict]:
    """Per class section of the window's year and measure: scored students, at or above,
    and the median distance from each student's own benchmark (domain.md's classwide check:
    d * (score - benchmark), d = -1 for lower-is-better; a median below 0 is a classwide
    problem, the rule of decisions.rules.classwide_problems). A student in two sections
    counts in both. One query."""
    if f.window is None:
        return []
    where, params = _score_where(f)
    sql = f"""
    SELECT e.section_id, sec.name AS section_name, sec.school_id, s.measure_id,
           COUNT(*) AS scored, COUNT(s.risk_level) AS classified,
           COUNT(*) FILTER (WHERE s.risk_level = 'at_or_above') AS at_or_above,
           COUNT(c.benchmark) AS with_benchmark,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.score) AS median_score,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY
               CASE WHEN m.higher_is_better THEN s.score - c.benchmark
                    ELSE c.benchmark - s.score END) AS median_gap,
           MIN(c.benchmark) AS benchmark_min, MAX(c.benchmark) AS benchmark_max
    FROM screening_screeningscore s
    JOIN students_student st ON st.id = s.student_id
    JOIN screening_measure m ON m.id = s.measure_id
    JOIN students_enrollment e ON e.student_id = s.student_id AND e.active
    JOIN students_section sec ON sec.id = e.section_id AND sec.school_year_id = %(year)s
         AND sec.active
    LEFT JOIN screening_cutscore c ON c.cut_score_set_id = s.cut_score_set_id
         AND c.grade = s.grade AND c.season = %(season)s
    WHERE s.window_id = %(window)s AND sec.school_id = ANY(%(schools)s) AND {where}
    GROUP BY e.section_id, sec.name, sec.school_id, s.measure_id
    """
    return fetch_dicts(
        sql,
        {
            **params,
            "window": f.window.pk,
            "year": f.window.school_year_id,
            "season": f.window.season,
        },
    )


def growth(f: Filters) -> list[dict]:
    """Per measure, school and grade (now): students scored in both windows, the median
    change of score, and how many moved up or down a risk level. One query."""
    if f.window is None or f.previous_window is None:
        return []
    where, params = _score_where(f)
    sql = f"""
    SELECT s.measure_id, st.school_id, s.grade, COUNT(*) AS matched,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.score - a.score) AS median_change,
           COUNT(*) FILTER (WHERE s.risk_level IS NOT NULL AND a.risk_level IS NOT NULL)
               AS classified_both,
           COUNT(*) FILTER (WHERE {_rank("s")} < {_rank("a")}) AS moved_up,
           COUNT(*) FILTER (WHERE {_rank("s")} > {_rank("a")}) AS moved_down,
           BOOL_AND(m.higher_is_better) AS higher_is_better
    FROM screening_screeningscore s
    JOIN screening_screeningscore a ON a.student_id = s.student_id
         AND a.measure_id = s.measure_id AND a.window_id = %(previous)s
    JOIN students_student st ON st.id = s.student_id
    JOIN screening_measure m ON m.id = s.measure_id
    WHERE s.window_id = %(window)s AND {where}
    GROUP BY s.measure_id, st.school_id, s.grade
    """
    return fetch_dicts(sql, {**params, "window": f.window.pk, "previous": f.previous_window.pk})
