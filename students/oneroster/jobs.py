"""The roster's importers as ImportJob kinds (students.apps fills students.slots.IMPORTERS)."""

from __future__ import annotations

from students.imports import ImportReport, Progress
from students.models_imports import ImportJob
from students.oneroster.groups import import_student_groups
from students.oneroster.importer import import_oneroster


def run_oneroster(job: ImportJob, progress: Progress) -> ImportReport:
    return import_oneroster(
        path=job.file_path,
        district=job.district,
        all_or_nothing=job.all_or_nothing,
        progress=progress,
        actor=job.created_by,
        job_id=job.pk,
        deactivation_confirmed=bool(job.options.get("deactivation_confirmed")),
    )


def run_student_groups(job: ImportJob, progress: Progress) -> ImportReport:
    return import_student_groups(
        path=job.file_path,
        district=job.district,
        all_or_nothing=job.all_or_nothing,
        progress=progress,
        actor=job.created_by,
        job_id=job.pk,
    )
