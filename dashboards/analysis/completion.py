"""Screening completion tables: percent screened per measure and school, grade or class."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext, gettext_noop

from dashboards import suppression
from dashboards.analysis.table import Column, Table, _protect_sizes, grade_label
from dashboards.suppression import show_count, show_percent


def completion_table(
    rows: Iterable[dict],
    *,
    by: str,
    school_names: dict[int, str],
    measure_names: dict[int, str],
    missing_link: Callable[[int, int | None, int | None], str] | None,
) -> Table:
    """Percent screened per measure and school (or grade): active students in the measure's
    grades, and the share with a score. `missing_link(measure_id, school_id, grade)` gives the
    screening app's list of missing students (None: the user may not list them)."""
    table = Table(
        key="completion",
        caption=gettext("Screening completion"),
        columns=[
            Column("measure", gettext_noop("Measure"), False),
            Column(
                "unit", gettext_noop("School") if by == "school" else gettext_noop("Grade"), False
            ),
            Column("students", gettext_noop("Students in the measure's grades")),
            Column("screened_pct", gettext_noop("Screened")),
        ],
    )
    agg: dict[int, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    school_of: dict[Any, int | None] = {}
    for r in rows:
        unit = r["school_id"] if by == "school" else r["grade"]
        agg[r["measure_id"]][unit][0] += int(r["enrolled"])
        agg[r["measure_id"]][unit][1] += int(r["scored"])
        school_of[unit] = r["school_id"] if by == "school" else None

    def label(unit: Any) -> str:
        return school_names.get(unit, str(unit)) if by == "school" else grade_label(unit)

    for measure_id in sorted(agg, key=lambda m: measure_names.get(m, "")):
        name = measure_names.get(measure_id, str(measure_id))
        units = sorted(agg[measure_id], key=lambda u: label(u) if by == "school" else u)
        sizes = [agg[measure_id][u][0] for u in units]
        hidden = _protect_sizes(sizes) if len(units) > 1 else suppression.primary(sizes)
        for u, h in zip(units, hidden, strict=True):
            n, x = agg[measure_id][u]
            share = x / n if n else None
            link = ""
            if missing_link is not None and x < n:
                link = missing_link(measure_id, school_of.get(u), u if by == "grade" else None)
            table.add(
                {
                    "measure": name,
                    "unit": label(u),
                    "students": show_count(n, h),
                    "screened_pct": show_percent(share, h, of=n),
                },
                {
                    "measure_id": measure_id,
                    "unit": label(u),
                    "students": None if h else n,
                    "screened_share": None if h else share,
                    "suppressed": h,
                },
                link=link,
            )
        if len(units) > 1:
            n = sum(sizes)
            x = sum(agg[measure_id][u][1] for u in units)
            h = suppression.is_small(n)
            table.add(
                {
                    "measure": name,
                    "unit": gettext("All"),
                    "students": show_count(n, h),
                    "screened_pct": show_percent(x / n if n else None, h, of=n),
                },
                {
                    "measure_id": measure_id,
                    "unit": "All",
                    "students": None if h else n,
                    "screened_share": None if h or not n else x / n,
                    "suppressed": h,
                },
                link=missing_link(measure_id, None, None)
                if missing_link is not None and x < n
                else "",
                mark=True,
            )
    return table


def completion_section_table(
    rows: Iterable[dict],
    *,
    measure_names: dict[int, str],
    missing_link: Callable[[int, int, int], str] | None,
) -> Table:
    """Percent screened per class (classes overlap: no total, small classes hidden)."""
    table = Table(
        key="completion_sections",
        caption=gettext("Screening completion by class"),
        columns=[
            Column("section", gettext_noop("Class"), False),
            Column("measure", gettext_noop("Measure"), False),
            Column("students", gettext_noop("Students in the measure's grades")),
            Column("screened_pct", gettext_noop("Screened")),
        ],
    )
    for r in sorted(
        rows, key=lambda r: (r["section_name"], measure_names.get(r["measure_id"], ""))
    ):
        n, x = int(r["enrolled"]), int(r["scored"])
        h = suppression.is_small(n)
        table.add(
            {
                "section": r["section_name"],
                "measure": measure_names.get(r["measure_id"], str(r["measure_id"])),
                "students": show_count(n, h),
                "screened_pct": show_percent(x / n if n else None, h, of=n),
            },
            {
                "section_id": r["section_id"],
                "measure_id": r["measure_id"],
                "students": None if h else n,
                "screened_share": None if h or not n else x / n,
                "suppressed": h,
            },
            link=missing_link(r["measure_id"], r["school_id"], r["section_id"])
            if missing_link and x < n
            else "",
        )
    return table
