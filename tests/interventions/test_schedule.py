"""Next session day from sessions per week (24 Nov 2026 is a Tuesday)."""

from __future__ import annotations

import datetime as dt

from interventions.schedule import next_session_day, week_start

TUESDAY = dt.date(2026, 11, 24)


def test_it_finds_the_next_scheduled_day():
    assert next_session_day(TUESDAY, 5) == TUESDAY
    assert next_session_day(TUESDAY, 3) == dt.date(2026, 11, 25)  # Mon/Wed/Fri -> Wednesday
    assert next_session_day(TUESDAY, 1) == dt.date(2026, 11, 25)  # Wednesday
    assert next_session_day(TUESDAY, 2) == TUESDAY  # Tue/Thu


def test_it_skips_days_already_logged_and_plans_without_a_schedule():
    assert next_session_day(TUESDAY, 2, {TUESDAY}) == dt.date(2026, 11, 26)
    assert next_session_day(dt.date(2026, 11, 28), 5) == dt.date(2026, 11, 30)  # Sat -> Mon
    assert next_session_day(TUESDAY, None) is None
    assert week_start(TUESDAY) == dt.date(2026, 11, 23)
