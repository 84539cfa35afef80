import django.db.models.deletion
from django.db import migrations, models

# The (window, measure, grade) index already serves every lookup by window; with both,
# PostgreSQL picked the single-column one for the caseload's growth norms (240-820 ms against
# 55-95 ms). Only the index goes: Django's own AlterField would also drop and re-add the
# foreign key, re-checking every score row under a lock.
INDEX = "screening_screeningscore_window_id_17ec2613"


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0006_window_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="screeningscore",
                    name="window",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="scores",
                        to="screening.screeningwindow",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "screening_screeningscore" '
                    '("window_id")',
                ),
            ],
        ),
    ]
