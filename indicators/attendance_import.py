"""The school-calendar and daily-attendance importers (ImportJob kinds `school_calendar`
and `attendance`; indicators.apps fills students.slots.IMPORTERS).

Both follow the roster's import contract (docs/imports.md): every row is checked first,
vectorised, chunk by chunk; the valid rows stream into a temporary table by COPY; one upsert
writes them. All or nothing by default: one rejected row and nothing is written (the report
lists every rejected row with its reason). The per-student attendance summaries
(indicators/summary.py) are recomputed in the same transaction.

Calendar CSV: `school` (sourcedId or exact name), `date` (YYYY-MM-DD), `day`
(school day / holiday / no school), optional `note`.
Attendance CSV: `student_id` (the SIS student ID), `date`, `status` (P present, T tardy,
E excused absence, U unexcused absence; the words work too).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction

from indicators import lookups
from indicators.frames import Rejects, days_to_dates, duplicate_positions, parse_dates, read_chunks
from indicators.models import AttendanceStatus, CalendarDay
from indicators.summary import summaries_recompute
from indicators.writes import analyze, copy_frame, delete_rows, execute, scalar_rows, temp_table
from students.imports import ImportReport, Progress, RollBack
from students.models_imports import ImportJob

DAY_WORDS = {
    "school day": CalendarDay.Kind.INSTRUCTIONAL,
    "school_day": CalendarDay.Kind.INSTRUCTIONAL,
    "instructional": CalendarDay.Kind.INSTRUCTIONAL,
    "i": CalendarDay.Kind.INSTRUCTIONAL,
    "holiday": CalendarDay.Kind.HOLIDAY,
    "h": CalendarDay.Kind.HOLIDAY,
    "no school": CalendarDay.Kind.NO_SCHOOL,
    "no_school": CalendarDay.Kind.NO_SCHOOL,
    "non-instructional": CalendarDay.Kind.NO_SCHOOL,
    "n": CalendarDay.Kind.NO_SCHOOL,
}
STATUS_WORDS = {
    "p": AttendanceStatus.PRESENT,
    "present": AttendanceStatus.PRESENT,
    "t": AttendanceStatus.TARDY,
    "tardy": AttendanceStatus.TARDY,
    "e": AttendanceStatus.EXCUSED,
    "excused": AttendanceStatus.EXCUSED,
    "absent excused": AttendanceStatus.EXCUSED,
    "u": AttendanceStatus.UNEXCUSED,
    "a": AttendanceStatus.UNEXCUSED,
    "absent": AttendanceStatus.UNEXCUSED,
    "unexcused": AttendanceStatus.UNEXCUSED,
    "absent unexcused": AttendanceStatus.UNEXCUSED,
}


def _file(job: ImportJob) -> tuple[Path, str]:
    path = Path(job.file_path)
    return path, job.original_name or path.name


def _line_count(path: Path) -> int:
    """Data rows, for the progress bar (the header line not counted)."""
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def _finish(report: ImportReport, *, entity: str, counts: tuple, started: float) -> None:
    created, updated, unchanged = (int(n or 0) for n in counts)
    report.count(entity, "created", created)
    report.count(entity, "updated", updated)
    report.count(entity, "unchanged", unchanged)
    report.meta.setdefault("seconds", {})["total"] = round(time.monotonic() - started, 2)


# -- school calendars ---------------------------------------------------------------------------

_CALENDAR_UPSERT = """
INSERT INTO indicators_calendarday (school_id, school_year_id, date, kind, note)
SELECT school_id, school_year_id, date, kind, note FROM tmp_calendar
ON CONFLICT (school_id, date) DO UPDATE
SET kind = EXCLUDED.kind, note = EXCLUDED.note, school_year_id = EXCLUDED.school_year_id
WHERE (indicators_calendarday.kind, indicators_calendarday.note,
       indicators_calendarday.school_year_id)
      IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.note, EXCLUDED.school_year_id)
"""
_CALENDAR_COUNTS = """
SELECT count(*) FILTER (WHERE c.id IS NULL),
       count(*) FILTER (WHERE c.id IS NOT NULL AND (c.kind, c.note, c.school_year_id)
                              IS DISTINCT FROM (t.kind, t.note, t.school_year_id)),
       count(*) FILTER (WHERE c.id IS NOT NULL AND (c.kind, c.note, c.school_year_id)
                              IS NOT DISTINCT FROM (t.kind, t.note, t.school_year_id))
