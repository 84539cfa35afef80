"""Tell PostgreSQL's planner that a student's school decides their district.

With several districts in one database, a query filtered on both `school_id = ANY(...)` and
`district_id = ...` (every dashboard's population) was estimated by multiplying the two
selectivities as if independent: 558 rows for a 5,000-student district of ten (0.1 x 0.1 of
50,000), when all 5,000 match. The tiers page's movement query then chose a nested loop over
those "558" rows and ran 3.8 s instead of 0.1 s (docs/state-scale.md, "Indexes and
statistics"). Functional-dependency statistics fix the estimate (PostgreSQL 13+ uses them
for `= ANY` lists too); ANALYZE fills them, as autovacuum does after loads.
"""

from django.db import migrations

CREATE = """
CREATE STATISTICS IF NOT EXISTS students_student_school_district (dependencies)
    ON school_id, district_id FROM students_student;
ANALYZE students_student;
"""
DROP = "DROP STATISTICS IF EXISTS students_student_school_district;"


class Migration(migrations.Migration):
    dependencies = [("students", "0013_alter_importjob_kind")]

    operations = [migrations.RunSQL(CREATE, DROP)]
