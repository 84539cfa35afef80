"""The student-group file: English learner, IEP, 504 plan and economically disadvantaged,
which OneRoster does not carry (domain.md section 6).

A CSV keyed by the student's OneRoster sourcedId:

    sourcedId,english_learner,iep,section_504,economically_disadvantaged
    stu-1,Y,N,N,Y

Any subset of the four flag columns may be present. Values: Y/N, yes/no, true/false, 1/0 (any
case); a blank cell leaves that flag as it is; anything else rejects the row. Same report,
same all-or-nothing rule and same row numbers as the roster import.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from students.audit import audit_record
from students.imports import ImportRefused, ImportReport, Progress, RollBack, no_progress
from students.models import AccessLog, District, Student, User
from students.oneroster.codes import CodeError, parse_bool
from students.oneroster.reader import read_table
from students.oneroster.upsert import update_rows

FLAGS = ("english_learner", "iep", "section_504", "economically_disadvantaged")
ENTITY = "students"
PROGRESS_EVERY = 1000


def import_student_groups(
    *,
    path: str | Path,
    district: District,
    all_or_nothing: bool = True,
    progress: Progress = no_progress,
    actor: User | None = None,
    job_id: int | None = None,
) -> ImportReport:
    report = ImportReport(all_or_nothing=all_or_nothing)
    try:
        _import(Path(path), district, report, progress, actor, job_id)
    except ImportRefused as exc:
        report.refused = exc.message
        report.committed = False
        if exc.file:
            report.reject(exc.file, exc.row, exc.message)
    return report


def _import(
    path: Path,
    district: District,
    report: ImportReport,
    progress: Progress,
    actor: User | None,
    job_id: int | None,
) -> None:
    if not path.is_file():
        raise ImportRefused(f"There is no file at {path}.")
    name = path.name
    table = read_table(name, path.read_bytes(), required=("sourcedId",))
    assert table is not None
    column = {h.lower(): h for h in table.header}
    flags = [f for f in FLAGS if f in column]
    if not flags:
        raise ImportRefused(
            f"{name} has none of the columns {', '.join(FLAGS)}; the header must name at least one.",
            file=name,
            row=1,
        )
    report.files[name] = {"mode": "groups", "rows": table.total}
    report.meta["columns"] = flags
    try:
        with transaction.atomic():
            existing = {
                row[0]: row[1:]
                for row in Student.objects.filter(district=district)
                .exclude(sourced_id="")
                .values_list("sourced_id", "id", *FLAGS)
            }
            updates = []
            seen: dict[str, int] = {}
            done = 0
            progress(name, 0, table.total)
            now = timezone.now()
            for number, row in table.rows():
                done += 1
                if done % PROGRESS_EVERY == 0:
                    progress(name, done, table.total)
                if isinstance(row, str):
                    report.reject(name, number, row, entity=ENTITY)
                    continue
                sid = row.get("sourcedId", "")
                if not sid:
                    report.reject(name, number, "sourcedId is blank", entity=ENTITY)
                    continue
                if sid in seen:
                    report.reject(
                        name,
                        number,
                        f"sourcedId '{sid}' appears twice (first on row {seen[sid]})",
                        entity=ENTITY,
                    )
                    continue
                seen[sid] = number
                old = existing.get(sid)
                if old is None:
                    report.reject(
                        name,
                        number,
                        f"there is no student with sourcedId '{sid}' in {district.name}",
                        entity=ENTITY,
                    )
                    continue
                try:
                    values = {f: parse_bool(row[column[f]], column=f) for f in flags}
                except CodeError as exc:
                    report.reject(name, number, str(exc), entity=ENTITY)
                    continue
                current = dict(zip(FLAGS, old[1:], strict=True))
                target = {f: current[f] if values.get(f) is None else values[f] for f in FLAGS}
                if target == current:
                    report.count(ENTITY, "unchanged")
                else:
                    updates.append((old[0], *(target[f] for f in FLAGS), now))
                    report.count(ENTITY, "updated")
            progress(name, table.total, table.total)
            if report.has_rejects and report.all_or_nothing:
                raise RollBack
            update_rows(Student, [*FLAGS, "updated_at"], updates)
            audit_record(
                user=actor,
                action=AccessLog.Action.UPDATE,
                object_type="student_groups_import",
                object_id=job_id or "",
                detail={"updated": len(updates), "rejected": report.rejected_total},
                purpose="student group import",
            )
            report.committed = True
    except RollBack:
        report.committed = False
