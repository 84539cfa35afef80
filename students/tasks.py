"""Celery tasks of the roster app. Thin: each calls a plain function that a management
command or a test can call too, and each is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from students.idempotency import idempotency_keys_forget
from students.imports import job_run
from students.job_health import import_jobs_check
from students.models_imports import ImportJob
from students.outbox import events_delete_delivered
from students.outbox import outbox_dispatch as dispatch


@shared_task(
    name="students.tasks.import_job_run",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,  # the job row is the result
    time_limit=60 * 60,
    soft_time_limit=55 * 60,
)
def import_job_run(job_id: int) -> str:
    """Run one queued import job (any kind); drop-folder jobs e-mail their report."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).exists():
        return "already run"  # a redelivered message: no second run, no second e-mail
    job = job_run(job_id=job_id)
    if job.source == ImportJob.Source.DROP_FOLDER and job.is_finished:
        from students.oneroster.dropfolder import report_email_send

        report_email_send(job)
    return job.status


@shared_task(name="students.tasks.drop_folder_sweep")
def drop_folder_sweep() -> int:
    """Nightly (django-celery-beat, students migration 0004): queue new drop-folder sets,
    delete the uploads of imports finished more than IMPORT_UPLOAD_RETENTION_DAYS ago, the
    events delivered more than a month ago and the idempotency keys older than a week."""
    from students.oneroster.dropfolder import drop_folder_sweep as sweep
    from students.uploads import old_uploads_delete

    queued = len(sweep())
    old_uploads_delete()
    events_delete_delivered()
    idempotency_keys_forget()
    return queued


@shared_task(name="students.tasks.outbox_dispatch", ignore_result=True)
def outbox_dispatch() -> int:
    """Every minute (beat): deliver the events still pending (students/outbox.py)."""
    return dispatch()


@shared_task(name="students.tasks.jobs_check", ignore_result=True)
def jobs_check() -> int:
    """Every minute (beat): fail the import jobs whose worker stopped."""
    return import_jobs_check()


def job_queued_send(payload: dict) -> None:
    """Subscriber of "imports.job_queued": hand the job to a worker. Raises when the broker
    is unreachable, so the event stays pending and is sent again later. retry=False: one
    attempt, never seconds of waiting inside a request."""
    import_job_run.apply_async((payload["job_id"],), retry=False)
