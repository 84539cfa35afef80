"""python manage.py import_scores FILE [--measure CODE] [--window ID | --season fall [--year Y]]
[--mapping student=Student ID,score=WCPM] [--keep-valid] [--district ID|NAME] [--user NAME]

The same import as the upload page (same checks, one transaction, an ImportJob row with the
report), run here and now with a progress line on the terminal. Without --user the import
runs as the platform: every student of the district, closed windows allowed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.models.values import Season
from screening.models.windows import ScreeningWindow
from screening.score_import import jobs as score_import_jobs  # noqa: F401  (registers)
from screening.score_import.choices import (
    district_windows,
    import_districts,
    may_import_scores,
    measure_by_code,
    window_by_season,
    year_by_text,
)
from screening.score_import.mapping import (
    DateUse,
    IdKind,
    guess_mapping,
    mapping_problems,
    parse_mapping_option,
)
from screening.score_import.reading import read_score_file
from screening.score_import.storage import file_read
from students.imports import ImportRefused, job_run
from students.models import District, User
from students.models_imports import ImportJob

LISTED_REJECTS = 50


class TerminalProgress:
    """One line rewritten in place on a terminal; one line per phase end when piped."""

    def __init__(self, stream: Any, *, interval: float = 0.25) -> None:
        self.stream = stream
        self.interval = interval
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self._last = 0.0

    def __call__(self, file: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        line = f"{file}: {done:,} / {total:,}"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if finished else ""), ending="")
            self.stream.flush()
        elif finished:
            self.stream.write(line)


class Command(BaseCommand):
    help = (
        "Import screening scores from a CSV export (FastBridge, aimswebPlus, Acadience...). "
        "Columns are guessed from the header; --mapping overrides the guess."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--measure", help="Measure code for the whole file (e.g. orf).")
        parser.add_argument("--window", type=int, help="Screening window id for the whole file.")
        parser.add_argument(
            "--season", choices=Season.values, help="Season for the whole file (with --year)."
        )
        parser.add_argument(
            "--year", help="School year, e.g. 2026-2027 (default: the current year)."
        )
        parser.add_argument(
            "--mapping",
            default="",
            help="role=Column pairs, comma-separated: student, score, measure, window, year, "
            "date. Example: 'student=Student ID,score=WCPM'.",
        )
        parser.add_argument(
            "--id-kind",
            choices=[IdKind.LOCAL, IdKind.SOURCED],
            help="The student column holds local IDs (default) or OneRoster sourcedIds.",
        )
        parser.add_argument(
            "--check-dates",
            action="store_true",
            help="Refuse rows whose date column falls outside their window.",
        )
        parser.add_argument(
            "--keep-valid",
            action="store_true",
            help="Import the valid rows and list the others (default: nothing if any row is bad).",
        )
        parser.add_argument(
            "--district", help="District id or name (needed when there are several)."
        )
        parser.add_argument(
            "--user",
            help="Import as this user (their students only). Default: as the platform.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"]).resolve()
        user = self._user(opts["user"])
        district = self._district(opts["district"], user)
        try:
            score_file = read_score_file(file_read(path))
        except ImportRefused as exc:
            raise CommandError(f"{path.name}: {exc.message}") from None
        mapping = guess_mapping(score_file.header)
        try:
            mapping = parse_mapping_option(opts["mapping"], mapping)
        except ValueError as exc:
            raise CommandError(f"--mapping: {exc}") from None
        if opts["id_kind"]:
            mapping.id_kind = opts["id_kind"]
        if opts["check_dates"]:
            mapping.date_use = DateUse.CHECK
        mapped = {
            p.split("=", 1)[0].strip().lower() for p in opts["mapping"].split(",") if "=" in p
        }
        if opts["measure"]:
            if "measure" in mapped:
                raise CommandError("Give the measure either with --measure or in --mapping.")
            measure = measure_by_code(district, opts["measure"])
            if measure is None:
                raise CommandError(
                    f"{district.name} has no active screening measure with code "
                    f"{opts['measure']!r}."
                )
            mapping.measure_id, mapping.measure_column = measure.pk, ""
        year = None
        if opts["year"]:
            year = year_by_text(district, opts["year"])
            if year is None:
                raise CommandError(f"{district.name} has no school year {opts['year']!r}.")
            mapping.school_year_id = year.pk
        if opts["window"] or opts["season"]:
            if opts["window"] and opts["season"]:
                raise CommandError("Give either --window or --season, not both.")
            if {"window", "season"} & mapped:
                raise CommandError("Give the window either with --window/--season or in --mapping.")
            if opts["window"]:
                window = self._window(district, opts["window"])
            else:
                window = window_by_season(district, opts["season"], year)
                if window is None:
                    raise CommandError(
                        f"{district.name} has no single {opts['season']} screening window in "
                        f"{year.name if year else 'the current school year'} (none, or two "
                        "using that season's cut scores: give --window ID)."
                    )
            mapping.window_id, mapping.window_column, mapping.year_column = window.pk, "", ""
        problems = mapping_problems(mapping, score_file.header)
        if problems:
            raise CommandError(" ".join(problems))
        job = ImportJob.objects.create(
            district=district,
            kind=ImportJob.Kind.SCREENING_SCORES,
            source=ImportJob.Source.COMMAND,
            file_path=str(path),
            original_name=path.name,
            options={
                "mapping": mapping.to_json(),
                "all_or_nothing": not opts["keep_valid"],
                "as_user": user is not None,
            },
            created_by=user,
        )
        self.stdout.write(
            f"Import job #{job.pk}: {path.name} into {district.name}"
            + (f" as {user.username}" if user else " (as the platform)")
            + (", keeping the valid rows" if opts["keep_valid"] else ", all or nothing")
        )
        job = job_run(job_id=job.pk, progress=TerminalProgress(self.stdout))
        self._print_report(job)
        if job.status != ImportJob.Status.SUCCEEDED:
            raise CommandError(job.error or "Nothing was imported.")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}.")
        if not may_import_scores(user):
            raise CommandError(f"{username} may not import screening scores.")
        return user

    def _district(self, text: str | None, user: User | None) -> District:
        candidates = (
            import_districts(user) if user is not None else list(District.objects.order_by("name"))
        )
        if text:
            chosen = [d for d in candidates if str(d.pk) == text or d.name.lower() == text.lower()]
            if not chosen:
                raise CommandError(f"No district {text!r}" + (f" for {user}." if user else "."))
            return chosen[0]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise CommandError("There is no district to import into.")
        names = ", ".join(f"{d.pk} ({d.name})" for d in candidates)
        raise CommandError(f"Say which district with --district: {names}.")

    def _window(self, district: District, window_id: int) -> ScreeningWindow:
        window = district_windows(district).filter(pk=window_id).first()
        if window is None:
            raise CommandError(f"{district.name} has no screening window {window_id}.")
        return window

    def _print_report(self, job: ImportJob) -> None:
        report = job.report or {}
        for warning in report.get("warnings", []):
            self.stdout.write(f"Note: {warning['message']}")
        rejected = report.get("rejected", [])
        for item in rejected[:LISTED_REJECTS]:
            where = f"Row {item['row']}: " if item.get("row") else ""
            self.stderr.write(f"{where}{item['reason']}")
        more = report.get("rejected_total", 0) - min(len(rejected), LISTED_REJECTS)
        if more > 0:
            self.stderr.write(f"... and {more:,} more rows with problems (import job #{job.pk}).")
        totals = report.get("totals", {})
        if job.status == ImportJob.Status.SUCCEEDED:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported: {totals.get('created', 0):,} new, {totals.get('updated', 0):,} "
                    f"changed, {totals.get('unchanged', 0):,} unchanged; "
                    f"{totals.get('skipped', 0):,} rows without a score skipped; "
                    f"{report.get('rejected_total', 0):,} rows rejected."
                )
            )
        seconds = report.get("meta", {}).get("seconds", {})
        if seconds:
            self.stdout.write("Time: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()))
        sys.stdout.flush()
