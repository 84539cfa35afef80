"""The calendar and attendance importers, and the attendance summaries they recompute.

Worked example (tests/indicators/helpers.py): 20 school days in September. Maria misses 2
of them (one excused, one unexcused): 2 / 20 = exactly 10% -> chronically absent. Liam misses
1 and is late once: 1 / 20 = 5% (a tardy is present) -> not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.models import AttendanceRecord, AttendanceSummary, CalendarDay
from students.models_imports import ImportJob
from tests.indicators.helpers import (
    HOLIDAY,
    SCHOOL_DAYS,
    attendance_csv,
    calendar_csv,
    month_for,
    rejects,
    run_import,
)

pytestmark = pytest.mark.django_db

CAL = ImportJob.Kind.SCHOOL_CALENDAR
ATT = ImportJob.Kind.ATTENDANCE


@pytest.fixture
def calendar(world, tmp_path):
    job = run_import(tmp_path, CAL, calendar_csv("Maple Elementary"), district=world.district)
    assert job.status == ImportJob.Status.SUCCEEDED, job.report
    return job


def _september(world) -> bytes:
    world.student.local_id, world.classmate.local_id = "S1", "S2"
    world.student.save()
    world.classmate.save()
    maria = month_for("S1", {SCHOOL_DAYS[3]: "E", SCHOOL_DAYS[10]: "U"})
    liam = month_for("S2", {SCHOOL_DAYS[5]: "absent", SCHOOL_DAYS[6]: "T"})
    return attendance_csv(maria + liam)


def test_calendar_import_counts_and_kinds(calendar, world):
    assert calendar.report["totals"]["created"] == 21
    days = CalendarDay.objects.filter(school=world.school)
    assert days.filter(kind=CalendarDay.Kind.INSTRUCTIONAL).count() == 20
    holiday = days.get(date=HOLIDAY)
    assert (holiday.kind, holiday.note) == ("holiday", "Labor Day")


def test_exactly_ten_percent_is_chronic(calendar, world, tmp_path):
    job = run_import(tmp_path, ATT, _september(world), district=world.district)
    assert job.status == ImportJob.Status.SUCCEEDED, job.report
    assert job.report["totals"]["created"] == 40
    maria = AttendanceSummary.objects.get(student=world.student)
    assert (maria.days_enrolled, maria.days_absent, maria.days_excused) == (20, 2, 1)
    assert maria.absence_rate == pytest.approx(0.10)
    assert maria.chronic is True
    liam = AttendanceSummary.objects.get(student=world.classmate)
    assert (liam.days_enrolled, liam.days_absent, liam.days_tardy) == (20, 1, 1)
    assert liam.chronic is False
    assert maria.last_date == dt.date(2026, 9, 29)


def test_reimport_changes_nothing(calendar, world, tmp_path):
    data = _september(world)
    run_import(tmp_path, ATT, data, district=world.district)
    again = run_import(tmp_path, ATT, data, district=world.district, name="again.csv")
    assert again.report["totals"]["unchanged"] == 40
    assert again.report["totals"]["created"] == again.report["totals"]["updated"] == 0
    assert AttendanceRecord.objects.count() == 40


def test_bad_rows_are_listed_and_nothing_is_written(calendar, world, tmp_path):
    world.student.local_id = "S1"
    world.student.save()
    data = attendance_csv(
        [
            ("S1", SCHOOL_DAYS[0], "P"),
            ("S1", HOLIDAY, "P"),
            ("S1", dt.date(2026, 9, 30), "P"),
            ("NOPE", SCHOOL_DAYS[1], "P"),
            ("S1", SCHOOL_DAYS[2], "Z"),
            ("S1", SCHOOL_DAYS[0], "E"),
        ]
    )
    data = data.replace(b"2026-09-02,P", b"2026-13-02,P")  # row 5: not a date
    job = run_import(tmp_path, ATT, data, district=world.district)
    assert job.status == ImportJob.Status.FAILED
    assert AttendanceRecord.objects.count() == 0
    assert rejects(job) == [
        (3, "2026-09-07 is a holiday at Maple Elementary: no attendance is taken"),
        (
            4,
            "2026-09-30 is not on the school calendar of Maple Elementary (import the calendar first)",
        ),
        (5, "no student with ID 'NOPE' in this district"),
        (
            6,
            "status 'Z' is not one of P (present), T (tardy), E (excused absence), U (unexcused absence)",
        ),
        (7, "this student and date are listed twice in the file"),
    ]


def test_keep_valid_writes_the_good_rows(calendar, world, tmp_path):
    world.student.local_id = "S1"
    world.student.save()
    data = attendance_csv([("S1", SCHOOL_DAYS[0], "U"), ("S1", HOLIDAY, "P")])
    job = run_import(tmp_path, ATT, data, district=world.district, keep_valid=True)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.report["rejected_total"] == 1
    assert AttendanceRecord.objects.get().status == "U"
    summary = AttendanceSummary.objects.get(student=world.student)
    # One day enrolled: under the 10 days needed before chronic absence is judged.
    assert (summary.days_enrolled, summary.days_absent, summary.chronic) == (1, 1, False)


def test_a_day_made_a_holiday_later_stops_counting(calendar, world, tmp_path):
    run_import(tmp_path, ATT, _september(world), district=world.district)
    # Sep 4 (Maria's excused absence) becomes a snow day with no school.
    fix = b"school,date,day\nMaple Elementary,2026-09-04,no school\n"
    job = run_import(tmp_path, CAL, fix, district=world.district, name="fix.csv")
    assert job.report["totals"]["updated"] == 1
    maria = AttendanceSummary.objects.get(student=world.student)
    # 1 absence in 19 days: 5.3%, no longer chronic.
    assert (maria.days_enrolled, maria.days_absent, maria.chronic) == (19, 1, False)


def test_missing_column_refuses_the_file(world, tmp_path):
    job = run_import(tmp_path, ATT, b"student,when\nS1,2026-09-01\n", district=world.district)
    assert job.status == ImportJob.Status.FAILED
    assert "has no column 'date', 'status'" in job.report["refused"]


def test_calendar_rejects(world, tmp_path):
    data = (
        b"school,date,day\nMaple Elementary,2026-09-01,school day\nElm High,2026-09-01,school day\n"
        b"Maple Elementary,2030-09-01,school day\nMaple Elementary,2026-09-02,party\n"
        b"Maple Elementary,2026-09-01,holiday\n"
    )
    job = run_import(tmp_path, CAL, data, district=world.district)
    assert job.status == ImportJob.Status.FAILED
    assert [r for r, _ in rejects(job)] == [3, 4, 5, 6]
    assert CalendarDay.objects.count() == 0
