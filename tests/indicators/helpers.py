"""Worked-example data for the indicator tests: September 2026 at Maple Elementary.

The calendar lists 21 dates: 20 school days (Sep 1-4, 8-11, 14-18, 21-25, 28-29) and Labor
Day (Sep 7) as a holiday. Sep 30 is not on it (outside the calendar).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from students.imports import job_run, no_progress
from students.models_imports import ImportJob

HOLIDAY = dt.date(2026, 9, 7)
SCHOOL_DAYS = [
    dt.date(2026, 9, d)
    for d in (1, 2, 3, 4, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 28, 29)
]


def calendar_csv(school_name: str) -> bytes:
    lines = ["school,date,day,note"]
    lines += [f"{school_name},{d.isoformat()},school day," for d in SCHOOL_DAYS]
    lines.append(f"{school_name},{HOLIDAY.isoformat()},holiday,Labor Day")
    return ("\n".join(lines) + "\n").encode()


def attendance_csv(rows: list[tuple[str, dt.date, str]]) -> bytes:
    lines = ["student_id,date,status"] + [f"{s},{d.isoformat()},{c}" for s, d, c in rows]
    return ("\n".join(lines) + "\n").encode()


def month_for(local_id: str, absent: dict[dt.date, str] | None = None) -> list:
    """A student present every school day except the given ones (date -> status code)."""
    absent = absent or {}
    return [(local_id, d, absent.get(d, "P")) for d in SCHOOL_DAYS]


def run_import(
    tmp_path: Path, kind: str, data: bytes, *, district, keep_valid: bool = False, name: str = ""
) -> ImportJob:
    path = tmp_path / (name or f"{kind}.csv")
    path.write_bytes(data)
    job = ImportJob.objects.create(
        district=district,
        kind=kind,
        source=ImportJob.Source.COMMAND,
        file_path=str(path),
        original_name=path.name,
        options={"all_or_nothing": not keep_valid},
    )
    return job_run(job_id=job.pk, progress=no_progress)


def rejects(job: ImportJob) -> list[tuple[int | None, str]]:
    return [(r["row"], r["reason"]) for r in job.report["rejected"]]
