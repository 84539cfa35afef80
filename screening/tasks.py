"""Celery side of the screening app.

Score imports run on the roster app's generic task (`students.tasks.import_job_run`, which
calls `students.imports.job_run`, the path `manage.py import_scores` takes too). Celery
imports this module when a worker starts, and this module imports the score importer, so
the worker knows the `screening_scores` job kind.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

# Importing the module registers the score importer with students.imports.
from screening.score_import import jobs as score_import_jobs  # noqa: F401
from students.models_imports import ImportJob

logger = logging.getLogger(__name__)

NOT_QUEUED = (
    "The import could not be started: the background job service is not reachable. "
    "Nothing was changed. Try again in a few minutes."
)


def score_import_send(job_id: int) -> bool:
    """Hand the job to a worker now. A broker that cannot be reached must not leave the job
    "waiting to start" for ever: the job is marked failed with a message the user can act on.
    """
    from students.tasks import import_job_run

    try:
        import_job_run.delay(job_id)
    except Exception:  # kombu and redis raise many kinds; all mean "not queued"
        logger.exception("could not queue score import job %s", job_id)
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.FAILED, error=NOT_QUEUED, finished_at=timezone.now()
        )
        return False
    return True


def score_import_enqueue(job: ImportJob) -> None:
    """Start the job on a worker once the current transaction has committed."""
    job_id = job.pk
    transaction.on_commit(lambda: score_import_send(job_id))
