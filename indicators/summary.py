"""Attendance rate and chronic-absence status per student and school year, recomputed
set-based (one INSERT ... SELECT ... GROUP BY, one DELETE) inside the import's transaction.

Chronic absence (Attendance Works, ESSA reporting): missing `chronic_absence_at` (10%) or more
of the days enrolled, once the student has been enrolled `chronic_absence_min_days` days.
Excused and unexcused absences both count; a tardy is present.
"""

from __future__ import annotations

from django.db import connection

from indicators.queries import ATTENDANCE_COUNTS_SQL
from indicators.rule_settings import thresholds_for

_UPSERT = """
INSERT INTO indicators_attendancesummary
    (student_id, school_id, school_year_id, days_enrolled, days_absent, days_excused,
     days_tardy, absence_rate, chronic, last_date, computed_at)
SELECT n.student_id, st.school_id, n.school_year_id, n.days_enrolled, n.days_absent,
       n.days_excused, n.days_tardy, n.days_absent::float8 / n.days_enrolled,
       n.days_enrolled >= %(min_days)s
         AND n.days_absent::float8 / n.days_enrolled >= %(chronic_at)s - 1e-9,
       n.last_date, now()
FROM ({counts}) n
JOIN students_student st ON st.id = n.student_id
ON CONFLICT (student_id, school_year_id) DO UPDATE
SET school_id = EXCLUDED.school_id, days_enrolled = EXCLUDED.days_enrolled,
    days_absent = EXCLUDED.days_absent, days_excused = EXCLUDED.days_excused,
    days_tardy = EXCLUDED.days_tardy, absence_rate = EXCLUDED.absence_rate,
    chronic = EXCLUDED.chronic, last_date = EXCLUDED.last_date, computed_at = now()
"""
# Summaries whose student no longer has a counted day that year (a calendar made them
# holidays): removed, not left stale.
_STALE = """
DELETE FROM indicators_attendancesummary s
WHERE {scope} AND NOT EXISTS (
    SELECT 1 FROM indicators_attendancerecord a
    JOIN indicators_calendarday c
      ON c.school_id = a.school_id AND c.date = a.date AND c.kind = 'instructional'
    WHERE a.student_id = s.student_id AND c.school_year_id = s.school_year_id)
"""


def summaries_recompute(
    *,
    district_id: int,
    school_ids: list[int] | None = None,
    students_table: str | None = None,
) -> int:
    """Recompute the summaries of the records of some schools, or of the students named in
    a temporary table (an import's), or of the whole district. Returns the rows written."""
    thresholds = thresholds_for(district_id)
    params: dict = {
        "district_id": district_id,
        "min_days": thresholds.chronic_absence_min_days,
        "chronic_at": thresholds.chronic_absence_at,
        "school_ids": school_ids or [],
    }
    if students_table is not None:
        where = f"a.student_id IN (SELECT DISTINCT student_id FROM {students_table})"
        scope = f"s.student_id IN (SELECT DISTINCT student_id FROM {students_table})"
    elif school_ids is not None:
        where = "a.school_id = ANY(%(school_ids)s)"
        scope = "s.school_id = ANY(%(school_ids)s)"
    else:
        where = (
            "a.school_id IN (SELECT id FROM students_school WHERE district_id = %(district_id)s)"
        )
        scope = (
            "s.school_id IN (SELECT id FROM students_school WHERE district_id = %(district_id)s)"
        )
    # as_of: every record imported so far counts (a summary is "the year so far").
    counts = ATTENDANCE_COUNTS_SQL.format(where=where)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(counts=counts), params)
        written = cursor.rowcount
        cursor.execute(_STALE.format(scope=scope), params)
    return written
