"""The windows of one school year fit together: at most five, none overlapping, and in
season order (a window using the winter cut scores cannot come before one using the fall
ones). Pure: the service hands in the year's other windows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from screening.models.values import SEASON_ORDER, Season
from screening.models.windows import MAX_WINDOWS_PER_YEAR


@dataclass(frozen=True)
class Slot:
    """A window as the checks see it (the candidate has pk None when it is new)."""

    pk: int | None
    name: str
    season: str
    start_date: dt.date
    end_date: dt.date


def _days(slot: Slot) -> str:
    return f"{slot.start_date:%b %-d} to {slot.end_date:%b %-d}"


def schedule_problems(candidate: Slot, others: list[Slot], year_name: str) -> dict[str, list]:
    """Field -> messages for `candidate` among the year's `others` (which exclude it)."""
    errors: dict[str, list[str]] = {}
    others = [o for o in others if o.pk is None or o.pk != candidate.pk]
    if candidate.pk is None and len(others) >= MAX_WINDOWS_PER_YEAR:
        errors.setdefault("__all__", []).append(
            f"{year_name} has {len(others)} screening windows already; a school year has at "
            f"most {MAX_WINDOWS_PER_YEAR}."
        )
    name = candidate.name.strip().casefold()
    for o in others:
        if o.name.strip().casefold() == name:
            errors.setdefault("name", []).append(
                f"{year_name} already has a window called {o.name}: give this one another "
                "name (for example Mid-fall check)."
            )
    order = SEASON_ORDER[Season(candidate.season)]
    for o in sorted(others, key=lambda o: o.start_date):
        if candidate.start_date <= o.end_date and o.start_date <= candidate.end_date:
            errors.setdefault("start_date", []).append(
                f"These dates overlap the {o.name} window ({_days(o)}); windows of a year "
                "must not overlap."
            )
            continue
        other_order = SEASON_ORDER[Season(o.season)]
        if o.start_date < candidate.start_date and other_order > order:
            errors.setdefault("season", []).append(
                f"A window using the {Season(candidate.season).label.lower()} cut scores "
                f"cannot come after the {o.name} window ({_days(o)}), which uses the "
                f"{Season(o.season).label.lower()} ones."
            )
        if o.start_date > candidate.start_date and other_order < order:
            errors.setdefault("season", []).append(
                f"A window using the {Season(candidate.season).label.lower()} cut scores "
                f"cannot come before the {o.name} window ({_days(o)}), which uses the "
                f"{Season(o.season).label.lower()} ones."
            )
    return errors
