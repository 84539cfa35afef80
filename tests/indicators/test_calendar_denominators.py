"""The behavior dashboard's referrals per school day take the school calendar's days.

Worked example: 12 referrals in August, 40 in September. The calendars list 10 school days
in August and 20 in September (Labor Day and a teacher workday off): 12 / 10 = 1.20,
40 / 20 = 2.00, 52 / 30 = 1.73. Without a calendar the weekdays count (11 and 22).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards.analysis import behavior_tables
from dashboards.selectors.behavior import calendar_school_days
from dashboards.selectors.conditions import Filters
from tests.indicators.helpers import calendar_csv, run_import

AGG = [
    {"dimension": "month", "month": dt.date(2026, 8, 1), "n": 12},
    {"dimension": "month", "month": dt.date(2026, 9, 1), "n": 40},
    {"dimension": "total", "month": None, "n": 52},
]


def _tables(calendar_days):
    return behavior_tables(
        AGG,
        [],
        year_start=dt.date(2026, 8, 17),
        year_end=dt.date(2027, 6, 4),
        as_of=dt.date(2026, 9, 30),
        location_labels={},
        behavior_labels={},
        calendar_days=calendar_days,
    )["months"]


def test_calendar_days_are_the_denominators():
    months = _tables({dt.date(2026, 8, 1): 10, dt.date(2026, 9, 1): 20})
    assert [(r["days"], r["per_day"]) for r in months.rows] == [
        ("10", "1.2"),
        ("20", "2"),
        ("30", "1.73"),
    ]
    assert "calendars" in months.note


def test_without_a_calendar_weekdays_count():
    months = _tables({})
    assert [r["days"] for r in months.rows] == ["11", "22", "33"]
    assert "no school calendar" in months.note


@pytest.mark.django_db
def test_calendar_school_days_counts_school_days_only(world, tmp_path):
    from students.models_imports import ImportJob

    run_import(
        tmp_path,
        ImportJob.Kind.SCHOOL_CALENDAR,
        calendar_csv("Maple Elementary"),
        district=world.district,
    )
    year = world.section.school_year
    f = Filters(
        district_id=world.district.pk,
        year=year,
        school_ids=(world.school.pk,),
        window=None,
        previous_window=None,
        as_of=dt.date(2026, 9, 28),
    )
    # 20 school days listed, the holiday not counted, Sep 29 after the as-of date.
    assert calendar_school_days(f) == {dt.date(2026, 9, 1): 19}
