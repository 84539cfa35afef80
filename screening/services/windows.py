"""Screening windows: create, open, and close (closing settles the percentile ranks)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from screening import events
from screening.models.scores import ScreeningScore
from screening.models.values import Season
from screening.models.windows import ScreeningWindow
from screening.services.access import _require_district_admin
from screening.services.norms import _refresh_groups, lock_norm_groups
from students.models import SchoolYear, User


@transaction.atomic
def window_create(
    *,
    school_year: SchoolYear,
    season: str,
    start_date: dt.date,
    end_date: dt.date,
    is_open: bool = False,
    actor: User | None,
) -> ScreeningWindow:
    _require_district_admin(actor, school_year.district_id)
    errors: dict[str, list[str]] = {}
    if season not in Season.values:
        errors["season"] = ["Choose fall, winter or spring."]
    if start_date > end_date:
        errors["end_date"] = ["The window must end on or after its first day."]
    if not (school_year.start_date <= start_date and end_date <= school_year.end_date):
        errors.setdefault("start_date", []).append(
            f"The window must fall within the school year {school_year.name} "
            f"({school_year.start_date:%b %-d, %Y} to {school_year.end_date:%b %-d, %Y})."
        )
    if ScreeningWindow.objects.filter(school_year=school_year, season=season).exists():
        errors.setdefault("season", []).append(f"{school_year.name} already has a {season} window.")
    if errors:
        raise ValidationError(errors)
    return ScreeningWindow.objects.create(
        school_year=school_year,
        season=season,
        start_date=start_date,
        end_date=end_date,
        is_open=is_open,
    )


@transaction.atomic
def window_open(*, window: ScreeningWindow, actor: User | None) -> ScreeningWindow:
    _require_district_admin(actor, window.school_year.district_id)
    if not window.is_open:
        window.is_open = True
        window.save(update_fields=["is_open"])
    return window


@transaction.atomic
def window_close(*, window: ScreeningWindow, actor: User | None) -> ScreeningWindow:
    """Close the window to teachers and settle every norm group's percentile ranks."""
    _require_district_admin(actor, window.school_year.district_id)
    if window.is_open:
        window.is_open = False
        window.save(update_fields=["is_open"])
    groups = set(
        ScreeningScore.objects.filter(window=window)
        .values_list("measure_id", "window_id", "grade")
        .distinct()
    )
    lock_norm_groups(groups)
    _refresh_groups(groups)
    # Announced, not called: decisions subscribes and sweeps the district after commit.
    events.window_closed(window_id=window.pk, district_id=window.school_year.district_id)
    return window
