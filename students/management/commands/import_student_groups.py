"""python manage.py import_student_groups PATH [--district ID|sourcedId|name] [--keep-valid]

Imports the student-group CSV (sourcedId + english_learner, iep, section_504,
economically_disadvantaged) exactly as the upload page does:
one ImportJob (visible on the report page), all-or-nothing unless --keep-valid, a progress
bar per file on stderr. Exit status 1 when nothing was imported.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from students.models_imports import ImportJob
from students.oneroster.cli import (
    add_import_arguments,
    report_lines,
    resolve_district,
    run_command_job,
)


class Command(BaseCommand):
    help = "Import the student-group CSV (EL, IEP, 504, economically disadvantaged) keyed by sourcedId."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The CSV file.")
        add_import_arguments(parser)

    def handle(self, *args, **options) -> None:
        district = resolve_district(options["district"])
        job = run_command_job(
            kind=ImportJob.Kind.STUDENT_GROUPS,
            path=options["path"],
            district=district,
            keep_valid=options["keep_valid"],
            quiet=options["quiet"],
            stderr=self.stderr,
        )
        for line in report_lines(job.report, show=options["show"]):
            self.stdout.write(line)
        if job.status != ImportJob.Status.SUCCEEDED:
            raise CommandError(job.error or "Nothing was imported.")
        seconds = (job.finished_at - job.started_at).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(f"Imported into {district.name} in {seconds:.1f} s (job #{job.pk}).")
        )
