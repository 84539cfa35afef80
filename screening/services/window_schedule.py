"""The windows of one school year fit together: at most five, none overlapping, and in
season order (a window using the winter cut scores cannot come before one using the fall
ones). Pure: the service hands in the year's other windows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext

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
            gettext(
                "%(year_name)s has %(count)s screening windows already; a school year has at most %(max_windows_per_year)s."
            )
            % {
                "year_name": year_name,
                "count": len(others),
                "max_windows_per_year": MAX_WINDOWS_PER_YEAR,
            }
        )
    name = candidate.name.strip().casefold()
    for o in others:
        if o.name.strip().casefold() == name:
            errors.setdefault("name", []).append(
                gettext(
                    "%(year_name)s already has a window called %(other)s: give this one another name (for example Mid-fall check)."
                )
                % {"year_name": year_name, "other": o.name}
            )
    order = SEASON_ORDER[Season(candidate.season)]
    for o in sorted(others, key=lambda o: o.start_date):
        if candidate.start_date <= o.end_date and o.start_date <= candidate.end_date:
            errors.setdefault("start_date", []).append(
                gettext(
                    "These dates overlap the %(other)s window (%(dates)s); windows of a year must not overlap."
                )
                % {"other": o.name, "dates": _days(o)}
            )
            continue
        other_order = SEASON_ORDER[Season(o.season)]
        if o.start_date < candidate.start_date and other_order > order:
            errors.setdefault("season", []).append(
                gettext(
                    "A window using the %(season)s cut scores cannot come after the %(other)s window (%(dates)s), which uses the %(other_season)s ones."
                )
                % {
                    "season": Season(candidate.season).label.lower(),
                    "other": o.name,
                    "dates": _days(o),
                    "other_season": Season(o.season).label.lower(),
                }
            )
        if o.start_date > candidate.start_date and other_order < order:
            errors.setdefault("season", []).append(
                gettext(
                    "A window using the %(season)s cut scores cannot come before the %(other)s window (%(dates)s), which uses the %(other_season)s ones."
                )
                % {
                    "season": Season(candidate.season).label.lower(),
                    "other": o.name,
                    "dates": _days(o),
                    "other_season": Season(o.season).label.lower(),
                }
            )
    return errors
