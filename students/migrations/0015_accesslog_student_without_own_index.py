import django.db.models.deletion
from django.db import migrations, models

# Only the index goes: Django's own AlterField would also drop and re-add the foreign key,
# which re-checks every row of the access log (the largest table) under a lock that holds
# back the page views writing to it.
INDEX = "students_accesslog_student_id_aa892922"


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0014_student_school_district_statistics"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="student",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="access_logs",
                        to="students.student",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "students_accesslog" ("student_id")',
                ),
            ],
        ),
    ]
