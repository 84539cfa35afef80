"""The district drop folder: the SIS leaves its nightly OneRoster set there, Celery beat
imports each new set once and e-mails the report to the district administrators.

Layout: settings.IMPORT_DROP_ROOT/<district's folder>/ holding any of
- `*.zip` OneRoster archives;
- sub-folders holding a manifest.csv;
- the CSV files themselves (manifest.csv directly in the district's folder).

"New" means a SHA-256 of the set's content (students.oneroster.source.FileSet.fingerprint)
that no earlier job of the district has: renaming or touching a file does not re-import it,
a changed export does. A file modified in the last STILL_WRITING_SECONDS is left for the next
sweep, since the SIS may still be writing it. The set is copied under MEDIA_ROOT/imports/
before the job starts, so the SIS can overwrite the drop folder during the import.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from students import slots
from students.imports import ImportRefused, enqueue, guard_message, import_job_create
from students.models import Membership, Role
from students.models_imports import DistrictImportSettings, ImportJob
from students.oneroster.source import open_file_set

logger = logging.getLogger(__name__)

STILL_WRITING_SECONDS = 120


def drop_root() -> Path:
    return Path(settings.IMPORT_DROP_ROOT).resolve()


def drop_folder_path(folder_name: str) -> Path | None:
    """The district's folder under the drop root; None for a name that would leave it."""
    name = folder_name.strip()
    if not name:
        return None
    root = drop_root()
    path = (root / name).resolve()
    if path == root or root not in path.parents:
        return None
    return path


def drop_folder_owner(folder_name: str, *, exclude=None) -> DistrictImportSettings | None:
    """The other district whose setting names the same folder under the root, if any."""
    path = drop_folder_path(folder_name)
    if path is None:
        return None
    others = DistrictImportSettings.objects.exclude(drop_folder="").select_related("district")
    if exclude is not None:
        others = others.exclude(district=exclude)
    return next((o for o in others if drop_folder_path(o.drop_folder) == path), None)


def candidates(folder: Path) -> list[Path]:
    """The file sets waiting in a district's folder, oldest first."""
    found: list[Path] = []
    if (folder / "manifest.csv").is_file():
        found.append(folder)
    for item in folder.iterdir():
        if (
            item.is_file()
            and item.suffix.lower() == ".zip"
            or item.is_dir()
            and (item / "manifest.csv").is_file()
        ):
            found.append(item)
    return sorted(found, key=lambda p: p.stat().st_mtime)


def single_file_candidates(folder: Path) -> list[tuple[Path, str]]:
    """Single CSV files another importer takes from the drop folder (its `drop_files` name
    patterns, e.g. attendance*.csv), with that importer's job kind; oldest first."""
    found: list[tuple[Path, str]] = []
    patterns = [(p.lower(), entry.key) for entry in slots.IMPORTERS for p in entry.drop_files]
    for item in folder.iterdir():
        if not item.is_file():
            continue
        kind = next((k for p, k in patterns if fnmatch.fnmatch(item.name.lower(), p)), None)
        if kind is not None:
            found.append((item, kind))
    return sorted(found, key=lambda pair: pair[0].stat().st_mtime)


def _newest_mtime(path: Path) -> float:
    if path.is_file():
        return path.stat().st_mtime
    return max((p.stat().st_mtime for p in path.iterdir() if p.is_file()), default=0.0)


def fingerprint(path: Path) -> str:
    try:
        return open_file_set(path).fingerprint()
    except ImportRefused:
        # A broken upload is imported (and reported) once, not every night.
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _snapshot(path: Path) -> Path:
    target = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    target.mkdir(parents=True)
    if path.is_file():
        return Path(shutil.copy2(path, target / path.name))
    only_csv = shutil.ignore_patterns("*[!cC][!sS][!vV]")
    return Path(shutil.copytree(path, target / (path.name or "set"), ignore=only_csv))


