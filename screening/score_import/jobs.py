"""The score importer of the generic ImportJob (students/imports.py) and the write itself.

`score_import_run(job, progress)` is registered for ImportJob.Kind.SCREENING_SCORES, so
`students.imports.job_run` runs it for the Celery task and `manage.py import_scores` alike.

All or nothing, whatever happens: every row is written inside ONE transaction. The valid rows
go to `scores_bulk_record` in chunks (so the progress bar moves), sorted by norm group so a
chunk touches few groups, after the norm-group locks of the whole file were taken in one
statement (the order every score writer uses, so two writers cannot deadlock). A crash, a
killed worker or a database error anywhere rolls the whole transaction back; `job_run` then
marks the job failed ("Nothing was changed").
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.models.scores import ScreeningScore
from screening.score_import.checking import CheckResult, check_rows
from screening.score_import.mapping import Mapping
from screening.score_import.reading import read_score_file
from screening.score_import.storage import file_read
from screening.services.norms import lock_norm_groups
from screening.services.scores import ScoreInput, scores_bulk_record
from students.audit import AuditContext
from students.imports import (
    ImportRefused,
    ImportReport,
    Progress,
    RollBack,
    no_progress,
    register_importer,
)
from students.models import User
from students.models_imports import ImportJob

ENTITY = "scores"
SAVE_PHASE = "Saving scores"
# Rows per scores_bulk_record call: big enough that per-call overhead vanishes, small enough
# that the progress bar moves every second or two.
CHUNK_ROWS = 10_000


def after_score_import(*, district_id: int, window_ids: list[int], measure_ids: list[int]) -> None:
    """Hook run once an import has committed: the decision-rules sweep starts here.

    The score services already call `screening.services.after_scores_saved` for every chunk
    (inside the transaction); this one runs after commit with the whole import's scope, so
    the decisions app can enqueue ONE sweep of the district for these windows and measures
    (instead of one per chunk). Nothing is enqueued yet: the decisions app has no task.
    """


def scores_import_write(
    *,
    checked: CheckResult,
    user: User | None,
    all_or_nothing: bool,
    district_id: int,
    report: ImportReport | None = None,
    file: str = "",
    progress: Progress = no_progress,
    chunk_rows: int | None = None,
) -> ImportReport:
    """Write the valid rows of a checked file (or none of them) and say what happened.

    All or nothing: any rejected row means nothing is written. Keep valid: the valid rows are
    written, the rejected ones listed. Either way a row that the service refuses at write
    time (a window closed since the check) is listed like the others.
    """
    report = report or ImportReport(all_or_nothing=all_or_nothing)
    report.all_or_nothing = all_or_nothing
    for row, reason in checked.problems:
        report.reject(file, row, reason, entity=ENTITY)
    report.count(ENTITY, "skipped", len(checked.skipped))
    report.meta.update(
        {
            "rows": checked.total,
            "valid_rows": len(checked.valid),
            "skipped_rows": len(checked.skipped),
        }
    )
    if checked.problems and all_or_nothing:
        return report
    started = time.monotonic()
    rows = sorted(checked.valid, key=lambda c: (c.measure_id, c.window_id, c.grade, c.row))
    total = len(rows)
    chunk_rows = chunk_rows or int(getattr(settings, "SCORE_IMPORT_CHUNK_ROWS", CHUNK_ROWS))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    late: list[tuple[int, str]] = []
    try:
        with transaction.atomic():
            lock_norm_groups({(c.measure_id, c.window_id, c.grade) for c in rows})
            progress(SAVE_PHASE, 0, total)
            for start in range(0, total, chunk_rows):
                chunk = rows[start : start + chunk_rows]
                result = scores_bulk_record(
                    rows=[
                        ScoreInput(
                            student=c.student_id,
                            measure=c.measure_id,
                            window=c.window_id,
                            value=c.value,
                            row=c.row,
                        )
                        for c in chunk
                    ],
                    entered_by=user,
                    partial=True,
                    audit=AuditContext.system(via="score import", user=user),
                    source=ScreeningScore.Source.IMPORTED,
                    return_scores=False,  # only the counts are reported
                )
                counts["created"] += result.created
                counts["updated"] += result.updated
                counts["unchanged"] += result.unchanged
                late.extend((e.row or 0, e.message()) for e in result.errors)
                progress(SAVE_PHASE, start + len(chunk), total)
            if late and all_or_nothing:
                raise RollBack
            window_ids = sorted({c.window_id for c in rows})
            measure_ids = sorted({c.measure_id for c in rows})
            transaction.on_commit(
                lambda: after_score_import(
                    district_id=district_id, window_ids=window_ids, measure_ids=measure_ids
                )
            )
    except RollBack:
        for row, reason in sorted(late):
            report.reject(file, row, reason, entity=ENTITY)
        return report
    for row, reason in sorted(late):
        report.reject(file, row, reason, entity=ENTITY)
    for outcome, n in counts.items():
        report.count(ENTITY, outcome, n)
    report.meta.setdefault("seconds", {})["saving"] = round(time.monotonic() - started, 2)
    report.committed = True
    return report


def score_import_run(job: ImportJob, progress: Progress) -> ImportReport:
    """The importer: read the job's file with its mapping, check every row, write."""
    name = job.original_name or Path(job.file_path).name
    user = job.created_by
    if job.options.get("as_user", True) and user is None:
        raise ImportRefused("The account that uploaded this file no longer exists.")
    started = time.monotonic()
    score_file = read_score_file(file_read(job.file_path))
    checked = check_rows(
        score_file=score_file,
        mapping=Mapping.from_json(job.options.get("mapping", {})),
        district=job.district,
        user=user if job.options.get("as_user", True) else None,
        progress=progress,
    )
    report = ImportReport(all_or_nothing=job.all_or_nothing)
    report.meta["seconds"] = {"checking": round(time.monotonic() - started, 2)}
    for note in checked.notes:
        report.warn(name, None, note)
    return scores_import_write(
        checked=checked,
        user=user if job.options.get("as_user", True) else None,
        all_or_nothing=job.all_or_nothing,
        district_id=job.district_id,
        report=report,
        file=name,
        progress=progress,
    )


