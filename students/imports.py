"""Plumbing shared by every importer: the report, the refusal, progress, and running a job.

An importer is a plain function `(job: ImportJob, progress: Progress) -> ImportReport` that
does its own writing inside one transaction. This module gives it:

- `ImportReport`: counts per kind of record (created / updated / deactivated / unchanged /
  skipped / rejected), the rejected rows (file, row, reason: NOT imported; in all-or-nothing
  mode one of them stops the whole import) and the warnings (file, row, message: imported
  with a note; a warning never stops an import);
- `ImportRefused`: raise it when the whole upload is unusable (not a zip, missing manifest,
  a file that is not UTF-8 ...): nothing is written and the message is shown as is;
- `RollBack`: raise it inside your transaction to undo everything (all-or-nothing mode);
- `JobProgress`: the progress callback of a job, written through a connection of its own
  so the progress page sees it while the import's transaction is still open;
- `register_importer(kind, fn)` and `job_run(job_id=...)`, which the Celery task and the
  management commands call.

See docs/imports.md for how the screening-score import plugs in.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from students import slots
from students.audit import audit_record
from students.heartbeat import Heartbeat
from students.models import AccessLog, District, User
from students.models_imports import ImportJob
from students.outbox import event_record

logger = logging.getLogger(__name__)

# Enough to find every problem in a bad file without storing millions of lines in the job.
MAX_LISTED_PROBLEMS = 5000

OUTCOMES = ("created", "updated", "deactivated", "unchanged", "skipped", "rejected")


class ImportRefused(Exception):
    """The upload as a whole cannot be used; the message says why, in plain words."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row


class RollBack(Exception):
    """Raised inside the import transaction to undo it (rows were rejected)."""


class Progress(Protocol):
    def __call__(self, file: str, done: int, total: int) -> None: ...


def no_progress(file: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportReport:
    """What an import did, row by row where it matters. Serialised into ImportJob.report."""

    all_or_nothing: bool = True
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_total: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    warnings_total: int = 0
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    committed: bool = False
    refused: str = ""

    def count(self, entity: str, outcome: str, n: int = 1) -> None:
        if n:
            bucket = self.counts.setdefault(entity, dict.fromkeys(OUTCOMES, 0))
            bucket[outcome] += n

    def reject(self, file: str, row: int | None, reason: str, *, entity: str = "") -> None:
        self.rejected_total += 1
        if entity:
            self.count(entity, "rejected")
        if len(self.rejected) < MAX_LISTED_PROBLEMS:
            self.rejected.append({"file": file, "row": row, "reason": reason})

    def warn(self, file: str, row: int | None, message: str) -> None:
        self.warnings_total += 1
        if len(self.warnings) < MAX_LISTED_PROBLEMS:
            self.warnings.append({"file": file, "row": row, "message": message})

    def total(self, outcome: str) -> int:
        return sum(bucket.get(outcome, 0) for bucket in self.counts.values())

    @property
    def has_rejects(self) -> bool:
        return self.rejected_total > 0

    def changes(self) -> int:
        return self.total("created") + self.total("updated") + self.total("deactivated")

    def to_json(self) -> dict[str, Any]:
        return {
            "all_or_nothing": self.all_or_nothing,
            "committed": self.committed,
            "refused": self.refused,
            "counts": self.counts,
            "totals": {o: self.total(o) for o in OUTCOMES},
            "rejected": self.rejected,
            "rejected_total": self.rejected_total,
            "warnings": self.warnings,
            "warnings_total": self.warnings_total,
            "files": self.files,
            "meta": self.meta,
        }

    def summary(self) -> str:
        """One line for e-mails, the terminal and logs."""
        if self.refused:
            return f"Nothing imported: {self.refused}"
        t = {o: self.total(o) for o in OUTCOMES}
        head = (
            f"{t['created']} created, {t['updated']} updated, {t['deactivated']} deactivated, "
            f"{t['unchanged']} unchanged, {self.rejected_total} rejected"
        )
        if self.warnings_total:
            # Warnings never block an import: said apart from the rejected rows.
            head += f", {self.warnings_total} warning{'s' if self.warnings_total != 1 else ''}"
        if not self.committed:
            guard = self.meta.get("guard")
            if guard and not guard.get("confirmed"):
                return guard_message(guard)
            # Rolled back: the counts are what the import would have done, not what it did.
            return (
                f"Nothing imported, nothing changed ({self.rejected_total} rows have problems); "
                f"had it been imported: {head}"
            )
        return head


def guard_message(preview: dict) -> str:
    """What a roster import held back by the mass-deactivation guard (students.oneroster.guard)
    says instead of its counts."""
    parts = [
        f"{k['deactivated']:,} of {k['active']:,} active {k['kind']}"
        for k in preview["kinds"]
        if k["over"]
    ]
    return (
        f"Nothing was changed: this import would deactivate {' and '.join(parts)}, more than "
        f"the {preview['share']:.0%} allowed without a district administrator's confirmation."
    )


class JobProgress:
    """Progress callback for a job: `{file: {"done", "total"}}` saved at most every 0.5 s.

    It writes through a second database connection in autocommit mode: the import itself runs
    in one long transaction, and a progress row written inside it would stay invisible to the
    progress page until the very end.
    """

    def __init__(self, job_id: int, *, interval: float = 0.5, table: str | None = None) -> None:
        self.job_id = job_id
        # Another job model's table (a what-if preview's) with the same `progress` column.
        self.table = table or ImportJob._meta.db_table
        self.interval = interval
        self.state: dict[str, dict[str, int]] = {}
        self._last = 0.0
        self._conn: Any = None

    def __call__(self, file: str, done: int, total: int) -> None:
        self.state[file] = {"done": done, "total": total}
        now = time.monotonic()
        if now - self._last >= self.interval or done >= total:
            self._last = now
            self.flush()

    def flush(self) -> None:
        try:
            if self._conn is None:
                self._conn = connections.create_connection("default")
            with self._conn.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.table} SET progress = %s WHERE id = %s",  # noqa: S608
                    [json.dumps(self.state), self.job_id],
                )
        except Exception:  # progress is a courtesy: never let it break the import
            logger.exception("could not save the progress of import job %s", self.job_id)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


