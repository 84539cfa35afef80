"""Note every write to the tables the dashboards count from, so that cached figures are
never served after their data changed (dashboards.data_version, dashboards.panel_cache).

A statement-level trigger on each table inserts one `dashboards_datachange` row per write
statement, in the writer's transaction: ORM saves, bulk_create, QuerySet.update/delete, COPY
(the sweep's new flags), imports and raw SQL are all seen, and a rolled-back write leaves no
note. Only inserts into the note table: no row is updated, so writers never wait on each
other or deadlock there. Screening scores and flags note the window of each row written (a
transition table): "screening_screeningscore:<window id>", "decisions_flag:classwide:<window
id>" (other flags: "decisions_flag:student"), so the open window's saves and the sweeps they
start leave a closed window's figures cached.

Tables left out are written on nearly every request and feed no dashboard figure (the access
log, sign-in times, idempotency keys, the outbox, import job progress, sweep run records,
settings previews, the score change audit): dashboards.data_version.UNWATCHED lists them,
and tests/dashboards/test_panel_cache.py fails when a new table of these apps is neither
watched nor listed there.
"""

from django.db import migrations, models

WATCHED = (
    "decisions_classwideplan",
    "decisions_ruleset",
    "indicators_attendancerecord",
    "indicators_attendancesummary",
    "indicators_calendarday",
    "indicators_coursemark",
    "indicators_markrule",
    "interventions_cicocard",
    "interventions_cicosetup",
    "interventions_fidelityobservation",
    "interventions_intervention",
    "interventions_interventiongroup",
    "interventions_interventionplan",
    "interventions_interventionsession",
    "interventions_plandecision",
    "interventions_planphase",
    "interventions_planprogress",
    "interventions_progressscore",
    "interventions_selfrating",
    "interventions_studentgoalstatement",
    "interventions_tierplacement",
    "meetings_actionitem",
    "meetings_agendaitem",
    "meetings_agendaitem_concerns",
    "meetings_agendaitem_flags",
    "meetings_agendaitem_plans",
    "meetings_classwidedecision",
    "meetings_classwidedecision_flags",
    "meetings_concern",
    "meetings_decision",
    "meetings_decision_flags",
    "meetings_meeting",
    "meetings_meeting_attendees",
    "meetings_meetingseries",
    "screening_behaviorrating",
    "screening_cutscore",
    "screening_cutscoreset",
    "screening_measure",
    "screening_referral",
    "screening_schoolwindowdates",
    "screening_screeningwindow",
    "students_district",
    "students_districtimportsettings",
    "students_enrollment",
    "students_guardian",
    "students_membership",
    "students_school",
    "students_schoolyear",
    "students_section",
    "students_section_teachers",
    "students_student",
    "students_studentguardian",
)

FUNCTIONS = """
CREATE FUNCTION dashboards_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboards_datachange (source, weight) VALUES (TG_TABLE_NAME, 1);
    RETURN NULL;
END $$;

-- Flags: a classwide flag by its window ("decisions_flag:classwide:<window id>", the core
-- panel's classwide problems), any other kind as "decisions_flag:student".
CREATE FUNCTION dashboards_note_flag_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO dashboards_datachange (source, weight)
        SELECT DISTINCT CASE WHEN kind = 'classwide'
                        THEN 'decisions_flag:classwide:' || COALESCE(window_id::text, '')
                        ELSE 'decisions_flag:student' END, 1
        FROM new_rows;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO dashboards_datachange (source, weight)
        SELECT DISTINCT CASE WHEN kind = 'classwide'
                        THEN 'decisions_flag:classwide:' || COALESCE(window_id::text, '')
                        ELSE 'decisions_flag:student' END, 1
        FROM old_rows;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION dashboards_note_window_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO dashboards_datachange (source, weight)
        SELECT TG_TABLE_NAME || ':' || COALESCE(window_id::text, ''), 1
        FROM new_rows GROUP BY window_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO dashboards_datachange (source, weight)
        SELECT TG_TABLE_NAME || ':' || COALESCE(window_id::text, ''), 1
        FROM old_rows GROUP BY window_id;
    END IF;
    RETURN NULL;
END $$;
"""

# Tables noted per window, by their function: the scores, and the flags (a sweep after a
# score is saved).
WINDOWED = {
    "screening_screeningscore": "dashboards_note_window_change",
    "decisions_flag": "dashboards_note_flag_change",
}


def _window_triggers(table: str, function: str) -> str:
    return f"""
CREATE TRIGGER dashboards_note_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER dashboards_note_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER dashboards_note_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
-- A truncate has no rows to read: noted under the table's name, every window's.
CREATE TRIGGER dashboards_note_change AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION dashboards_note_change();
"""


def _create_triggers() -> str:
    return "".join(_window_triggers(t, function) for t, function in WINDOWED.items()) + "\n".join(
        f"CREATE TRIGGER dashboards_note_change"
        f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION dashboards_note_change();"
        for table in WATCHED
    )


def _drop_triggers() -> str:
    drops = [f"DROP TRIGGER IF EXISTS dashboards_note_change ON {table};" for table in WATCHED]
    drops += [
        f"DROP TRIGGER IF EXISTS {name} ON {table};"
        for table in WINDOWED
        for name in (
            "dashboards_note_insert",
            "dashboards_note_update",
            "dashboards_note_delete",
            "dashboards_note_change",
        )
    ]
    return "\n".join(drops)


DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS dashboards_note_change();
DROP FUNCTION IF EXISTS dashboards_note_window_change();
DROP FUNCTION IF EXISTS dashboards_note_flag_change();
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("decisions", "0014_flag_school_district_statistics"),
        ("indicators", "0001_initial"),
        ("interventions", "0012_student_ownership"),
        ("meetings", "0004_classwide_decision"),
        ("screening", "0006_window_name"),
        ("students", "0014_student_school_district_statistics"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=64)),
                ("weight", models.BigIntegerField(default=1)),
            ],
        ),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.RunSQL(_create_triggers(), _drop_triggers()),
    ]
