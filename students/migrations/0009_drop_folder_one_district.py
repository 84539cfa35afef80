from django.db import migrations, models


def unshare_drop_folders(apps, schema_editor):
    """A folder named by several districts stays with the first setting saved; the others
    are switched off and emptied (their administrators choose a folder of their own)."""
    Settings = apps.get_model("students", "DistrictImportSettings")
    seen: set[str] = set()
    for config in Settings.objects.exclude(drop_folder="").order_by("pk"):
        if config.drop_folder in seen:
            config.drop_folder = ""
            config.enabled = False
            config.save(update_fields=["drop_folder", "enabled"])
        else:
            seen.add(config.drop_folder)


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0008_outbox_and_job_check_schedule"),
    ]

    operations = [
        migrations.RunPython(unshare_drop_folders, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="districtimportsettings",
            constraint=models.UniqueConstraint(
                condition=models.Q(("drop_folder", ""), _negated=True),
                fields=("drop_folder",),
                name="drop_folder_one_district",
            ),
        ),
    ]