Importer = Callable[[ImportJob, Progress], ImportReport]


def register_importer(kind: str, fn: Importer) -> None:
    """Make `job_run` call `fn` for jobs of this kind (ImportJob.Kind value). Apps call it,
    or register a slots.Importer, from their AppConfig.ready(), so the Celery worker and the
    web process know the same importers."""
    slots.IMPORTERS.register(slots.Importer(key=kind, run=fn))


def importer_for(kind: str) -> Importer:
    entry = slots.IMPORTERS.get(kind)
    if entry is None:
        raise ImportRefused(f"There is no importer for '{kind}' files.")
    return entry.run


# Test hook, like decisions.sweep's: seconds to sleep inside the import's transaction, once its
# first file is written, so a fault test can kill the worker or its database session there.
# Never set it in production.
TEST_PAUSE_ENV = "MTSS_IMPORT_TEST_PAUSE"


def _with_test_pause(progress: Progress) -> Progress:
    seconds = float(os.environ.get(TEST_PAUSE_ENV) or 0)
    if seconds <= 0:
        return progress
    paused = []

    def pausing(file: str, done: int, total: int) -> None:
        progress(file, done, total)
        if not paused and total and done >= total and connection.in_atomic_block:
            paused.append(True)
            logger.warning(
                "%s=%s: sleeping inside the import (tests only)", TEST_PAUSE_ENV, seconds
            )
            time.sleep(seconds)

    return pausing


