"""Celery side of the screening app.

Score imports run on the roster app's generic task (`students.tasks.import_job_run`, which
calls `students.imports.job_run`, the path `manage.py import_scores` takes too). Celery
imports this module when a worker starts, and this module imports the score importer, so
the worker knows the `screening_scores` job kind.
"""

from __future__ import annotations

# Importing the module registers the score importer with students.imports.
from screening.score_import import jobs as score_import_jobs  # noqa: F401
from students.imports import enqueue
from students.models_imports import ImportJob


def score_import_enqueue(job: ImportJob) -> None:
    """Start the job on a worker once the current transaction has committed. With the
    broker down the job waits ("waiting to start") and is sent once the broker is back
    (students/outbox.py); the request never waits on the broker."""
    enqueue(job)
