"""Rule sets gain three settings (issue 15): `odr_count_minors` (SWIS counts major referrals
only; off), `exit_at_benchmark_screening` (the district's default for interventions whose exit
criteria do not say; off) and `dual_discrepancy_growth_percentile` (25).

Rule sets are never edited in place, so each district's active rule set that lacks one of them
gets a new version naming every setting, the defaults filled in, with a note saying why. The
thresholds behind earlier flags stay as they were. Reversing deletes those versions and
reactivates the ones they replaced.
"""

from django.db import migrations

NEW_SETTINGS = {
    "odr_count_minors": False,
    "exit_at_benchmark_screening": False,
    "dual_discrepancy_growth_percentile": 25,
}
NOTE = (
    "Added by the software update: office referral bands and the October catch count major "
    "referrals only (odr_count_minors off), exit at benchmark at the next screening where the "
    "intervention does not say (off), dual discrepancy against the 25th percentile of peers' "
    "growth."
)


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("decisions", "RuleSet")
    for old in RuleSet.objects.filter(is_active=True).order_by("district_id"):
        if all(key in old.thresholds for key in NEW_SETTINGS):
            continue
        old.is_active = False
        old.save(update_fields=["is_active"])
        RuleSet.objects.create(
            district_id=old.district_id,
            version=old.version + 1,
            thresholds={**NEW_SETTINGS, **old.thresholds},
            is_active=True,
            notes=NOTE,
        )


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("decisions", "RuleSet")
    for added in RuleSet.objects.filter(is_active=True, notes=NOTE):
        previous = RuleSet.objects.filter(
            district_id=added.district_id, version=added.version - 1
        ).first()
        added.delete()
        if previous is not None:
            previous.is_active = True
            previous.save(update_fields=["is_active"])


class Migration(migrations.Migration):
    dependencies = [("decisions", "0009_flag_closed_reason")]

    operations = [migrations.RunPython(forwards, backwards)]
