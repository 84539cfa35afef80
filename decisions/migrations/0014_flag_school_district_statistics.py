"""A flag's school decides its district: functional-dependency statistics so the planner
estimates `district_id = ... AND school_id = ANY(...)` right in a database of several
districts (763 estimated, 7,427 actual for one district of ten before; see
students/migrations/0014 and docs/state-scale.md)."""

from django.db import migrations

CREATE = """
CREATE STATISTICS IF NOT EXISTS decisions_flag_school_district (dependencies)
    ON school_id, district_id FROM decisions_flag;
ANALYZE decisions_flag;
"""
DROP = "DROP STATISTICS IF EXISTS decisions_flag_school_district;"


class Migration(migrations.Migration):
    dependencies = [("decisions", "0013_classwide_plan")]

    operations = [migrations.RunSQL(CREATE, DROP)]
