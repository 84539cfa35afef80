"""Demo calendars, daily attendance and course marks, written set-based (COPY).

Patterns: most students miss a day or two a month; about one in eight is chronically absent
(10-25% of days), a few are rising (absences concentrated in the last four weeks); excused
and unexcused absences about half and half; tardies now and then. Middle-school students get
marks in six courses for each grading period that has ended; a few fail one or two.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from indicators.models import CalendarDay
from indicators.summary import summaries_recompute
from indicators.writes import analyze

COURSES = [
    ("ELA", "English Language Arts", "ELA", True),
    ("MATH", "Mathematics", "Math", True),
    ("SCI", "Science", "Science", True),
    ("SS", "Social Studies", "Social Studies", True),
    ("ART", "Art", "Art", False),
    ("PE", "Physical Education", "PE", False),
]


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def holidays(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """US-style school holidays of a school year (deterministic from the dates)."""
    y1, y2 = start.year, end.year
    out = {_nth_weekday(y1, 9, 0, 1): "Labor Day"}
    thanksgiving = _nth_weekday(y1, 11, 3, 4)
    out[thanksgiving] = "Thanksgiving"
    out[thanksgiving + dt.timedelta(days=1)] = "Thanksgiving break"
    day = dt.date(y1, 12, 21)
    while day <= dt.date(y2, 1, 1):
        out[day] = "Winter break"
        day += dt.timedelta(days=1)
    out[_nth_weekday(y2, 1, 0, 3)] = "Martin Luther King Jr. Day"
    out[_nth_weekday(y2, 2, 0, 3)] = "Presidents' Day"
    spring = _nth_weekday(y2, 3, 0, 4)
    for i in range(5):
        out[spring + dt.timedelta(days=i)] = "Spring break"
    return out


def _copy(table: str, columns: tuple[str, ...], frame: pd.DataFrame) -> None:
    buffer = io.StringIO()
    frame[list(columns)].to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write(buffer.getvalue())


def demo_as_of(year) -> dt.date:
    return min(max(timezone.localdate(), year.start_date + dt.timedelta(weeks=10)), year.end_date)


def seed_indicators(ctx: Any) -> None:
    year = ctx.year
    if not ctx.students:
        return
    off = holidays(year.start_date, year.end_date)
    days = [d.date() for d in pd.bdate_range(year.start_date, year.end_date)]
    calendar = [
        CalendarDay(
            school_id=s.pk,
            school_year=year,
            date=d,
            kind=CalendarDay.Kind.HOLIDAY if d in off else CalendarDay.Kind.INSTRUCTIONAL,
            note=off.get(d, ""),
        )
        for s in ctx.schools
        for d in days
    ]
    CalendarDay.objects.bulk_create(calendar, batch_size=5000)
    as_of = demo_as_of(year)
    school_days = np.array(
        [np.datetime64(d) for d in days if d not in off and d <= as_of], dtype="datetime64[D]"
    )
    students = ctx.students_frame()
    rng = ctx.numpy_rng("attendance")
    n = len(students)
    # Per-student absence rate: most low, one in eight chronic, a few rising.
    kind = rng.choice(3, size=n, p=[0.84, 0.12, 0.04])
    base = np.where(kind == 1, rng.uniform(0.10, 0.25, n), rng.uniform(0.0, 0.06, n))
    recent = np.where(kind == 2, rng.uniform(0.15, 0.30, n), base)
    last20 = np.zeros(len(school_days), dtype=bool)
    last20[-20:] = True
    rate = np.where(last20[None, :], recent[:, None], base[:, None])
    draws = rng.random((n, len(school_days)))
    absent = draws < rate
    tardy = ~absent & (draws > 0.97)
    excused = rng.random((n, len(school_days))) < 0.5
    status = np.where(absent, np.where(excused, "E", "U"), np.where(tardy, "T", "P"))
    frame = pd.DataFrame(
        {
            "student_id": np.repeat(students["id"].to_numpy(), len(school_days)),
            "school_id": np.repeat(students["school_id"].to_numpy(), len(school_days)),
            "date": np.tile(school_days.astype(str), n),
            "status": status.ravel(),
        }
    )
    _copy("indicators_attendancerecord", ("student_id", "school_id", "date", "status"), frame)
    analyze("indicators_calendarday")
    analyze("indicators_attendancerecord")
    summaries_recompute(district_id=ctx.district.pk)
    _seed_marks(ctx, students, as_of)


def _seed_marks(ctx: Any, students: pd.DataFrame, as_of: dt.date) -> None:
    year = ctx.year
    periods = [
        ("Q1", year.start_date + dt.timedelta(weeks=10)),
        ("Q2", year.start_date + dt.timedelta(weeks=20)),
        ("Q3", year.start_date + dt.timedelta(weeks=30)),
        ("Q4", year.end_date),
    ]
    ended = [(p, end) for p, end in periods if end <= as_of] or periods[:1]
    middle = students.loc[students["grade"] >= 6]
    if middle.empty:
        return
    rng = ctx.numpy_rng("marks")
    ability = rng.normal(82, 9, len(middle))
    rows = []
    for period, end in ended:
        for code, name, subject, core in COURSES:
            percent = np.clip(ability + rng.normal(0, 7, len(middle)), 35, 100).round(1)
            rows.append(
                pd.DataFrame(
                    {
                        "student_id": middle["id"].to_numpy(),
                        "school_id": middle["school_id"].to_numpy(),
                        "school_year_id": year.pk,
                        "course_code": (code + "-" + middle["grade"].astype(str)).to_numpy(),
                        "course_name": name,
                        "subject": subject,
                        "core": "t" if core else "f",
                        "grading_period": period,
                        "period_end": end.isoformat(),
                        "letter": "",
                        "percent": percent,
                        "passing": np.where(percent >= 60, "t", "f"),
                    }
                )
            )
    frame = pd.concat(rows, ignore_index=True)
    _copy(
        "indicators_coursemark",
        (
            "student_id",
            "school_id",
            "school_year_id",
            "course_code",
            "course_name",
            "subject",
            "core",
            "grading_period",
            "period_end",
            "letter",
            "percent",
            "passing",
        ),
        frame,
    )
