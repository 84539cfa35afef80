"""Two every-minute django-celery-beat schedules (editable in the admin): deliver the outbox
events still pending, and fail the import jobs whose worker stopped.

Idempotent: re-running finds the existing rows by name. Reversing removes only these tasks.
"""

from django.db import migrations

TASKS = {
    "Events: deliver the pending ones (every minute)": "students.tasks.outbox_dispatch",
    "Import jobs: fail those whose worker stopped (every minute)": "students.tasks.jobs_check",
}


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    for name, task in TASKS.items():
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": every_minute, "enabled": True}
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(TASKS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0007_job_heartbeat_and_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
