"""Writes of attendance and course marks through the API: the rows a client sends are checked
by the same functions as the CSV importers (student IDs as the SIS writes them) and written
set-based, all or nothing, with the record of access in the same transaction."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from indicators import lookups
from indicators.attendance_import import (
    _ATTENDANCE_COUNTS,
    _ATTENDANCE_UPSERT,
    _check_attendance,
)
from indicators.frames import days_to_dates, duplicate_positions
from indicators.marks_import import _COLUMNS, _COUNTS, _UPSERT, _check, _sections, passing_rule
from indicators.summary import summaries_recompute
from indicators.writes import copy_frame, execute, scalar_rows, temp_table
from students import access
from students.audit import AuditContext, audit_record_many
from students.imports import ImportReport
from students.models import AccessLog, User
from students.selectors import students_visible_to

MAX_ROWS = 10_000


def _writable_students(user: User, district_id: int) -> pd.DataFrame:
    """The district's students the user may record for: visible to them, at a school whose
    team they are on (or in their district as its administrator)."""
    ids = set(
        students_visible_to(user)
        .filter(district_id=district_id, school_id__in=access.team_school_ids(user))
        .values_list("id", flat=True)
    )
    frame = lookups.students_by_local_id(district_id)
    return frame.loc[frame["id"].isin(ids)]


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            {
                "rows": [
                    gettext("Send at most %(ROWS)s rows at once.") % {"ROWS": format(MAX_ROWS, ",")}
                ]
            }
        )
    frame = pd.DataFrame(
        {
            c: pd.Series(["" if r.get(c) is None else str(r.get(c)) for r in rows], dtype=object)
            for c in columns
        }
    )
    frame["row"] = range(1, len(rows) + 1)
    return frame


def _raise_rejects(report: ImportReport) -> None:
    if report.has_rejects:
        errors: dict[str, list[str]] = {}
        for r in report.rejected:
            errors.setdefault(str(r["row"]), []).append(r["reason"])
        raise ValidationError(errors)


def _counts(row: tuple) -> dict[str, int]:
    created, updated, unchanged = (int(n or 0) for n in row)
    return {"created": created, "updated": updated, "unchanged": unchanged}


@transaction.atomic
def attendance_rows_record(
    *, user: User, district_id: int, rows: list[dict[str, Any]], audit: AuditContext
) -> dict[str, int]:
    """`rows`: {"student_id", "date", "status"}. Rows are numbered from 1 in the errors."""
    if not rows:
        return _counts((0, 0, 0))
    chunk = _frame(rows, ("student_id", "date", "status"))
    students = _writable_students(user, district_id)
    rejects, valid = _check_attendance(
        chunk,
        students=students,
        calendar=lookups.calendar_codes(district_id),
        names=lookups.school_names(district_id),
    )
    report = ImportReport()
    rejects.report(report, file="rows", rows=chunk["row"].to_numpy(), entity="attendance")
    keys = lookups.school_day_key(valid["student_id"].to_numpy(), valid["day"].to_numpy())
    for p in duplicate_positions(keys).tolist():
        report.reject("rows", int(valid["row"].iat[p]), "this student and date are sent twice")
    _raise_rejects(report)
    valid["date"] = days_to_dates(valid["day"].to_numpy()).astype(str)
    temp_table(
        "tmp_attendance",
        "row integer, student_id bigint, school_id bigint, date date, status char(1)",
    )
    copy_frame("tmp_attendance", valid, ("row", "student_id", "school_id", "date", "status"))
    counts = _counts(scalar_rows(_ATTENDANCE_COUNTS))
    execute(_ATTENDANCE_UPSERT)
    summaries_recompute(district_id=district_id, students_table="tmp_attendance")
    audit_record_many(
        user=user,
        action=AccessLog.Action.UPDATE,
        object_type="attendance",
        student_ids=sorted(set(valid["student_id"].tolist())),
        audit=audit,
        detail={"via": audit.via, "rows": len(valid)},
    )
    return counts


@transaction.atomic
def mark_rows_record(
    *, user: User, district_id: int, rows: list[dict[str, Any]], audit: AuditContext
) -> dict[str, int]:
    """`rows`: {"student_id", "course_code", "grading_period", "period_end", "mark"} and
    optionally "course_name", "subject", "core", "section"."""
    if not rows:
        return _counts((0, 0, 0))
    chunk = _frame(
        rows,
        (
            "student_id",
            "course_code",
            "grading_period",
            "period_end",
            "mark",
            "course_name",
            "subject",
            "core",
            "section",
        ),
    )
    rejects, valid = _check(
        chunk,
        district_id=district_id,
        students=_writable_students(user, district_id),
        sections=_sections(district_id),
        rule=passing_rule(district_id),
    )
    report = ImportReport()
    rejects.report(report, file="rows", rows=chunk["row"].to_numpy(), entity="marks")
    _raise_rejects(report)
    temp_table(
        "tmp_marks",
        "row integer, student_id bigint, school_id bigint, school_year_id bigint, "
        "section_id bigint, course_code varchar(64), course_name varchar(200), "
        "subject varchar(100), core boolean, grading_period varchar(64), period_end date, "
        "letter varchar(4), percent numeric(5,2), passing boolean",
    )
    copy_frame("tmp_marks", valid, ("row", *_COLUMNS))
    counts = _counts(scalar_rows(_COUNTS))
    execute(_UPSERT)
    audit_record_many(
        user=user,
        action=AccessLog.Action.UPDATE,
        object_type="course_mark",
        student_ids=sorted(set(valid["student_id"].tolist())),
        audit=audit,
        detail={"via": audit.via, "rows": len(valid)},
    )
    return counts
