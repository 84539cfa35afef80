"""Behavior tables: the SWIS "Big 5" of office referrals and students by referral count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from django.utils.translation import gettext, gettext_noop

from dashboards import suppression
from dashboards.analysis.table import Column, Table, _fmt_number, _protect_sizes
from dashboards.suppression import show_count, show_percent
from mtss.lib.thresholds import OdrBand, odr_bands


def school_days(start: dt.date, end: dt.date) -> int:
    """Weekdays from start to end, both included (no holiday calendar: see the docs)."""
    if end < start:
        return 0
    return int(np.busday_count(start, end + dt.timedelta(days=1)))


def month_spans(
    year_start: dt.date, year_end: dt.date, as_of: dt.date
) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(month, first counted day, last counted day) for each month of the school year up to
    the as-of date."""
    last = min(as_of, year_end)
    out = []
    month = year_start.replace(day=1)
    while month <= last:
        nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append((month, max(month, year_start), min(nxt - dt.timedelta(days=1), last)))
        month = nxt
    return out


def _count_line(
    table: Table,
    items: list[tuple[str, dict, int]],
    *,
    total_label: str,
    total_data: dict,
    share: bool = True,
) -> None:
    counts = [c for _, _, c in items]
    hidden = _protect_sizes(counts)
    total = sum(counts)
    for (label, data, count), h in zip(items, hidden, strict=True):
        shown = {"label": label, "count": show_count(count, h)}
        if share:
            shown["share"] = show_percent(count / total if total else None, h, of=count)
        table.add(
            shown,
            {
                **data,
                "count": None if h else count,
                "share": None if h or not total else count / total,
                "suppressed": h,
            },
        )
    th = suppression.is_small(total)
    shown = {"label": total_label, "count": show_count(total, th)}
    if share:
        shown["share"] = show_percent(1.0 if total else None, th, of=total)
    table.add(
        shown,
        {
            **total_data,
            "count": None if th else total,
            "share": None if th or not total else 1.0,
            "suppressed": th,
        },
        mark=True,
    )


