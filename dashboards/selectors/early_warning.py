"""Early-warning indicators per student, grouped by school, grade and student group: chronic
absence (attendance summaries), failing a course (latest mark per course) and suspensions."""

from __future__ import annotations

from dashboards.selectors.conditions import Filters, _student_where
from mtss.sql import fetch_dicts


def early_warning_counts(f: Filters) -> list[dict]:
    """One row per combination of school, grade and groups, with the students counted and
    how many have each indicator (and the data to judge it). One query."""
    where, params = _student_where(f)
    sql = f"""
    WITH pop AS (
        SELECT st.id, st.school_id, st.grade, st.race_ethnicity, st.english_learner, st.iep,
               st.section_504, st.economically_disadvantaged
        FROM students_student st WHERE {where}
    ),
    att AS (
        SELECT a.student_id, BOOL_OR(a.chronic) AS chronic
        FROM indicators_attendancesummary a
        WHERE a.school_year_id = %(year)s AND a.student_id IN (SELECT id FROM pop)
        GROUP BY a.student_id
    ),
    mk AS (
        SELECT m.student_id, BOOL_OR(NOT m.passing) AS failing
        FROM (SELECT DISTINCT ON (c.student_id, c.course_code) c.student_id, c.passing
              FROM indicators_coursemark c
              WHERE c.school_year_id = %(year)s AND c.student_id IN (SELECT id FROM pop)
              ORDER BY c.student_id, c.course_code, c.period_end DESC) m
        GROUP BY m.student_id
    ),
    sus AS (
        SELECT DISTINCT r.student_id
        FROM screening_referral r
        WHERE r.school_year_id = %(year)s AND r.date <= %(as_of)s
          AND r.action_taken IN ('in_school_suspension', 'out_of_school_suspension')
          AND r.student_id IN (SELECT id FROM pop)
    )
    SELECT pop.school_id, pop.grade, pop.race_ethnicity, pop.english_learner, pop.iep,
           pop.section_504, pop.economically_disadvantaged,
           COUNT(*) AS students,
           COUNT(att.student_id) AS with_attendance,
           COUNT(*) FILTER (WHERE att.chronic) AS chronic,
           COUNT(mk.student_id) AS with_marks,
           COUNT(*) FILTER (WHERE mk.failing) AS failing,
           COUNT(sus.student_id) AS suspended
    FROM pop
    LEFT JOIN att ON att.student_id = pop.id
    LEFT JOIN mk ON mk.student_id = pop.id
    LEFT JOIN sus ON sus.student_id = pop.id
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    """
    return fetch_dicts(sql, {**params, "year": f.year.pk, "as_of": f.as_of or f.year.end_date})