FROM tmp_calendar t
LEFT JOIN indicators_calendarday c ON c.school_id = t.school_id AND c.date = t.date
"""


def calendar_import_run(job: ImportJob, progress: Progress) -> ImportReport:
    path, name = _file(job)
    started = time.monotonic()
    report = ImportReport(all_or_nothing=job.all_or_nothing)
    district_id = job.district_id
    schools = lookups.schools_by_key(district_id)
    frames = []
    for chunk in read_chunks(
        path,
        file=name,
        required={"school": ("school_id", "school_name", "org"), "date": ("day_date",)},
        optional={"day": ("day_type", "type", "kind"), "note": ("notes", "description")},
    ):
        rejects = Rejects(len(chunk))
        school_ids = chunk["school"].str.strip().str.lower().map(schools)
        rejects.add(
            school_ids.isna().to_numpy(),
            lambda p, c=chunk: (
                f"no school '{c['school'].iat[p]}' in this district "
                "(use the school's name or its OneRoster sourcedId)"
            ),
        )
        days = parse_dates(chunk["date"])
        rejects.add(days < 0, lambda p, c=chunk: f"'{c['date'].iat[p]}' is not a date (YYYY-MM-DD)")
        kinds = chunk["day"].str.strip().str.lower().replace("", "school day").map(DAY_WORDS)
        rejects.add(
            kinds.isna().to_numpy(),
            lambda p, c=chunk: (
                f"day '{c['day'].iat[p]}' is not one of: school day, holiday, no school"
            ),
        )
        years = lookups.year_of_days(district_id, days)
        rejects.add(
            years == 0,
            lambda p, c=chunk: (
                f"{c['date'].iat[p]} is in no school year of the district "
                "(add the school year first)"
            ),
        )
        rejects.report(report, file=name, rows=chunk["row"].to_numpy(), entity="calendar days")
        good = rejects.good
        frames.append(
            pd.DataFrame(
                {
                    "row": chunk["row"].to_numpy()[good],
                    "school_id": school_ids.to_numpy()[good].astype("int64"),
                    "school_year_id": years[good],
                    "day": days[good],
                    "kind": kinds.to_numpy()[good].astype(str),
                    "note": chunk["note"].str.strip().str.slice(0, 200).to_numpy()[good],
                }
            )
        )
    valid = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(valid):
        keys = lookups.school_day_key(valid["school_id"].to_numpy(), valid["day"].to_numpy())
        for p in duplicate_positions(keys).tolist():
            report.reject(
                name,
                int(valid["row"].iat[p]),
                "this school and date are listed twice in the file",
                entity="calendar days",
            )
        valid = valid.drop(index=duplicate_positions(keys)).reset_index(drop=True)
        valid["date"] = pd.Series(days_to_dates(valid["day"].to_numpy())).astype(str)
    report.meta["rows"] = int(len(valid)) + report.rejected_total
    if report.has_rejects and job.all_or_nothing:
        return report
    progress(name, 0, len(valid))
    try:
        with transaction.atomic():
            temp_table(
                "tmp_calendar",
                "row integer, school_id bigint, school_year_id bigint, date date, "
                "kind varchar(20), note varchar(200)",
            )
            copy_frame(
                "tmp_calendar",
                valid,
                ("row", "school_id", "school_year_id", "date", "kind", "note"),
            )
            analyze("tmp_calendar")
            counts = scalar_rows(_CALENDAR_COUNTS)
            execute(_CALENDAR_UPSERT)
            analyze("indicators_calendarday")
            school_ids = sorted(set(valid["school_id"].tolist())) if len(valid) else []
            # A day that became a holiday stops counting for every student of the school.
            summaries_recompute(district_id=district_id, school_ids=school_ids)
            progress(name, len(valid), len(valid))
    except RollBack:  # pragma: no cover - nothing rolls back after the checks today
        return report
    _finish(report, entity="calendar days", counts=counts, started=started)
    report.committed = True
    return report


# -- daily attendance ---------------------------------------------------------------------------

_ATTENDANCE_COUNTS = """
SELECT count(*) FILTER (WHERE a.id IS NULL),
       count(*) FILTER (WHERE a.id IS NOT NULL AND a.status <> t.status),
       count(*) FILTER (WHERE a.id IS NOT NULL AND a.status = t.status)
FROM tmp_attendance t
LEFT JOIN indicators_attendancerecord a ON a.student_id = t.student_id AND a.date = t.date
"""
_ATTENDANCE_UPSERT = """
INSERT INTO indicators_attendancerecord (student_id, school_id, date, status)
SELECT student_id, school_id, date, status FROM tmp_attendance
ON CONFLICT (student_id, date) DO UPDATE
SET status = EXCLUDED.status, school_id = EXCLUDED.school_id
WHERE (indicators_attendancerecord.status, indicators_attendancerecord.school_id)
      IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.school_id)
