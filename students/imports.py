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

import datetime as dt
import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename

from students.audit import audit_record
from students.models import AccessLog, District, User
from students.models_imports import ImportJob

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
            return f"Nothing imported ({self.rejected_total} rows have problems): {head}"
        return head


class JobProgress:
    """Progress callback for a job: `{file: {"done", "total"}}` saved at most every 0.5 s.

    It writes through a second database connection in autocommit mode: the import itself runs
    in one long transaction, and a progress row written inside it would stay invisible to the
    progress page until the very end.
    """

    def __init__(self, job_id: int, *, interval: float = 0.5) -> None:
        self.job_id = job_id
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
                    f"UPDATE {ImportJob._meta.db_table} SET progress = %s WHERE id = %s",
                    [json.dumps(self.state), self.job_id],
                )
        except Exception:  # progress is a courtesy: never let it break the import
            logger.exception("could not save the progress of import job %s", self.job_id)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


Importer = Callable[[ImportJob, Progress], ImportReport]
_IMPORTERS: dict[str, Importer] = {}

# Modules that call register_importer when imported. Another app adds its own module path
# here (one line), so the Celery worker and the web process know the same importers.
IMPORTER_MODULES = ["students.oneroster.jobs", "screening.score_import.jobs"]


def register_importer(kind: str, fn: Importer) -> None:
    """Make `job_run` call `fn` for jobs of this kind (ImportJob.Kind value)."""
    _IMPORTERS[kind] = fn


def importer_for(kind: str) -> Importer:
    for module in IMPORTER_MODULES:
        import_module(module)  # registers on first import; later imports are free
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise ImportRefused(f"There is no importer for '{kind}' files.") from None


def job_run(*, job_id: int, progress: Progress | None = None) -> ImportJob:
    """Run a queued job to the end and save its status, progress and report.

    Safe to call twice (a redelivered Celery message): a job that is no longer queued is
    left alone.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job
    writer = JobProgress(job.pk) if progress is None else None
    callback: Progress = progress or writer  # type: ignore[assignment]
    try:
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
        job.save(update_fields=["status", "error", "finished_at"])
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
    job.save(update_fields=["progress", "report", "status", "error", "finished_at"])
    return job


def upload_store(*, name: str, chunks: Iterable[bytes]) -> Path:
    """Save an uploaded file under MEDIA_ROOT/imports/<random>/ and return its path.

    The worker reads it from there, so web and worker must share MEDIA_ROOT (one machine,
    or a shared volume in docker-compose). The random folder keeps two uploads of
    "roster.zip" apart and makes the path unguessable.
    """
    safe = get_valid_filename(Path(name).name) or "upload"
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


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


def enqueue(job: ImportJob) -> None:
    """Start the job on a Celery worker once the current transaction has committed."""
    job_id = job.pk
    transaction.on_commit(lambda: _send(job_id))


def _send(job_id: int) -> None:
    from students.tasks import import_job_run

    try:
        import_job_run.delay(job_id)
    except Exception:  # the upload is saved either way; the nightly sweep re-sends it
        logger.exception("could not queue import job %s; it waits for the nightly sweep", job_id)


def uploads_root() -> Path:
    return (Path(settings.MEDIA_ROOT) / "imports").resolve()


def old_uploads_delete(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete upload folders (MEDIA_ROOT/imports/<random>/) of jobs that finished more than
    `days` ago (settings.IMPORT_UPLOAD_RETENTION_DAYS), and orphans (no job names them) last
    modified as long ago. Returns the folders deleted.

    A roster upload holds every student's record: it is kept only while it may be needed
    (a job still queued or running, a recent import someone may want to re-run). The job row
    and its report stay. Files outside MEDIA_ROOT/imports/ (a command run on the district's
    own folder) are never touched.
    """
    root = uploads_root()
    if not root.is_dir():
        return 0
    now = now or timezone.now()
    cutoff = now - dt.timedelta(
        days=settings.IMPORT_UPLOAD_RETENTION_DAYS if days is None else days
    )
    keep: set[Path] = set()
    expired: set[Path] = set()
    for file_path, status, finished_at in ImportJob.objects.values_list(
        "file_path", "status", "finished_at"
    ).iterator():
        folder = _upload_folder(root, file_path)
        if folder is None:
            continue
        finished = status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED)
        if finished and finished_at is not None and finished_at < cutoff:
            expired.add(folder)
        else:
            keep.add(folder)
    deleted = 0
    for folder in root.iterdir():
        if not folder.is_dir() or folder in keep:
            continue
        orphan_and_old = folder not in expired and folder.stat().st_mtime < cutoff.timestamp()
        if folder in expired or orphan_and_old:
            shutil.rmtree(folder, ignore_errors=True)
            deleted += 1
    if deleted:
        logger.info("deleted %s import uploads older than %s", deleted, cutoff.date())
    return deleted


def _upload_folder(root: Path, file_path: str) -> Path | None:
    """The <random> folder under MEDIA_ROOT/imports/ holding a job's upload, else None."""
    try:
        path = Path(file_path).resolve()
    except (OSError, ValueError):
        return None
    if root not in path.parents:
        return None
    return root / path.relative_to(root).parts[0]


def stale_jobs_requeue(*, older_than: dt.timedelta = dt.timedelta(minutes=30)) -> int:
    """Re-send jobs still queued long after their upload (the broker was down then)."""
    cutoff = timezone.now() - older_than
    ids = list(
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=cutoff).values_list(
            "id", flat=True
        )
    )
    for job_id in ids:
        _send(job_id)
    return len(ids)


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
