"""The early-warning rules inside the decision sweep: flags with the stated rule, the
evidence and the rule set's version; idempotent; days outside the calendar and holidays
never count (worked example of tests/indicators/helpers.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from decisions.models import Flag, FlagKind
from decisions.sweep import sweep
from indicators.models import AttendanceRecord
from screening.models import Referral
from students.models_imports import ImportJob
from tests.indicators.helpers import (
    HOLIDAY,
    SCHOOL_DAYS,
    attendance_csv,
    calendar_csv,
    month_for,
    run_import,
)

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 9, 30)


@pytest.fixture
def september(world, tmp_path):
    run_import(
        tmp_path, ImportJob.Kind.SCHOOL_CALENDAR, calendar_csv("Maple Elementary"),
        district=world.district,
    )  # fmt: skip
    world.student.local_id, world.classmate.local_id = "S1", "S2"
    world.student.save()
    world.classmate.save()
    maria = month_for("S1", {SCHOOL_DAYS[3]: "E", SCHOOL_DAYS[10]: "U"})
    liam = month_for("S2", {SCHOOL_DAYS[5]: "U"})
    job = run_import(
        tmp_path, ImportJob.Kind.ATTENDANCE, attendance_csv(maria + liam), district=world.district
    )
    assert job.status == ImportJob.Status.SUCCEEDED
    return world


def _attendance_flags():
    return Flag.objects.filter(kind=FlagKind.CHRONIC_ABSENCE)


def test_exactly_ten_percent_flags_once(september):
    world = september
    run = sweep(district_id=world.district.pk, as_of=AS_OF)
    flag = _attendance_flags().get()
    assert (flag.student, flag.domain, flag.rule, flag.recommended_tier) == (
        world.student,
        "attendance",
        "chronic_absence",
        2,
    )
    assert flag.evidence["days_enrolled"] == 20 and flag.evidence["days_absent"] == 2
    assert flag.rule_set_id == run.rule_set_id
    again = sweep(district_id=world.district.pk, as_of=AS_OF + dt.timedelta(days=1))
    assert again.counts["chronic_absence"] == {
        "created": 0,
        "updated": 0,
        "resolved": 0,
        "unchanged": 1,
    }
    assert _attendance_flags().count() == 1


def test_days_outside_the_calendar_and_holidays_do_not_count(september):
    world = september
    # Absences written straight to the table (the importer refuses them): on Labor Day and
    # on Sep 30, which the calendar does not list. Liam stays at 1 of 20 days (5%).
    AttendanceRecord.objects.bulk_create(
        [
            AttendanceRecord(
                student=world.classmate, school=world.school, date=HOLIDAY, status="U"
            ),
            AttendanceRecord(
                student=world.classmate, school=world.school, date=dt.date(2026, 9, 30), status="U"
            ),
        ]
    )
    sweep(district_id=world.district.pk, as_of=AS_OF)
    assert list(_attendance_flags().values_list("student_id", flat=True)) == [world.student.pk]


def test_flag_resolves_when_the_absence_is_corrected(september, tmp_path):
    world = september
    sweep(district_id=world.district.pk, as_of=AS_OF)
    fix = attendance_csv([("S1", SCHOOL_DAYS[3], "P")])
    run_import(tmp_path, ImportJob.Kind.ATTENDANCE, fix, district=world.district, name="fix.csv")
    run = sweep(district_id=world.district.pk, as_of=AS_OF)
    assert run.counts["chronic_absence"]["resolved"] == 1
    assert _attendance_flags().get().status == "resolved"


def test_suspension_flag(world):
    Referral.objects.create(
        student=world.student,
        school=world.school,
        school_year=world.section.school_year,
        date=dt.date(2026, 10, 2),
        location="classroom",
        problem_behavior="fighting",
        action_taken="out_of_school_suspension",
    )
    sweep(district_id=world.district.pk, as_of=dt.date(2026, 10, 5))
    flag = Flag.objects.get(kind=FlagKind.SUSPENSION)
    assert (flag.domain, flag.recommended_tier, flag.evidence["dates"]) == (
        "behavior",
        2,
        ["2026-10-02"],
    )
