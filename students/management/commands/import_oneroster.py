"""python manage.py import_oneroster PATH [--district ID|sourcedId|name] [--keep-valid]

Imports a OneRoster 1.1 / 1.2 CSV set (a .zip or a folder) exactly as the upload page does:
one ImportJob (visible on the report page), all-or-nothing unless --keep-valid, a progress
bar per file on stderr. Exit status 1 when nothing was imported.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from students.models import District
from students.models_imports import ImportJob
from students.oneroster.cli import (
    add_import_arguments,
    report_lines,
    resolve_district,
    run_command_job,
)


class Command(BaseCommand):
    help = "Import a OneRoster 1.1/1.2 CSV set (zip or folder) into a district."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path", help="A .zip file or a folder holding manifest.csv and the CSV files."
        )
        add_import_arguments(parser)

    def handle(self, *args, **options) -> None:
        first_district = not District.objects.exists()
        district = resolve_district(options["district"], options["path"])
        job = run_command_job(
            kind=ImportJob.Kind.ONEROSTER,
            path=options["path"],
            district=district,
            keep_valid=options["keep_valid"],
            quiet=options["quiet"],
            stderr=self.stderr,
        )
        for line in report_lines(job.report, show=options["show"]):
            self.stdout.write(line)
        if job.status != ImportJob.Status.SUCCEEDED:
            if first_district:
                # The district was made for this set; an import that imported nothing
                # leaves nothing behind (its job row goes with it).
                district.delete()
            raise CommandError(job.error or "Nothing was imported.")
        seconds = (job.finished_at - job.started_at).total_seconds()
        warned = job.report.get("warnings_total", 0)
        rejected = job.report.get("rejected_total", 0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {district.name} in {seconds:.1f} s (job #{job.pk}): "
                f"{warned:,} warning{'s' if warned != 1 else ''}, "
                f"{rejected:,} rejected row{'s' if rejected != 1 else ''}."
            )
        )