"""

# Rows written after which the table's statistics are refreshed in the import itself.
BIG_WRITE = 50_000

_CLOSED = {
    lookups.HOLIDAY: "a holiday",
    lookups.NO_SCHOOL: "a day without school for students",
}


def _check_attendance(
    chunk: pd.DataFrame, *, students: pd.DataFrame, calendar, names: dict[int, str]
) -> tuple[Rejects, pd.DataFrame]:
    rejects = Rejects(len(chunk))
    local = chunk["student_id"].str.strip()
    where = students.index.get_indexer(local)
    rejects.add(
        where < 0,
        lambda p: f"no student with ID '{local.iat[p]}' in this district",
    )
    ids = np.where(where >= 0, students["id"].to_numpy()[where], 0)
    school_ids = np.where(where >= 0, students["school_id"].to_numpy()[where], 0)
    days = parse_dates(chunk["date"])
    rejects.add(days < 0, lambda p: f"'{chunk['date'].iat[p]}' is not a date (YYYY-MM-DD)")
    status = chunk["status"].str.strip().str.lower().map(STATUS_WORDS)
    rejects.add(
        status.isna().to_numpy(),
        lambda p: (
            f"status '{chunk['status'].iat[p]}' is not one of P (present), T (tardy), "
            "E (excused absence), U (unexcused absence)"
        ),
    )
    codes = lookups.day_codes(calendar, lookups.school_day_key(school_ids, days))
    rejects.add(
        codes == lookups.OUTSIDE,
        lambda p: (
            f"{chunk['date'].iat[p]} is not on the school calendar of "
            f"{names.get(int(school_ids[p]), 'the student’s school')} (import the calendar first)"
        ),
    )
    rejects.add(
        (codes == lookups.HOLIDAY) | (codes == lookups.NO_SCHOOL),
        lambda p: (
            f"{chunk['date'].iat[p]} is {_CLOSED[int(codes[p])]} at "
            f"{names.get(int(school_ids[p]), 'the student’s school')}: no attendance is taken"
        ),
    )
    good = rejects.good
    valid = pd.DataFrame(
        {
            "row": chunk["row"].to_numpy()[good],
            "student_id": ids[good],
            "school_id": school_ids[good],
            "day": days[good],
            "status": status.to_numpy()[good].astype(str),
        }
    )
    return rejects, valid


def attendance_import_run(job: ImportJob, progress: Progress) -> ImportReport:
    path, name = _file(job)
    started = time.monotonic()
    report = ImportReport(all_or_nothing=job.all_or_nothing)
    district_id = job.district_id
    students = lookups.students_by_local_id(district_id)
    calendar = lookups.calendar_codes(district_id)
    names = lookups.school_names(district_id)
    total = _line_count(path)
    done = 0
    keys: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    try:
        with transaction.atomic():
            temp_table(
                "tmp_attendance",
                "row integer, student_id bigint, school_id bigint, date date, status char(1)",
            )
            progress(name, 0, total)
            for chunk in read_chunks(
                path,
                file=name,
                required={
                    "student_id": ("student", "local_id", "sis_id"),
                    "date": ("attendance_date", "day"),
                    "status": ("code", "attendance", "attendance_code"),
                },
            ):
                rejects, valid = _check_attendance(
                    chunk, students=students, calendar=calendar, names=names
                )
                rejects.report(
                    report, file=name, rows=chunk["row"].to_numpy(), entity="attendance days"
                )
                keys.append(
                    lookups.school_day_key(valid["student_id"].to_numpy(), valid["day"].to_numpy())
                )
                rows.append(valid["row"].to_numpy())
                if not (report.has_rejects and job.all_or_nothing):
                    valid["date"] = days_to_dates(valid["day"].to_numpy()).astype(str)
                    copy_frame(
                        "tmp_attendance",
                        valid,
                        ("row", "student_id", "school_id", "date", "status"),
                    )
                done += len(chunk)
                progress(name, done, total)
            all_rows = np.concatenate(rows) if rows else np.zeros(0, dtype="int64")
            repeats = all_rows[duplicate_positions(np.concatenate(keys))] if keys else all_rows
            for row in repeats.tolist():
                report.reject(
                    name,
                    int(row),
                    "this student and date are listed twice in the file",
                    entity="attendance days",
                )
            report.meta["rows"] = done
            if report.has_rejects and job.all_or_nothing:
                raise RollBack
            delete_rows("tmp_attendance", repeats.tolist())
            seconds = report.meta.setdefault("seconds", {})
            seconds["checking"] = round(time.monotonic() - started, 2)
            analyze("tmp_attendance")
            counts = scalar_rows(_ATTENDANCE_COUNTS)
            if execute(_ATTENDANCE_UPSERT) > BIG_WRITE:
                analyze("indicators_attendancerecord")
            seconds["writing"] = round(time.monotonic() - started - seconds["checking"], 2)
            summaries_recompute(district_id=district_id, students_table="tmp_attendance")
    except RollBack:
        return report
    _finish(report, entity="attendance days", counts=counts, started=started)
    report.committed = True
    return report
