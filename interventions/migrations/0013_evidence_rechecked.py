"""The shipped entries' evidence after a third check (issue 17; docs/settings.md has the
table): the foundational-skills guide's recommendation 4 level was found (moderate), and the
2021 math guide's levels still were not, so the number-sense entry states no level. A frozen
copy of two entries of interventions/catalog/evidence.py: only the shared catalog's rows
change."""

from django.db import migrations

_F = "WWC practice guide: Foundational Skills to Support Reading for Understanding in K-3 (2016)"
_M21 = "WWC practice guide: Assisting Students Struggling with Mathematics (2021)"
SHIPPED = {
    "Repeated reading for fluency": (f"{_F}, recommendation 4", "Moderate evidence"),
    "Number sense small group": (
        f"{_M21}, recommendation 4 (the number line) (level not verified against the guide)",
        "Level not verified",
    ),
}


def restate(apps, schema_editor):
    Intervention = apps.get_model("interventions", "Intervention")
    for name, (source, rating) in SHIPPED.items():
        Intervention.objects.filter(district__isnull=True, name=name).update(
            evidence_source=source, evidence_rating=rating
        )


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0012_student_ownership"),
    ]

    operations = [migrations.RunPython(restate, migrations.RunPython.noop)]
