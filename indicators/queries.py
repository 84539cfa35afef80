"""The attendance counts every reader shares (summaries, the early-warning rules, the
dashboards): one SQL text, so "a day counts" means the same everywhere.

A day counts when the student has a record on it and the school's calendar lists it as a
school day. Records on a day the calendar later made a holiday, or on a date the calendar
does not list, do not count (the importer refuses both, this guards later calendar edits).
"""

# Per student and school year, up to %(as_of)s. {where} narrows the records (alias a).
ATTENDANCE_COUNTS_SQL = """
SELECT a.student_id, c.school_year_id,
       count(*) AS days_enrolled,
       count(*) FILTER (WHERE a.status IN ('E', 'U')) AS days_absent,
       count(*) FILTER (WHERE a.status = 'E') AS days_excused,
       count(*) FILTER (WHERE a.status = 'T') AS days_tardy,
       max(a.date) AS last_date
FROM indicators_attendancerecord a
JOIN indicators_calendarday c
  ON c.school_id = a.school_id AND c.date = a.date AND c.kind = 'instructional'
WHERE {where}
GROUP BY a.student_id, c.school_year_id
"""

# Per student, for the early-warning sweep: the year so far up to %(as_of)s and the student's
# school's last %(trend_days)s school days. {students} narrows the students (alias st).
# The numbered days are MATERIALIZED: inlined, PostgreSQL may number them again per student.
EW_ATTENDANCE_SQL = """
WITH days AS MATERIALIZED (
    SELECT c.school_id, c.date,
           row_number() OVER (PARTITION BY c.school_id ORDER BY c.date DESC) AS back
    FROM indicators_calendarday c
    WHERE c.school_year_id = %(year_id)s AND c.kind = 'instructional' AND c.date <= %(as_of)s
)
SELECT a.student_id, st.school_id,
       count(*) AS days_enrolled,
       count(*) FILTER (WHERE a.status IN ('E', 'U')) AS days_absent,
       count(*) FILTER (WHERE d.back <= %(trend_days)s) AS recent_days,
       count(*) FILTER (WHERE d.back <= %(trend_days)s AND a.status IN ('E', 'U'))
           AS recent_absent
FROM indicators_attendancerecord a
JOIN days d ON d.school_id = a.school_id AND d.date = a.date
JOIN students_student st ON st.id = a.student_id
WHERE a.date BETWEEN %(year_start)s AND %(as_of)s AND {students}
GROUP BY a.student_id, st.school_id
"""

# Each student's latest mark per course this school year.
EW_MARKS_SQL = """
SELECT DISTINCT ON (m.student_id, m.course_code)
       m.student_id, st.school_id, m.course_code, m.course_name, m.core, m.passing,
       m.grading_period, m.letter, m.percent::float8 AS percent
FROM indicators_coursemark m
JOIN students_student st ON st.id = m.student_id
WHERE m.school_year_id = %(year_id)s AND {students}
ORDER BY m.student_id, m.course_code, m.period_end DESC
"""
