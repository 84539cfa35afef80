"""Exports (CSV and Excel), limited to the students the user may see, each one logged.

The registry: an app adds an export in its own `exports.py` (found by Django's
`autodiscover_modules("exports")`, as admin.py is):

    from students.exports import Column, ExportSpec, register_export

    register_export(ExportSpec(
        key="screening_scores",
        label="Screening scores",
        description="Every score of the students you can see, one row per score.",
        rows=lambda user, options: ScreeningScore.objects.filter(
            student__in=students_visible_to(user)).select_related("student", "measure", "window"),
        columns=[Column("Student ID", lambda s: s.student.local_id), Column("Score", lambda s: s.value)],
        student_id=lambda s: s.student_id,
    ))

`rows` MUST derive from students_visible_to(user): that is the whole privacy contract.

The record of disclosure: an export writes one AccessLog row per student exported (action
"export", so it shows on that student's record of access) plus one summary row (object_type
"export", no student) holding who, when, what, how many rows and the purpose the user typed.
Both carry the same export id in `detail`. We reuse AccessLog rather than a second log so
one page answers "who saw this student's record" (34 CFR 99.32).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from mtss.lib.spreadsheet import csv_bytes, safe_cell, xlsx_bytes
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import AccessLog, User
from students.selectors import students_visible_to

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@dataclass(frozen=True)
class Column:
    # Column headers stay English in every language, on purpose: an export is data exchange
    # (spreadsheets, scripts and the score importer find columns by these names), like the
    # minutes' CSV. The export's label and the page around it are translated.
    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExportSpec:
    key: str
    label: str
    description: str
    rows: Callable[[User, dict[str, Any]], Iterable[Any]]
    columns: list[Column]
    student_id: Callable[[Any], int]
    order: int = 100


_REGISTRY: dict[str, ExportSpec] = {}
_discovered = False


def register_export(spec: ExportSpec) -> None:
    _REGISTRY[spec.key] = spec


def exports_available() -> list[ExportSpec]:
    global _discovered
    if not _discovered:
        autodiscover_modules("exports")
        _discovered = True
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.label))


def export_get(key: str) -> ExportSpec | None:
    return next((s for s in exports_available() if s.key == key), None)


# -- file builders (pure): the one formula-safe writer in mtss/lib/spreadsheet.py ----------

cell = safe_cell


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    return csv_bytes([header, *rows])


def to_xlsx(header: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    return xlsx_bytes(header, rows, title=title)


@dataclass
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    rows: int
    export_id: str
    students: list[int] = field(default_factory=list)


@transaction.atomic
def export_create(
    *,
    user: User,
    key: str,
    fmt: str,
    purpose: str,
    options: dict[str, Any] | None = None,
    audit: AuditContext | None = None,
) -> ExportFile:
    """Build the file and write the record of disclosure in the same transaction."""
    spec = export_get(key)
    if spec is None:
        raise ValueError(f"unknown export {key!r}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if not purpose.strip():
        raise ValueError("an export needs a purpose")
    options = options or {}
    header = [c.header for c in spec.columns]
    data: list[list[Any]] = []
    student_ids: list[int] = []
    for item in spec.rows(user, options):
        data.append([c.value(item) for c in spec.columns])
        student_ids.append(spec.student_id(item))
    content_type, extension = FORMATS[fmt]
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    filename = f"{spec.key}-{stamp}.{extension}"
    content = to_csv(header, data) if fmt == "csv" else to_xlsx(header, data, title=str(spec.label))
    export_id = uuid.uuid4().hex
    detail = {
        "export": spec.key,
        "label": str(spec.label),  # a lazy translation cannot go into the JSON detail
        "format": fmt,
        "rows": len(data),
        "export_id": export_id,
        "options": options,
    }
    audit_record(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type="export",
        object_id=spec.key,
        audit=audit,
        detail=detail,
        purpose=purpose,
    )
    unique_students = list(dict.fromkeys(student_ids))
    audit_record_many(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type="student",
        student_ids=unique_students,
        audit=audit,
        detail={"export": spec.key, "export_id": export_id},
        purpose=purpose,
    )
    return ExportFile(filename, content_type, content, len(data), export_id, unique_students)


def export_log_for(user: User) -> Any:
    """Summary rows of exports: the user's own; a district administrator's district's."""
    from students.imports import districts_administered_by

    logs = AccessLog.objects.filter(
        object_type="export", action=AccessLog.Action.EXPORT
    ).select_related("user")
    districts = districts_administered_by(user)
    if user.is_superuser:
        return logs
    if districts:
        return logs.filter(user__memberships__district__in=districts).distinct()
    return logs.filter(user=user)


# -- the roster's own export ------------------------------------------------------------


def _students(user: User, options: dict[str, Any]) -> Any:
    qs = (
        students_visible_to(user)
        .select_related("school")
        .order_by("school__name", "last_name", "first_name", "id")
    )
    if not options.get("include_inactive"):
        qs = qs.filter(active=True)
    return qs


def _date(value: dt.date | None) -> Any:
    return value.isoformat() if value else ""


register_export(
    ExportSpec(
        key="students",
        label=_("Student list"),
        description="One row per student you can see: ID, name, school, grade, birth date and the "
        "student groups (sex, race/ethnicity, English learner, IEP, 504, economically disadvantaged).",
        rows=_students,
        columns=[
            Column("Student ID", lambda s: s.local_id),
            Column("Last name", lambda s: s.last_name),
            Column("First name", lambda s: s.first_name),
            Column("Preferred name", lambda s: s.preferred_name),
            Column("School", lambda s: s.school.name),
            Column("Grade", lambda s: s.grade_label),
            Column("Birth date", lambda s: _date(s.birth_date)),
            Column("Sex", lambda s: s.get_sex_display()),
            Column("Race/ethnicity", lambda s: s.get_race_ethnicity_display()),
            Column("English learner", lambda s: s.english_learner),
            Column("IEP", lambda s: s.iep),
            Column("504 plan", lambda s: s.section_504),
            Column("Economically disadvantaged", lambda s: s.economically_disadvantaged),
            Column("Active", lambda s: s.active),
            Column("OneRoster sourcedId", lambda s: s.sourced_id),
        ],
        student_id=lambda s: s.pk,
        order=0,
    )
)