def job_run(*, job_id: int, progress: Progress | None = None) -> ImportJob:
    """Run a queued job to the end and save its status, progress and report.

    Safe to call twice (a redelivered Celery message): a job that is no longer queued is
    left alone. While it runs the job's heartbeat is stamped (students/heartbeat.py).
    """
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job
    writer = JobProgress(job.pk) if progress is None else None
    callback: Progress = _with_test_pause(progress or writer)  # type: ignore[arg-type]
    try:
        with Heartbeat(ImportJob._meta.db_table, job.pk):
            report = importer_for(job.kind)(job, callback)
    except ImportRefused as exc:
        report = ImportReport(all_or_nothing=job.all_or_nothing, refused=exc.message)
        if exc.file:
            report.reject(exc.file, exc.row, exc.message)
    except Exception as exc:
        logger.exception("import job %s crashed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.error = (
            f"The import stopped on an unexpected error ({type(exc).__name__}: {exc}). "
            "Nothing was changed."
        )
        job.finished_at = timezone.now()
        _save_outcome(job, ["status", "error", "finished_at"])
        return job
    finally:
        if writer is not None:
            writer.close()
    if writer is not None:
        job.progress = writer.state
    job.report = report.to_json()
    job.status = ImportJob.Status.SUCCEEDED if report.committed else ImportJob.Status.FAILED
    job.error = "" if report.committed else report.summary()
    job.finished_at = timezone.now()
    _save_outcome(job, ["progress", "report", "status", "error", "finished_at"])
    return job


def _save_outcome(job: ImportJob, fields: list[str]) -> None:
    """Save how the job ended. When the import lost its database connection, that
    connection is unusable: it is dropped and the outcome saved through a new one (if the
    database is down altogether, the periodic check fails the job once it is back)."""
    try:
        job.save(update_fields=fields)
    except Exception:
        logger.warning("saving import job %s failed; reconnecting", job.pk, exc_info=True)
        connection.close()
        job.save(update_fields=fields)


@transaction.atomic
def import_job_create(
    *,
    district: District,
    kind: str,
    file_path: str | Path,
    original_name: str = "",
    all_or_nothing: bool = True,
    created_by: User | None = None,
    source: str = ImportJob.Source.UPLOAD,
    fingerprint: str = "",
) -> ImportJob:
    """A queued job. The caller starts it: `enqueue` (Celery, after commit) or `job_run`."""
    job = ImportJob.objects.create(
        district=district,
        kind=kind,
        file_path=str(file_path),
        original_name=original_name or Path(file_path).name,
        options={"all_or_nothing": all_or_nothing},
        created_by=created_by if created_by is not None and created_by.is_authenticated else None,
        source=source,
        fingerprint=fingerprint,
    )
    audit_record(
        user=created_by,
        action=AccessLog.Action.CREATE,
        object_type="import_job",
        object_id=job.pk,
        detail={"kind": kind, "file": job.original_name, "source": source},
    )
    return job


JOB_QUEUED = "imports.job_queued"


def enqueue(job: ImportJob) -> None:
    """Start the job on a Celery worker once the current transaction has committed.

    Recorded as an outbox event (students/outbox.py) in the caller's transaction: with the
    broker down the request does not wait, the job stays "waiting to start", and the periodic
    dispatch sends it once the broker is back (students.tasks.job_queued_send)."""
    event_record(JOB_QUEUED, {"job_id": job.pk})


# -- reads (pages and API) --------------------------------------------------------------


def districts_administered_by(user: User) -> list[District]:
    """Districts whose imports the user may start and read: district administrators (and
    platform superusers). Nobody else uploads rosters."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return list(District.objects.order_by("name"))
    from students.access import districts_where
    from students.models import Role

    return districts_where(user, (Role.DISTRICT_ADMIN,))


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    districts = districts_administered_by(user)
    return ImportJob.objects.filter(district__in=districts).select_related("district", "created_by")


def progress_rows(job: ImportJob) -> list[dict[str, Any]]:
    """The job's progress as rows for templates/imports/_progress.html (one bar per file)."""
    rows = []
    for file, state in (job.progress or {}).items():
        done, total = int(state.get("done", 0)), int(state.get("total", 0))
        percent = (
            100
            if total == 0 and job.is_finished
            else (0 if total == 0 else round(100 * done / total))
        )
        rows.append({"file": file, "done": done, "total": total, "percent": min(percent, 100)})
    return rows