register_importer(ImportJob.Kind.SCREENING_SCORES, score_import_run)


def stalled_after() -> dt.timedelta:
    """A running job older than the task's hard time limit (plus a margin) has died."""
    from students.tasks import import_job_run

    limit = import_job_run.time_limit or getattr(settings, "CELERY_TASK_TIME_LIMIT", 1800)
    return dt.timedelta(seconds=int(limit) + 120)


STALLED_MESSAGE = (
    "The import stopped without finishing (the background worker was interrupted). "
    "Nothing was changed. Start the import again."
)


def jobs_mark_stalled(jobs: Sequence[ImportJob]) -> int:
    """Mark as failed the running jobs whose worker died; their transaction rolled back.

    PostgreSQL undoes an open transaction when its connection drops, so a worker killed
    mid-import left nothing behind; only the job row still says "running". One UPDATE.
    """
    cutoff = timezone.now() - stalled_after()
    ids = [
        j.pk
        for j in jobs
        if j.status == ImportJob.Status.RUNNING and j.started_at and j.started_at < cutoff
    ]
    if not ids:
        return 0
    now = timezone.now()
    changed = ImportJob.objects.filter(
        pk__in=ids, status=ImportJob.Status.RUNNING, started_at__lt=cutoff
    ).update(status=ImportJob.Status.FAILED, error=STALLED_MESSAGE, finished_at=now)
    for j in jobs:
        if j.pk in ids:
            j.status, j.error, j.finished_at = ImportJob.Status.FAILED, STALLED_MESSAGE, now
    return changed
