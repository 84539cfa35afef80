"""Celery tasks of the screening app. Thin: the work is a plain function also run by a command.

`score_import_job` runs a queued score-import ImportJob through `students.imports.job_run`
(the same path as `manage.py import_scores`). It is idempotent: a redelivered message finds
the job no longer queued and does nothing.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

# Importing the module registers the score importer with students.imports.
from screening.score_import import jobs as score_import_jobs  # noqa: F401
from students.imports import job_run
from students.models_imports import ImportJob

logger = logging.getLogger(__name__)

NOT_QUEUED = (
    "The import could not be started: the background job service is not reachable. "
    "Nothing was changed. Try again in a few minutes."
)


@shared_task(name="screening.score_import_job", acks_late=True, ignore_result=True)
def score_import_job(job_id: int) -> str:
    job = job_run(job_id=job_id)
    return job.status


def score_import_enqueue(job_id: int) -> bool:
    """Send the job to a worker (call it from `transaction.on_commit`).

    A broker that cannot be reached must not leave the job "waiting to start" forever: the
    job is marked failed with a message the user can act on.
    """
    try:
        score_import_job.delay(job_id)
    except Exception:  # kombu/redis raise many kinds; all mean "not queued"
        logger.exception("could not queue score import job %s", job_id)
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.FAILED, error=NOT_QUEUED, finished_at=timezone.now()
        )
        return False
    return True
