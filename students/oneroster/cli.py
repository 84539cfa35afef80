"""What the import commands share: a progress bar per file on stderr (plain text, no
dependency), the report as readable lines, and running a job from the command line."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db.models import Q

from students.imports import ImportRefused, import_job_create, job_run
from students.models import District
from students.models_imports import ImportJob

BAR_WIDTH = 30


class TerminalProgress:
    """Redraws one line per file with a carriage return on a terminal; when stderr is not a
    terminal (a log file, cron), prints one line per file when it completes."""

    def __init__(self, stream: TextIO, *, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.current = ""
        self.started = time.monotonic()
        self.file_started = self.started
        self.finished: set[str] = set()

    def __call__(self, file: str, done: int, total: int) -> None:
        if not self.enabled or file in self.finished:
            return
        if file != self.current:
            if self.current and self.tty:
                self.stream.write("\n")
            self.current = file
            self.file_started = time.monotonic()
        complete = done >= total
        if self.tty or complete:
            share = 1.0 if total == 0 else min(done / total, 1.0)
            filled = int(share * BAR_WIDTH)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            seconds = time.monotonic() - self.file_started
            line = f"{file:<22} [{bar}] {done:>9,}/{total:,} rows {share:6.1%} {seconds:6.1f}s"
            self.stream.write(("\r" + line) if self.tty else line + "\n")
            self.stream.flush()
        if complete:
            self.finished.add(file)
            if self.tty:
                self.stream.write("\n")
                self.current = ""

    def finish(self) -> None:
        if self.enabled and self.tty and self.current:
            self.stream.write("\n")
        self.current = ""


def report_lines(report: dict[str, Any], *, show: int = 50) -> list[str]:
    lines: list[str] = []
    if report.get("refused"):
        return [f"Refused: {report['refused']}"]
    counts = report.get("counts", {})
    if counts:
        outcomes = ("created", "updated", "deactivated", "unchanged", "skipped", "rejected")
        width = max(len(k) for k in counts)
        lines.append(f"{'':<{width}}  " + "  ".join(f"{o:>11}" for o in outcomes))
        for entity, bucket in counts.items():
            lines.append(
                f"{entity:<{width}}  " + "  ".join(f"{bucket.get(o, 0):>11,}" for o in outcomes)
            )
    rejected = report.get("rejected", [])
    rejected_total = report.get("rejected_total", len(rejected))
    if rejected:
        lines.append("")
        lines.append(f"Rejected rows, NOT imported ({rejected_total:,}):")
        for p in rejected[:show]:
            lines.append(f"  {p['file']} row {p['row']}: {p['reason']}")
        if rejected_total > show:
            lines.append(f"  ... {rejected_total - show:,} more (--show N lists more)")
    warnings = report.get("warnings", [])
    warnings_total = report.get("warnings_total", len(warnings))
    if warnings:
        lines.append("")
        lines.append(
            f"Warnings, rows imported with a note ({warnings_total:,}; a warning never stops "
            "an import):"
        )
        for w in warnings[:show]:
            where = f"{w['file']} row {w['row']}" if w.get("row") else w["file"]
            lines.append(f"  {where}: {w['message']}")
        if warnings_total > show:
            lines.append(f"  ... {warnings_total - show:,} more (--show N lists more)")
    lines.append("")
    lines.append(
        f"{rejected_total:,} rejected row{'s' if rejected_total != 1 else ''} (not imported), "
        f"{warnings_total:,} warning{'s' if warnings_total != 1 else ''} (imported with a note)."
    )
    return lines


def resolve_district(value: str | None, path: str | None = None) -> District:
    """--district as an id, a sourcedId or an exact name; without it, the only district, or
    (on an empty platform) a new district named after the set's first district org, else
    after the file or folder (so a set whose schools name no district still imports)."""
    if value:
        query = Q(sourced_id=value) | Q(name=value)
        if value.isdigit():
            query |= Q(pk=int(value))
        found = list(District.objects.filter(query)[:2])
        if len(found) != 1:
            raise CommandError(
                f"--district {value!r} matches {len(found) or 'no'} district"
                f"{'s' if len(found) != 1 else ''}; give its id."
            )
        return found[0]
    districts = list(District.objects.all()[:2])
    if len(districts) == 1:
        return districts[0]
    if districts:
        raise CommandError("There are several districts: say which with --district.")
    if path is None:
        raise CommandError(
            "There is no district yet: import a OneRoster set first (it creates the district)."
        )
    return _district_from_set(path)


def _name_of_upload(path: str) -> str:
    """ "riverside_2026-09.zip" -> "riverside 2026-09" (rename it in the admin if needed)."""
    name = Path(path).name
    stem = name[: -len(".zip")] if name.lower().endswith(".zip") else name
    return " ".join(stem.replace("_", " ").split())[:200] or "Imported district"


def _district_from_set(path: str) -> District:
    """A new district named after the set's first district org, else after the upload. An
    unreadable set creates nothing: the import refuses it with its own message."""
    from students.oneroster.reader import read_table
    from students.oneroster.source import open_file_set

    try:
        file_set = open_file_set(path)
        table = read_table("orgs.csv", file_set.get("orgs.csv"), allow_missing=True)
    except ImportRefused as exc:
        raise CommandError(f"There is no district yet, and the set cannot be read: {exc}") from None
    for _, row in table.rows() if table is not None else ():
        if isinstance(row, dict) and row.get("type", "").lower() == "district" and row.get("name"):
            return District.objects.create(name=row["name"][:200])
    return District.objects.create(name=_name_of_upload(path))


def add_import_arguments(parser: ArgumentParser) -> None:
    """The options every import command shares, after its own `path` argument."""
    parser.add_argument(
        "--district",
        help="District id, sourcedId or exact name (optional when there is only one).",
    )
    parser.add_argument(
        "--keep-valid",
        action="store_true",
        help="Import the rows that are fine and list the others (default: import nothing when any row has a problem).",
    )
    parser.add_argument("--quiet", action="store_true", help="No progress bar.")
    parser.add_argument(
        "--show", type=int, default=50, help="How many problem rows to list (default 50)."
    )


def run_command_job(
    *, kind: str, path: str, district: District, keep_valid: bool, quiet: bool, stderr: TextIO
) -> ImportJob:
    if not Path(path).exists():
        raise CommandError(f"There is no file or folder at {path}.")
    job = import_job_create(
        district=district,
        kind=kind,
        file_path=str(Path(path).resolve()),
        all_or_nothing=not keep_valid,
        source=ImportJob.Source.COMMAND,
    )
    bar = TerminalProgress(stderr, enabled=not quiet)
    try:
        return job_run(job_id=job.pk, progress=bar)
    finally:
        bar.finish()
