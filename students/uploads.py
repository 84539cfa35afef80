"""Uploaded import files: where an upload is stored (MEDIA_ROOT/imports/<random>/) and when
it is deleted again (settings.IMPORT_UPLOAD_RETENTION_DAYS)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.text import get_valid_filename

from students.models_imports import ImportJob

logger = logging.getLogger(__name__)


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
