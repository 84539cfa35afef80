"""When a plan's next session falls, from its sessions per week. Pure: dates in, a date out.

Schools rarely record a weekly timetable for each plan, so the days follow a fixed pattern
per number of sessions a week, spread over the school week: 1 -> Wednesday, 2 -> Tuesday and
Thursday, 3 -> Monday, Wednesday, Friday, 4 -> Monday to Thursday, 5 -> every weekday,
6 -> Monday to Saturday, 7 -> every day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

WEEKDAYS: dict[int, tuple[int, ...]] = {
    1: (2,),
    2: (1, 3),
    3: (0, 2, 4),
    4: (0, 1, 2, 3),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def next_session_day(
    as_of: dt.date, sessions_per_week: int | None, logged: Collection[dt.date] = ()
) -> dt.date | None:
    """The first scheduled day on or after `as_of` with no session logged yet (None when the
    plan has no sessions per week)."""
    days = WEEKDAYS.get(sessions_per_week or 0)
    if not days:
        return None
    day = as_of
    for _ in range(15):  # two weeks always contain a scheduled day that is not logged
        if day.weekday() in days and day not in logged:
            return day
        day += dt.timedelta(days=1)
    return None


def week_start(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())
