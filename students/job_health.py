"""Import jobs that tell the truth: the dead-worker check and retrying a failed job.

`import_jobs_check()` runs every minute (beat task `students.tasks.jobs_check`): a job still
`running` whose heartbeat (students/heartbeat.py) is older than settings.JOB_STALE_SECONDS
lost its worker (killed, out of memory, its database connection dropped). Its transaction
was rolled back by PostgreSQL, so nothing was imported; the job is marked failed with
WORKER_STOPPED. Nobody has to open its page for that to happen.

`import_job_retry()` starts a new job on the same file and options (the failed one stays as
the record); the page and the API offer it for failed jobs whose upload is still kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from students.imports import enqueue, import_job_create
from students.models import User
from students.models_imports import ImportJob

WORKER_STOPPED = (
    "The worker stopped before the import finished (it was shut down or lost its database "
    "connection), so nothing was imported. Retry the import."
)


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)


def fail_stale_jobs(jobs: QuerySet, *, error: str, now: dt.datetime | None = None) -> int:
    """Fail the `running` jobs among `jobs` whose heartbeat stopped, with `error`. Any job model
    with status, heartbeat_at, started_at, created_at, error and finished_at (import jobs,
    what-if previews). Returns how many were failed."""
    now = now or timezone.now()
    return (
        jobs.filter(status="running")
        .alias(beat=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(beat__lt=stale_cutoff(now))
        .update(status="failed", error=error, finished_at=now)
    )


def import_jobs_check(*, now: dt.datetime | None = None) -> int:
    """Fail running import jobs whose heartbeat stopped. Returns how many were failed."""
    return fail_stale_jobs(ImportJob.objects.all(), error=WORKER_STOPPED, now=now)


def can_retry(job: ImportJob) -> bool:
    return job.status == ImportJob.Status.FAILED and Path(job.file_path).exists()


class NotRetriable(Exception):
    pass


@transaction.atomic
def import_job_retry(*, job: ImportJob, user: User | None) -> ImportJob:
    """A new queued job on the failed job's file and options, started after commit."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not can_retry(job):
        raise NotRetriable(
            "Only a failed import whose file is still kept can be retried."
            if job.status == ImportJob.Status.FAILED
            else "Only a failed import can be retried."
        )
    retry = import_job_create(
        district=job.district,
        kind=job.kind,
        file_path=job.file_path,
        original_name=job.original_name,
        all_or_nothing=job.all_or_nothing,
        created_by=user,
        source=job.source,
        fingerprint=job.fingerprint,
    )
    retry.options = {**job.options, "retry_of": job.pk}
    retry.save(update_fields=["options"])
    enqueue(retry)
    return retry


__all__ = [
    "WORKER_STOPPED",
    "NotRetriable",
    "can_retry",
    "fail_stale_jobs",
    "import_job_retry",
    "import_jobs_check",
]
