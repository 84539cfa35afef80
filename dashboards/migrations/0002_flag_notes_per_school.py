"""Student flags noted per school ("decisions_flag:student:<school id>"), so that the equity
pipeline's flags part of one school (dashboards.selectors.pipeline_parts) is read again only
when that school's flags are written: a sweep of one school leaves the other 97 schools' parts
of a district's page in the cache. Readers of the whole flags table are unaffected (a version
over "decisions_flag" counts every "decisions_flag:..." note). Classwide flags stay noted per
window. The function is replaced in place; the triggers that call it are unchanged."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION dashboards_note_flag_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO dashboards_datachange (source, weight)
        SELECT DISTINCT CASE WHEN kind = 'classwide'
                        THEN 'decisions_flag:classwide:' || COALESCE(window_id::text, '')
                        ELSE 'decisions_flag:student:' || school_id::text END, 1
        FROM new_rows;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO dashboards_datachange (source, weight)
        SELECT DISTINCT CASE WHEN kind = 'classwide'
                        THEN 'decisions_flag:classwide:' || COALESCE(window_id::text, '')
                        ELSE 'decisions_flag:student:' || school_id::text END, 1
        FROM old_rows;
    END IF;
    RETURN NULL;
END $$;
"""

PREVIOUS = FUNCTION.replace(
    "'decisions_flag:student:' || school_id::text", "'decisions_flag:student'"
)


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_data_changes")]

    operations = [migrations.RunSQL(FUNCTION, reverse_sql=PREVIOUS)]