def behavior_tables(
    aggregates: Iterable[dict],
    bands: Iterable[dict],
    *,
    year_start: dt.date,
    year_end: dt.date,
    as_of: dt.date,
    location_labels: dict[str, str],
    behavior_labels: dict[str, str],
    band_labels: Sequence[OdrBand] | None = None,
    calendar_days: dict[dt.date, int] | None = None,
) -> dict[str, Table]:
    """The SWIS "Big 5" and the referral bands.

    `aggregates`: referral_aggregates rows (dimension, month, location, problem_behavior,
    hour, n). `bands`: band (1, 2, 3: the tier range), n students; `band_labels` is the
    district's `odr_bands` (the defaults' when not given), so the labels say the district's
    edges and whether minors count. Referral counts below 10
    are hidden like student counts (a handful of referrals can be one student's), with
    complementary cells along each list, whose total is shown. `calendar_days`: school days
    per month from the school calendars (first of the month -> days); without it the
    weekdays are counted."""
    by_dim: dict[str, list[dict]] = defaultdict(list)
    for r in aggregates:
        by_dim[r["dimension"]].append(r)

    months = Table(
        key="months",
        caption=gettext("Referrals per school day, by month"),
        columns=[
            Column("label", gettext_noop("Month"), False),
            Column("count", gettext_noop("Referrals")),
            Column("days", gettext_noop("School days")),
            Column("per_day", gettext_noop("Referrals per school day")),
        ],
    )
    per_month = {r["month"]: int(r["n"]) for r in by_dim["month"]}
    spans = month_spans(year_start, year_end, as_of)
    counts = [per_month.get(m, 0) for m, _, _ in spans]
    hidden = _protect_sizes(counts) if spans else []

    def days_of(month: dt.date, first: dt.date, last: dt.date) -> int:
        if calendar_days:
            return int(calendar_days.get(month, 0))
        return school_days(first, last)

    for (month, first, last), count, h in zip(spans, counts, hidden, strict=True):
        days = days_of(month, first, last)
        rate = count / days if days else None
        months.add(
            {
                "label": month.strftime("%B %Y"),
                "count": show_count(count, h),
                "days": f"{days}",
                "per_day": suppression.hidden_label(count) if h else _fmt_number(rate, 2),
            },
            {
                "month": month.isoformat(),
                "count": None if h else count,
                "school_days": days,
                "per_day": None if h else rate,
                "suppressed": h,
            },
        )
    if spans:
        total = sum(counts)
        days = sum(days_of(m, a, b) for m, a, b in spans)
        th = suppression.is_small(total)
        months.add(
            {
                "label": gettext("Whole year so far"),
                "count": show_count(total, th),
                "days": f"{days}",
                "per_day": suppression.hidden_label(total)
                if th
                else _fmt_number(total / days if days else None, 2),
            },
            {
                "month": None,
                "count": None if th else total,
                "school_days": days,
                "per_day": None if th or not days else total / days,
                "suppressed": th,
            },
            mark=True,
        )
    months.note = (
        gettext(
            "School days are the days the school calendars list as school days, up to the as-of "
            "date (holidays and days without school are not counted)."
        )
        if calendar_days
        else gettext(
            "School days are the weekdays from the first day of school to the as-of date; "
            "holidays are not subtracted (no school calendar has been imported)."
        )
    )

    def simple(key: str, caption: str, head: str, items: list[tuple[str, dict, int]]) -> Table:
        t = Table(
            key=key,
            caption=caption,
            columns=[
                Column("label", head, False),
                Column("count", gettext_noop("Referrals")),
                Column("share", gettext_noop("Share")),
            ],
        )
        if items:
            _count_line(t, items, total_label=gettext("All referrals"), total_data={key: None})
        return t

    locations = simple(
        "locations",
        gettext("Referrals by location"),
        gettext("Location"),
        [
            (
                location_labels.get(r["location"], r["location"]),
                {"location": r["location"]},
                int(r["n"]),
            )
            for r in sorted(by_dim["location"], key=lambda r: -int(r["n"]))
        ],
    )
    behaviors = simple(
        "behaviors",
        gettext("Referrals by problem behavior"),
        gettext("Problem behavior"),
        [
            (
                behavior_labels.get(r["problem_behavior"], r["problem_behavior"]),
                {"problem_behavior": r["problem_behavior"]},
                int(r["n"]),
            )
            for r in sorted(by_dim["problem_behavior"], key=lambda r: -int(r["n"]))
        ],
    )
    hours = simple(
        "hours",
        gettext("Referrals by time of day"),
        gettext("Time of day"),
        [
            (_hour_label(r["hour"]), {"hour": r["hour"]}, int(r["n"]))
            for r in sorted(by_dim["hour"], key=lambda r: (r["hour"] is None, r["hour"] or 0))
        ],
    )

    band_table = Table(
        key="bands",
        caption=gettext("Students by number of referrals this year"),
        columns=[
            Column("label", gettext_noop("Referrals"), False),
            Column("count", gettext_noop("Students")),
            Column("share", gettext_noop("Share of students")),
        ],
    )
    per_band = {int(r["band"]): int(r["n"]) for r in bands}
    if per_band:
        labels = {b.tier: f"{b.label} ({b.tier_label})" for b in (band_labels or odr_bands())}
        _count_line(
            band_table,
            [(labels[b], {"band": b}, per_band.get(b, 0)) for b in (1, 2, 3)],
            total_label=gettext("All students"),
            total_data={"band": None},
        )
    return {
        "months": months,
        "locations": locations,
        "behaviors": behaviors,
        "hours": hours,
        "bands": band_table,
    }


def _hour_label(hour: int | None) -> str:
    if hour is None:
        return gettext("Time not recorded")
    start = dt.time(hour).strftime("%-I %p").lower()
    end = dt.time((hour + 1) % 24).strftime("%-I %p").lower()
    return f"{start}–{end}"
