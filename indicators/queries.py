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
