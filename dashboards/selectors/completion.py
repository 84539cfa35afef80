"""Screening completion counts: students in each measure's grades, and those with a score."""

from __future__ import annotations

from dashboards.selectors.conditions import Filters, _student_where
from mtss.sql import fetch_dicts
from screening.models import Measure


def completion_counts(f: Filters, measures: list[Measure]) -> list[dict]:
    """Per measure, school and grade: active students in the measure's grades, and how many
    have a score in the window. One query for every measure."""
    if f.window is None or not measures:
        return []
    where, params = _student_where(f)
    sql = f"""
    SELECT m.id AS measure_id, st.school_id, st.grade, COUNT(*) AS enrolled,
           COUNT(s.id) AS scored
    FROM students_student st
    JOIN screening_measure m ON m.id = ANY(%(measures)s)
         AND st.grade BETWEEN m.lowest_grade AND m.highest_grade
    LEFT JOIN screening_screeningscore s ON s.student_id = st.id AND s.measure_id = m.id
         AND s.window_id = %(window)s
    WHERE {where}
    GROUP BY m.id, st.school_id, st.grade
    """
    return fetch_dicts(sql, {**params, "window": f.window.pk, "measures": [m.pk for m in measures]})


def completion_sections(f: Filters, measures: list[Measure]) -> list[dict]:
    """Per section and measure: active students in the measure's grades, and scored."""
    if f.window is None or not measures:
        return []
    where, params = _student_where(f)
    sql = f"""
    SELECT e.section_id, sec.name AS section_name, sec.school_id, m.id AS measure_id,
           COUNT(*) AS enrolled, COUNT(s.id) AS scored
    FROM students_enrollment e
    JOIN students_section sec ON sec.id = e.section_id AND sec.school_year_id = %(year)s
         AND sec.active
    JOIN students_student st ON st.id = e.student_id
    JOIN screening_measure m ON m.id = ANY(%(measures)s)
         AND st.grade BETWEEN m.lowest_grade AND m.highest_grade
    LEFT JOIN screening_screeningscore s ON s.student_id = st.id AND s.measure_id = m.id
         AND s.window_id = %(window)s
    WHERE e.active AND sec.school_id = ANY(%(schools)s) AND {where}
    GROUP BY e.section_id, sec.name, sec.school_id, m.id
    """
    return fetch_dicts(
        sql,
        {
            **params,
            "window": f.window.pk,
            "year": f.window.school_year_id,
            "measures": [m.pk for m in measures],
        },
    )
