"""Up to five windows a year: a window gets a name (unique in its year) and its season only
says whose cut scores apply, so two windows of a year may share a season."""

from django.db import migrations, models


def name_after_season(apps, schema_editor):
    ScreeningWindow = apps.get_model("screening", "ScreeningWindow")
    labels = {"fall": "Fall", "winter": "Winter", "spring": "Spring"}
    for window in ScreeningWindow.objects.all().only("pk", "season"):
        ScreeningWindow.objects.filter(pk=window.pk).update(name=labels[window.season])


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0005_measure_skill"),
    ]

    operations = [
        migrations.AddField(
            model_name="screeningwindow",
            name="name",
            field=models.CharField(
                default="",
                help_text="What staff call this window, e.g. Fall or Mid-fall check.",
                max_length=40,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(name_after_season, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="screeningwindow", name="window_season_uniq"),
        migrations.AddConstraint(
            model_name="screeningwindow",
            constraint=models.UniqueConstraint(
                fields=("school_year", "name"), name="window_name_uniq"
            ),
        ),
        migrations.AlterField(
            model_name="screeningwindow",
            name="season",
            field=models.CharField(
                choices=[("fall", "Fall"), ("winter", "Winter"), ("spring", "Spring")],
                help_text="Whose cut scores classify this window's scores: fall, winter or spring.",
                max_length=10,
            ),
        ),
    ]
