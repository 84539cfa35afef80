"""The every-minute dead-worker check of rule runs as a django-celery-beat schedule
(editable in the admin). Idempotent: re-running finds the rows by name; reversing removes
only this task (the interval row may be shared, so it stays)."""

from django.db import migrations

TASK_NAME = "Decision rules: fail the runs whose worker stopped (every minute)"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "decisions.tasks.rule_runs_check",
            "interval": every_minute,
            "enabled": True,
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0005_rule_run_heartbeat"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
