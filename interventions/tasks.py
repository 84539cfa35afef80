"""Celery tasks of the interventions app.

`refresh_progress_all_districts` runs nightly from django-celery-beat (interventions migration
0006): it stores every plan's progress figures again (interventions.progress_summary), which
catches up any change made around the services (the admin, a shell) and moves each row's
as-of day to today. One task per district, so a district's failure does not stop the others.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from interventions import progress_summary
from students.models import District


@shared_task(name="interventions.tasks.refresh_progress", acks_late=True, ignore_result=True)
def refresh_progress(district_id: int) -> int:
    """Store the progress figures of every plan of one district; returns the rows written."""
    with transaction.atomic():
        return progress_summary.refresh(district_id=district_id)


@shared_task(name="interventions.tasks.refresh_progress_all_districts", ignore_result=True)
def refresh_progress_all_districts() -> int:
    ids = list(District.objects.order_by("pk").values_list("pk", flat=True))
    for district_id in ids:
        refresh_progress.delay(district_id)
    return len(ids)
