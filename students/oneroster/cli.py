"""What the import commands share: a progress bar per file on stderr (plain text, no
dependency), the report as readable lines, and running a job from the command line."""

from __future__ import annotations

import time
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
    if rejected:
        lines.append("")
        lines.append(
            f"Rows that could not be used ({report.get('rejected_total', len(rejected)):,}):"
        )
        for p in rejected[:show]:
            lines.append(f"  {p['file']} row {p['row']}: {p['reason']}")
        if len(rejected) > show:
            lines.append(
                f"  ... {report.get('rejected_total', 0) - show:,} more (--show N lists more)"
            )
    warnings = report.get("warnings", [])
    if warnings:
        lines.append("")
        lines.append(f"Warnings ({report.get('warnings_total', len(warnings)):,}):")
        for w in warnings[:show]:
            where = f"{w['file']} row {w['row']}" if w.get("row") else w["file"]
            lines.append(f"  {where}: {w['message']}")
    return lines


def resolve_district(value: str | None, path: str | None = None) -> District:
    """--district as an id, a sourcedId or an exact name; without it, the only district, or
    (on an empty platform) the district org of the set, created."""
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
    if path is not None:
        district = _district_from_set(path)
        if district is not None:
            return district
    raise CommandError(
        "There is no district yet and the set has no district org: create one first."
    )


def _district_from_set(path: str) -> District | None:
    from students.oneroster.reader import read_table
    from students.oneroster.source import open_file_set

    try:
        file_set = open_file_set(path)
        table = read_table("orgs.csv", file_set.get("orgs.csv"), allow_missing=True)
    except ImportRefused:
        return None
    if table is None:
        return None
    for _, row in table.rows():
        if isinstance(row, dict) and row.get("type", "").lower() == "district" and row.get("name"):
            return District.objects.create(name=row["name"][:200])
    return None


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
