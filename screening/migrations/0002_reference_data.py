"""Load the read-only reference measures and cut-score sets (screening/reference_data.py)."""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    from screening import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
