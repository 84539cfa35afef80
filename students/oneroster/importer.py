"""Import a OneRoster 1.1 / 1.2 set into one district, in one transaction.

    report = import_oneroster(path="/tmp/set.zip", district=district)

Order: manifest, then every file is parsed and checked before the database is touched
(encoding, quoting, required columns); then orgs, academic sessions, courses, classes,
roles, demographics, users, enrollments, each written set-based. All-or-nothing (the
default): any rejected row rolls the whole transaction back and the report lists every
problem; with `all_or_nothing=False` the valid rows are kept and the others listed. Any
unexpected error rolls back too, so a crash leaves the database as it was.

The district row is locked for the duration, so two imports into one district queue up
instead of racing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from students.audit import audit_record
from students.imports import ImportRefused, ImportReport, Progress, RollBack, no_progress
from students.models import AccessLog, District, School, User
from students.oneroster.context import ImportContext
from students.oneroster.enrollments import import_enrollments
from students.oneroster.guard import active_snapshot, deactivation_preview
from students.oneroster.orgs import import_orgs
from students.oneroster.people import import_users, read_demographics, read_roles
from students.oneroster.reader import (
    FILES,
    IGNORED_FILES,
    REQUIRED_COLUMNS,
    REQUIRED_COLUMNS_11,
    Table,
    read_manifest,
    read_table,
)
from students.oneroster.sections import import_classes
from students.oneroster.sessions import import_sessions, read_courses, set_current_year
from students.oneroster.source import FileSet, open_file_set


def import_oneroster(
    *,
    path: str | Path,
    district: District,
    all_or_nothing: bool = True,
    progress: Progress = no_progress,
    actor: User | None = None,
    job_id: int | None = None,
    today: dt.date | None = None,
    deactivation_confirmed: bool = False,
) -> ImportReport:
    """Import the zip or folder at `path`. Never raises for bad input: the report says
    what was refused or rejected (`report.committed` tells whether anything was written).
    Unless `deactivation_confirmed`, an import that would deactivate more than the guard's
    share of the district is rolled back with a preview in `report.meta["guard"]`."""
    report = ImportReport(all_or_nothing=all_or_nothing)
    try:
        file_set = open_file_set(path)
        report.meta["fingerprint"] = file_set.fingerprint()
        import_file_set(
            file_set=file_set,
            district=district,
            report=report,
            progress=progress,
            actor=actor,
            job_id=job_id,
            today=today or timezone.localdate(),
            deactivation_confirmed=deactivation_confirmed,
        )
    except ImportRefused as exc:
        report.refused = exc.message
        report.committed = False
        if exc.file:
            report.reject(exc.file, exc.row, exc.message)
    return report


def check_files(file_set: FileSet, report: ImportReport) -> tuple[object, dict[str, Table]]:
    """Manifest and every data file parsed and checked; raises ImportRefused."""
    manifest = read_manifest(file_set)
    report.meta["version"] = manifest.version
    tables: dict[str, Table] = {}
    for name in FILES:
        mode = manifest.mode(name)
        data = file_set.get(name)
        if mode == "absent":
            if data is not None:
                report.warn(
                    name,
                    None,
                    f"{name} is in the set but manifest.csv says absent; it was not read",
                )
            continue
        required = REQUIRED_COLUMNS[name]
        if manifest.version == "1.1":
            required += REQUIRED_COLUMNS_11.get(name, ())
        if mode == "delta":
            required += ("status",)  # a delta row must say whether it is active or deleted
        table = read_table(file_set.display_name(name), data, required=required)
        assert table is not None
        table.name = name
        tables[name] = table
        report.files[name] = {"mode": mode, "rows": table.total}
    known = {f.lower() for f in (*FILES, *IGNORED_FILES, "manifest.csv")}
    for name in IGNORED_FILES:
        if file_set.get(name) is not None:
            report.files[name] = {
                "mode": manifest.mode(name),
                "rows": None,
                "note": "not used by MTSS",
            }
    for lower, original in file_set.names.items():
        if lower not in known:
            report.warn(original, None, f"{original} is not a OneRoster file; it was not read")
    return manifest, tables


def import_file_set(
    *,
    file_set: FileSet,
    district: District,
    report: ImportReport,
    progress: Progress,
    actor: User | None,
    job_id: int | None,
    today: dt.date,
    deactivation_confirmed: bool = False,
) -> None:
    manifest, tables = check_files(file_set, report)
    file_set.files.clear()  # the tables hold the decoded text; the bytes are not needed again
    for name, table in tables.items():
        progress(name, 0, table.total)
    try:
        with transaction.atomic():
            locked = District.objects.select_for_update().get(pk=district.pk)
            before = active_snapshot(locked)
            ctx = ImportContext(
                district=locked,
                manifest=manifest,
                tables=tables,
                report=report,
                progress=progress,
                today=today,
            )
            import_orgs(ctx)
            import_sessions(ctx)
            read_courses(ctx)
            import_classes(ctx)
            roles = read_roles(ctx)
            demographics = read_demographics(ctx, today=today)
            import_users(ctx, roles=roles, demographics=demographics)
            import_enrollments(ctx)
            set_school_spans(ctx)
            set_current_year(ctx, today)
            if report.has_rejects and report.all_or_nothing:
                raise RollBack
            preview = deactivation_preview(locked, before)
            if preview["over"]:
                report.meta["guard"] = preview | {"confirmed": deactivation_confirmed}
                if not deactivation_confirmed:
                    raise RollBack
            if report.has_rejects and not _roster_changes(report):
                raise RollBack  # imported nothing: not even the district's sourcedId stays
            audit_record(
                user=actor,
                action=AccessLog.Action.UPDATE,
                object_type="oneroster_import",
                object_id=job_id or "",
                detail={
                    "totals": {o: report.total(o) for o in ("created", "updated", "deactivated")},
                    "rejected": report.rejected_total,
                },
                purpose="roster import",
            )
            report.committed = True
    except RollBack:
        report.committed = False
    district.sourced_id = (
        District.objects.filter(pk=district.pk).values_list("sourced_id", flat=True).first() or ""
    )


def _roster_changes(report: ImportReport) -> int:
    return sum(
        bucket.get(o, 0)
        for entity, bucket in report.counts.items()
        if entity != "district"
        for o in ("created", "updated", "deactivated")
    )


def set_school_spans(ctx: ImportContext) -> None:
    """A new school gets the grade span of its students (and a level to match); an existing
    school's span only widens, so a delta with a few students never narrows it."""
    for school in School.objects.filter(pk__in=list(ctx.grades_by_school)):
        grades = ctx.grades_by_school[school.pk]
        if school.pk in ctx.created_school_ids:
            low, high = min(grades), max(grades)
            level = (
                School.Level.ELEMENTARY
                if high <= 5
                else School.Level.MIDDLE
                if high <= 8
                else School.Level.HIGH
            )
        else:
            low, high = min(school.lowest_grade, *grades), max(school.highest_grade, *grades)
            level = school.level
        if (low, high, level) != (school.lowest_grade, school.highest_grade, school.level):
            School.objects.filter(pk=school.pk).update(
                lowest_grade=low, highest_grade=high, level=level
            )
