"""Celery tasks of the roster app. Thin: each calls a plain function that a management
command or a test can call too, and each is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from students.imports import job_run
from students.models_imports import ImportJob


@shared_task(
    name="students.tasks.import_job_run",
    acks_late=True,
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
    re-send uploads that could not be queued when they arrived, and delete the uploads of
    imports finished more than IMPORT_UPLOAD_RETENTION_DAYS ago."""
    from students.imports import old_uploads_delete, stale_jobs_requeue
    from students.oneroster.dropfolder import drop_folder_sweep as sweep

    stale_jobs_requeue()
    queued = len(sweep())
    old_uploads_delete()
    return queued
