"""When a window is open for one school: the school's own dates where it keeps them, the
district's switch otherwise.

Decided (docs/settings.md): a school that screens on another schedule keeps its own first and
last day for a window; its teachers can enter that window's scores from that first day to that
last day, whatever the district's open/closed switch says (the switch is for the schools on
the district's dates). School and district administrators may still enter late, as before.
Completion pages read the same days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from screening.models.windows import SchoolWindowDates, ScreeningWindow


def open_for_school(
    *, district_open: bool, own_days: tuple[dt.date, dt.date] | None, today: dt.date
) -> bool:
    """Pure: the school's own days decide when it has them, else the district's switch."""
    if own_days is None:
        return district_open
    return own_days[0] <= today <= own_days[1]


@dataclass(frozen=True)
class Days:
    start_date: dt.date
    end_date: dt.date
    own: bool  # the school's own dates (False: the district's)


class SchoolDays:
    """The schools' own dates of some windows, read once (one query per window batch)."""

    def __init__(self, windows: Iterable[ScreeningWindow], today: dt.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self._windows = {w.pk: w for w in windows}
        self._own: dict[tuple[int, int], tuple[dt.date, dt.date]] = {
            (window_id, school_id): (start, end)
            for window_id, school_id, start, end in SchoolWindowDates.objects.filter(
                window_id__in=list(self._windows)
            ).values_list("window_id", "school_id", "start_date", "end_date")
        }

    def days(self, window: ScreeningWindow, school_id: int) -> Days:
        own = self._own.get((window.pk, school_id))
        if own is None:
            return Days(window.start_date, window.end_date, own=False)
        return Days(own[0], own[1], own=True)

    def is_open(self, window: ScreeningWindow, school_id: int) -> bool:
        return open_for_school(
            district_open=window.is_open,
            own_days=self._own.get((window.pk, school_id)),
            today=self.today,
        )


def window_open_for_school(
    window: ScreeningWindow, school_id: int, today: dt.date | None = None
) -> bool:
    return SchoolDays([window], today).is_open(window, school_id)


def open_for_any_condition(
    taught_school_ids: QuerySet | Iterable[int],
    school_ids: Iterable[int] = (),
    today: dt.date | None = None,
) -> Q:
    """Windows a teacher may pick: the district's switch is on, or one of their schools (those
    of the classes they teach, a subquery, and `school_ids`) is inside its own days. Broad on
    purpose: the entry page and the score service check the class's own school again
    (`SchoolDays.is_open`)."""
    today = today or timezone.localdate()
    days = {"window_id": OuterRef("pk"), "start_date__lte": today, "end_date__gte": today}
    inside = SchoolWindowDates.objects.filter(
        Q(school_id__in=taught_school_ids) | Q(school_id__in=list(school_ids)), **days
    )
    return Q(is_open=True) | Q(Exists(inside))
