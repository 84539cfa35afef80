"""The district's students, schools, school years and calendars as vectorised lookups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.frames import EPOCH
from indicators.models import CalendarDay
from students.models import School, SchoolYear, Student

# Calendar day codes in the int8 arrays the checks compare.
OUTSIDE, INSTRUCTIONAL, HOLIDAY, NO_SCHOOL = 0, 1, 2, 3
KIND_CODES = {
    CalendarDay.Kind.INSTRUCTIONAL.value: INSTRUCTIONAL,
    CalendarDay.Kind.HOLIDAY.value: HOLIDAY,
    CalendarDay.Kind.NO_SCHOOL.value: NO_SCHOOL,
}
# Days since 1970 fit in 20 bits for centuries: one int64 per (school, day).
DAY_BITS = 20


def school_day_key(school_ids: np.ndarray, days: np.ndarray) -> np.ndarray:
    return (school_ids.astype("int64") << DAY_BITS) + days.astype("int64")


def students_by_local_id(district_id: int) -> pd.DataFrame:
    """Index: the student ID as the SIS writes it; columns id, school_id."""
    rows = Student.objects.filter(district_id=district_id).values_list(
        "local_id", "id", "school_id"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["local_id", "id", "school_id"])
    return frame.drop_duplicates("local_id").set_index("local_id")


def schools_by_key(district_id: int) -> dict[str, int]:
    """A school by its OneRoster sourcedId or its exact name (lower-case)."""
    found: dict[str, int] = {}
    for pk, name, sourced in School.objects.filter(district_id=district_id).values_list(
        "id", "name", "sourced_id"
    ):
        found.setdefault(name.strip().lower(), pk)
        if sourced:
            found[sourced.strip().lower()] = pk
    return found


def school_names(district_id: int) -> dict[int, str]:
    return dict(School.objects.filter(district_id=district_id).values_list("id", "name"))


def year_of_days(district_id: int, days: np.ndarray) -> np.ndarray:
    """The school year containing each day (0: none)."""
    out = np.zeros(len(days), dtype="int64")
    for pk, start, end in SchoolYear.objects.filter(district_id=district_id).values_list(
        "id", "start_date", "end_date"
    ):
        first = (np.datetime64(start, "D") - EPOCH).astype("int64")
        last = (np.datetime64(end, "D") - EPOCH).astype("int64")
        out[(days >= first) & (days <= last) & (out == 0)] = pk
    return out


def calendar_codes(district_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (school, day) keys of the district's calendars and their day codes."""
    rows = CalendarDay.objects.filter(school__district_id=district_id).values_list(
        "school_id", "date", "kind"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["school_id", "date", "kind"])
    if frame.empty:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int8")
    days = (frame["date"].to_numpy(dtype="datetime64[D]") - EPOCH).astype("int64")
    keys = school_day_key(frame["school_id"].to_numpy(), days)
    codes = frame["kind"].map(KIND_CODES).to_numpy(dtype="int8")
    order = np.argsort(keys)
    return keys[order], codes[order]


def day_codes(calendar: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> np.ndarray:
    """The calendar code of each (school, day) key; OUTSIDE when the calendar lacks it."""
    known, codes = calendar
    if not len(known):
        return np.zeros(len(keys), dtype="int8")
    at = np.searchsorted(known, keys)
    at_clipped = np.minimum(at, len(known) - 1)
    found = known[at_clipped] == keys
    return np.where(found, codes[at_clipped], OUTSIDE).astype("int8")
