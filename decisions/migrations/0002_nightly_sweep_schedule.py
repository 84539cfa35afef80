"""The nightly rule sweep as a django-celery-beat schedule, 02:30 local time, editable in
the admin (Periodic tasks). Idempotent: re-running finds the rows by name; reversing removes
only this task (the crontab row may be shared with other nightly tasks, so it stays)."""

from django.conf import settings
from django.db import migrations

TASK_NAME = "Decision rules: sweep every district (nightly)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "decisions.tasks.sweep_all_districts",
            "crontab": crontab,
            "enabled": True,
            "description": "Applies the decision rules to every district and writes the flags. "
            "Each district gets a rule run (see Decisions > Rule runs).",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
