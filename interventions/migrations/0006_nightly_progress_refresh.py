"""The nightly refresh of every plan's stored progress figures as a django-celery-beat
schedule, 02:15 local time (before the 02:30 rule sweep), editable in the admin (Periodic
tasks). Idempotent; reversing removes only this task."""

from django.conf import settings
from django.db import migrations

TASK_NAME = "Interventions: refresh every plan's progress figures (nightly)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "interventions.tasks.refresh_progress_all_districts",
            "crontab": crontab,
            "enabled": True,
            "description": "Works out every plan's trend, aim line, fidelity and goal streak "
            "again for the dashboards. Points and sessions saved in the app update their plan "
            "at once; this catches up anything changed another way.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0005_plan_progress"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