def drop_folder_sweep(*, now: float | None = None) -> list[ImportJob]:
    """Queue one job per new file set in every enabled district's folder."""
    now = now or time.time()
    jobs: list[ImportJob] = []
    for config in DistrictImportSettings.objects.filter(enabled=True).select_related("district"):
        folder = drop_folder_path(config.drop_folder)
        if folder is None or not folder.is_dir():
            logger.warning("drop folder of %s is missing: %s", config.district, config.drop_folder)
            continue
        if drop_folder_owner(config.drop_folder, exclude=config.district) is not None:
            # Two settings resolving to one folder (saved before the check, or a symlink):
            # importing would put one district's students into the other.
            logger.error("drop folder %s is named by several districts; skipped", folder)
            continue
        for path in candidates(folder):
            if now - _newest_mtime(path) < STILL_WRITING_SECONDS:
                continue
            digest = fingerprint(path)
            already = ImportJob.objects.filter(
                district=config.district, kind=ImportJob.Kind.ONEROSTER, fingerprint=digest
            ).exists()
            if already:
                continue
            job = import_job_create(
                district=config.district,
                kind=ImportJob.Kind.ONEROSTER,
                file_path=_snapshot(path),
                original_name=path.name,
                all_or_nothing=not config.keep_valid_rows,
                source=ImportJob.Source.DROP_FOLDER,
                fingerprint=digest,
            )
            enqueue(job)
            jobs.append(job)
        jobs += _queue_single_files(config, folder, now)
        DistrictImportSettings.objects.filter(pk=config.pk).update(last_checked_at=timezone.now())
    return jobs


def _queue_single_files(
    config: DistrictImportSettings, folder: Path, now: float
) -> list[ImportJob]:
    """A job per new attendance / calendar / marks file (each file imported once, by content)."""
    jobs = []
    for path, kind in single_file_candidates(folder):
        if now - _newest_mtime(path) < STILL_WRITING_SECONDS:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if ImportJob.objects.filter(
            district=config.district, kind=kind, fingerprint=digest
        ).exists():
            continue
        job = import_job_create(
            district=config.district,
            kind=kind,
            file_path=_snapshot(path),
            original_name=path.name,
            all_or_nothing=not config.keep_valid_rows,
            source=ImportJob.Source.DROP_FOLDER,
            fingerprint=digest,
        )
        enqueue(job)
        jobs.append(job)
    return jobs


def report_recipients(job: ImportJob) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                district=job.district, role=Role.DISTRICT_ADMIN, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def report_email_send(job: ImportJob) -> int:
    """E-mail the job's report to the district administrators; returns messages sent."""
    recipients = report_recipients(job)
    if not recipients:
        logger.warning("import job %s: no district administrator has an e-mail address", job.pk)
        return 0
    report = job.report or {}
    totals = report.get("totals", {})
    ok = job.status == ImportJob.Status.SUCCEEDED
    roster = job.kind == ImportJob.Kind.ONEROSTER
    what = "Roster import" if roster else f"{job.get_kind_display()} import"
    subject = (
        f"{what} {'done' if ok else 'NOT imported'}: {job.original_name} ({job.district.name})"
    )
    lines = [
        f"The {'OneRoster set' if roster else 'file'} '{job.original_name}' found in the drop "
        "folder " + ("was imported." if ok else "was NOT imported; nothing was changed."),
        "",
    ]
    guard = report.get("meta", {}).get("guard")
    if report.get("refused"):
        lines.append(f"Reason: {report['refused']}")
    elif guard and not guard.get("confirmed"):
        # The drop folder never confirms by itself: it reports and waits for a person.
        lines += [
            guard_message(guard),
            "It waits for a district administrator to confirm it (password and reason) "
            "on the report page below; the drop folder will not import this set again.",
        ]
    elif job.error and not report:
        lines.append(job.error)
    else:
        lines.append(
            "Created {created}, updated {updated}, deactivated {deactivated}, unchanged {unchanged}.".format(
                **{k: totals.get(k, 0) for k in ("created", "updated", "deactivated", "unchanged")}
            )
        )
        rejected = report.get("rejected", [])
        if report.get("rejected_total"):
            lines += ["", f"{report['rejected_total']} rows could not be used (not imported):"]
            for problem in rejected[:50]:
                lines.append(f"  {problem['file']} row {problem['row']}: {problem['reason']}")
            if report["rejected_total"] > 50:
                lines.append(f"  ... and {report['rejected_total'] - 50} more on the report page.")
        if report.get("warnings_total"):
            lines += [
                "",
                f"{report['warnings_total']} warnings: rows "
                + ("imported" if ok else "that will be imported")
                + " with a note to check (a warning never stops an import):",
            ]
            for note in report.get("warnings", [])[:20]:
                where = f"{note['file']} row {note['row']}" if note.get("row") else note["file"]
                lines.append(f"  {where}: {note['message']}")
            if report["warnings_total"] > 20:
                lines.append(f"  ... and {report['warnings_total'] - 20} more on the report page.")
    site = settings.SITE_URL.rstrip("/")
    lines += ["", f"Full report: {site}{reverse('import_report', args=[job.pk])}"]
    return send_mail(subject, "\n".join(lines), None, recipients)
