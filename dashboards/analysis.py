"""Dashboard analysis: plain rows from selectors.py in, suppressed tables out.

Pure (no ORM, no request, no clock): every function takes the rows a selector returned and
names or dates as arguments, and returns `Table`s. A `Table` is the one thing pages, CSV
downloads and the API all read: `rows` hold the strings a page shows (and a CSV writes,
cell for cell), `data` the same figures as numbers for the API, with None wherever small-
cell suppression hides a figure. Charts (charts.py) are drawn from `data`, so a chart never
shows a figure its table hides.

Suppression rules (dashboards.suppression): a count of students is a cell, hidden below 10
with complementary cells along every line whose total is shown; a rate (percent at
benchmark, percent screened) describes a group, hidden when the group has fewer than 10
students, with complementary groups when the groups' sizes add up to a shown total.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboards import equity, suppression
from dashboards.suppression import SUPPRESSED, show_count, show_percent

DOMAIN_LABELS = {
    "reading": "Reading",
    "math": "Math",
    "behavior": "Behavior",
    "sel": "Social-emotional",
}
TIER_GUIDE = {1: 0.80, 2: 0.15, 3: 0.05}
BENCHMARK_GOAL = 0.80


def grade_label(grade: int | None) -> str:
    if grade is None:
        return "-"
    return {-1: "PK", 0: "K"}.get(grade, str(grade))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = True


@dataclass
class Table:
    """What a panel shows: display strings (`rows`), numbers for the API (`data`)."""

    key: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, str]] = field(default_factory=list)
    data: list[dict[str, Any]] = field(default_factory=list)
    # Per row: a link for the row (e.g. the missing students) and an emphasis flag.
    links: list[str] = field(default_factory=list)
    marks: list[bool] = field(default_factory=list)
    note: str = ""

    def add(
        self, shown: dict[str, str], data: dict[str, Any], *, link: str = "", mark: bool = False
    ) -> None:
        self.rows.append(shown)
        self.data.append(data)
        self.links.append(link)
        self.marks.append(mark)

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def has_links(self) -> bool:
        return any(self.links)

    def lines(self) -> list[dict[str, Any]]:
        """Rows for a template: cells in column order (the first is the row header)."""
        return [
            {
                "cells": [(row.get(c.key, ""), c.numeric) for c in self.columns],
                "link": link,
                "mark": mark,
            }
            for row, link, mark in zip(self.rows, self.links, self.marks, strict=True)
        ]

    def csv_rows(self) -> list[list[str]]:
        """Header and rows exactly as the page prints them."""
        out = [[c.label for c in self.columns]]
        out += [[row.get(c.key, "") for c in self.columns] for row in self.rows]
        return out


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


def _fmt_number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fmt_signed(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    text = _fmt_number(abs(value), digits)
    return text if value == 0 else ("+" if value > 0 else "−") + text


def _protect_sizes(sizes: Sequence[int]) -> list[bool]:
    """Group sizes along a line whose total is shown: primary + complementary."""
    return suppression.protect_line(list(sizes), suppression.primary(sizes))


# -- tiers -------------------------------------------------------------------------------------


def tier_tables(
    rows: Iterable[dict],
    *,
    by: str,
    school_names: dict[int, str],
) -> Table:
    """Students by screening tier per domain and school (or grade), against 80/15/5.

    `rows`: school_id, grade, domain, tier (1-3, None: in the grades but not screened), n.
    `by`: "school" or "grade". Per domain, the tier counts form a table whose row totals
    (students screened) and column totals (the "All" row) are both shown, so it is protected
    in two dimensions; "not screened" is a line of its own, with its total.
    """
    table = Table(
        key="tiers",
        caption="Students by tier (from screening), against the 80 / 15 / 5 guide",
        columns=[
            Column("domain", "Domain", False),
            Column("unit", "School" if by == "school" else "Grade", False),
            Column("tier1", "Tier 1"),
            Column("tier1_pct", "Tier 1 %"),
            Column("tier2", "Tier 2"),
            Column("tier2_pct", "Tier 2 %"),
            Column("tier3", "Tier 3"),
            Column("tier3_pct", "Tier 3 %"),
            Column("screened", "Screened"),
            Column("not_screened", "Not screened"),
            Column("guide", "Tier 1 at 80% or more?", False),
        ],
    )
    counts: dict[str, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for r in rows:
        unit = r["school_id"] if by == "school" else r["grade"]
        slot = 3 if r["tier"] is None else int(r["tier"]) - 1
        counts[r["domain"]][unit][slot] += int(r["n"])

    def unit_label(unit: Any) -> str:
        return school_names.get(unit, f"School {unit}") if by == "school" else grade_label(unit)

    for domain in sorted(
        counts, key=lambda d: list(DOMAIN_LABELS).index(d) if d in DOMAIN_LABELS else 99
    ):
        units = sorted(counts[domain], key=lambda u: unit_label(u) if by == "school" else u)
        matrix = [counts[domain][u][:3] for u in units]
        not_screened = [counts[domain][u][3] for u in units]
        mask = suppression.protect_table(matrix, row_totals=True, column_totals=True)
        ns_mask = _protect_sizes(not_screened)
        totals = [sum(col) for col in zip(*matrix, strict=True)] if matrix else [0, 0, 0]
        lines = [
            (unit_label(u), m, mask.cells[i], mask.row_totals[i], ns, ns_mask[i], False)
            for i, (u, m, ns) in enumerate(zip(units, matrix, not_screened, strict=True))
        ]
        if len(units) > 1:
            lines.append(
                (
                    "All",
                    totals,
                    mask.column_totals,
                    mask.grand_total,
                    sum(not_screened),
                    suppression.is_small(sum(not_screened)),
                    True,
                )
            )
        for label, cells, hidden, total_hidden, ns, ns_hidden, is_total in lines:
            screened = sum(cells)
            shown = {"domain": DOMAIN_LABELS.get(domain, domain), "unit": label}
            data: dict[str, Any] = {"domain": domain, "unit": label, "all": is_total}
            for t in (1, 2, 3):
                h = hidden[t - 1] or total_hidden
                share = cells[t - 1] / screened if screened else None
                shown[f"tier{t}"] = show_count(cells[t - 1], h)
                shown[f"tier{t}_pct"] = show_percent(share, h)
                data[f"tier{t}"] = None if h else cells[t - 1]
                data[f"tier{t}_share"] = None if h else share
            shown["screened"] = show_count(screened, total_hidden)
            data["screened"] = None if total_hidden else screened
            shown["not_screened"] = show_count(ns, ns_hidden)
            data["not_screened"] = None if ns_hidden else ns
            t1 = data["tier1_share"]
            if hidden[0] or total_hidden:
                shown["guide"] = SUPPRESSED
            elif t1 is None:
                shown["guide"] = ""  # nobody screened: nothing to compare
            else:
                shown["guide"] = "Yes" if t1 >= TIER_GUIDE[1] else "No"
            data["meets_guide"] = None if t1 is None else t1 >= TIER_GUIDE[1]
            table.add(shown, data, mark=is_total)
    return table


def placement_table(rows: Iterable[dict], *, by: str, school_names: dict[int, str]) -> Table:
    """Students by their current tier placement (interventions.TierPlacement): open
    placements count as Tier 2/3 (or 1), every other active student as Tier 1.

    `rows`: school_id, grade, domain, tier, n (tier 1 rows include the students without an
    open placement in that domain)."""
    table = tier_tables(rows, by=by, school_names=school_names)
    table.key = "placements"
    table.caption = "Students by current tier placement, against the 80 / 15 / 5 guide"
    table.columns = [c for c in table.columns if c.key != "not_screened"]
    table.columns = [
        Column(c.key, "Students" if c.key == "screened" else c.label, c.numeric)
        for c in table.columns
    ]
    return table


def movement_table(rows: Iterable[dict], *, window_from: str, window_to: str) -> Table:
    """Students by (tier in the earlier window, tier in this one), per domain; both margins
    shown, so each domain's 3 x 3 table is protected in two dimensions."""
    table = Table(
        key="movement",
        caption=f"Movement between tiers from {window_from} to {window_to}",
        columns=[
            Column("domain", "Domain", False),
            Column("from", f"Tier in {window_from}", False),
            Column("to1", f"Tier 1 in {window_to}"),
            Column("to2", f"Tier 2 in {window_to}"),
            Column("to3", f"Tier 3 in {window_to}"),
            Column("total", "Students"),
        ],
    )
    by_domain: dict[str, list[list[int]]] = defaultdict(lambda: [[0, 0, 0] for _ in range(3)])
    for r in rows:
        by_domain[r["domain"]][int(r["tier_from"]) - 1][int(r["tier_to"]) - 1] += int(r["n"])
    for domain in sorted(
        by_domain, key=lambda d: list(DOMAIN_LABELS).index(d) if d in DOMAIN_LABELS else 99
    ):
        matrix = by_domain[domain]
        mask = suppression.protect_table(matrix, row_totals=True, column_totals=True)
        label = DOMAIN_LABELS.get(domain, domain)
        for i, cells in enumerate(matrix):
            hidden = [h or mask.row_totals[i] for h in mask.cells[i]]
            shown = {"domain": label, "from": f"Tier {i + 1}"}
            data: dict[str, Any] = {"domain": domain, "from": i + 1}
            for j in range(3):
                shown[f"to{j + 1}"] = show_count(cells[j], hidden[j])
                data[f"to{j + 1}"] = None if hidden[j] else cells[j]
            shown["total"] = show_count(sum(cells), mask.row_totals[i])
            data["total"] = None if mask.row_totals[i] else sum(cells)
            table.add(shown, data)
        col_sums = [sum(r[j] for r in matrix) for j in range(3)]
        shown = {"domain": label, "from": "All"}
        data = {"domain": domain, "from": None}
        for j in range(3):
            shown[f"to{j + 1}"] = show_count(col_sums[j], mask.column_totals[j])
            data[f"to{j + 1}"] = None if mask.column_totals[j] else col_sums[j]
        shown["total"] = show_count(sum(col_sums), mask.grand_total)
        data["total"] = None if mask.grand_total else sum(col_sums)
        table.add(shown, data, mark=True)
    return table


# -- core instruction --------------------------------------------------------------------------


def _rate_block(
    table: Table,
    items: list[
        tuple[str, dict[str, str], dict[str, Any], int, Callable[[bool], tuple[dict, dict]]]
    ],
    *,
    total: tuple[dict[str, str], dict[str, Any], int, Callable[[bool], tuple[dict, dict]]] | None,
) -> None:
    """Rows of rates over groups whose sizes add up to a shown total: hide small groups and
    a complementary group (the sizes are a line). Each item: (sort key, shown, data, size,
    figures(hidden) -> (shown extras, data extras))."""
    sizes = [it[3] for it in items]
    hidden = _protect_sizes(sizes) if total is not None else suppression.primary(sizes)
    for (_, shown, data, _size, figures), h in zip(items, hidden, strict=True):
        extra_shown, extra_data = figures(h)
        table.add({**shown, **extra_shown}, {**data, **extra_data, "suppressed": h})
    if total is not None:
        shown, data, size, figures = total
        h = suppression.is_small(size)
        extra_shown, extra_data = figures(h)
        table.add({**shown, **extra_shown}, {**data, **extra_data, "suppressed": h}, mark=True)


def benchmark_table(
    rows: Iterable[dict], *, by: str, school_names: dict[int, str], measure_names: dict[int, str]
) -> Table:
    """Percent at or above benchmark per measure and school (or grade): the 80 % check.

    `rows`: measure_id, school_id, grade, scored, classified, at_or_above. The rate's group
    is the students with a classified score."""
    table = Table(
        key="benchmark",
        caption="Percent at or above benchmark (is core instruction reaching 80%?)",
        columns=[
            Column("measure", "Measure", False),
            Column("unit", "School" if by == "school" else "Grade", False),
            Column("students", "Students screened"),
            Column("at_or_above_pct", "At or above benchmark"),
            Column("meets", "80% or more?", False),
        ],
    )
    agg: dict[int, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in rows:
        unit = r["school_id"] if by == "school" else r["grade"]
        agg[r["measure_id"]][unit][0] += int(r["classified"])
        agg[r["measure_id"]][unit][1] += int(r["at_or_above"])

    def label(unit: Any) -> str:
        return school_names.get(unit, str(unit)) if by == "school" else grade_label(unit)

    for measure_id in sorted(agg, key=lambda m: measure_names.get(m, "")):
        name = measure_names.get(measure_id, str(measure_id))
        units = sorted(agg[measure_id], key=lambda u: label(u) if by == "school" else u)

        def figures(n: int, x: int) -> Callable[[bool], tuple[dict, dict]]:
            def f(hidden: bool) -> tuple[dict, dict]:
                share = x / n if n else None
                meets = None if share is None else share >= BENCHMARK_GOAL
                return (
                    {
                        "students": show_count(n, hidden),
                        "at_or_above_pct": show_percent(share, hidden),
                        "meets": SUPPRESSED
                        if hidden
                        else ("" if meets is None else ("Yes" if meets else "No")),
                    },
                    {
                        "students": None if hidden else n,
                        "at_or_above_share": None if hidden else share,
                        "meets_goal": None if hidden else meets,
                    },
                )

            return f

        items = [
            (
                label(u),
                {"measure": name, "unit": label(u)},
                {"measure_id": measure_id, "unit": label(u)},
                agg[measure_id][u][0],
                figures(*agg[measure_id][u]),
            )
            for u in units
        ]
        n_all = sum(v[0] for v in agg[measure_id].values())
        x_all = sum(v[1] for v in agg[measure_id].values())
        total = (
            (
                {"measure": name, "unit": "All"},
                {"measure_id": measure_id, "unit": "All"},
                n_all,
                figures(n_all, x_all),
            )
            if len(units) > 1
            else None
        )
        _rate_block(table, items, total=total)
    return table


def section_table(rows: Iterable[dict], *, measure_names: dict[int, str]) -> Table:
    """Per class: percent at or above benchmark, median score against the benchmark, and
    the classwide-problem check (median distance from benchmark below 0). Sections overlap
    (a student in two classes), so there is no total and no complementary cell; a class of
    fewer than 10 screened students is hidden whole."""
    table = Table(
        key="sections",
        caption="Classes: percent at or above benchmark and classwide problems",
        columns=[
            Column("section", "Class", False),
            Column("measure", "Measure", False),
            Column("students", "Students screened"),
            Column("at_or_above_pct", "At or above benchmark"),
            Column("median", "Median score"),
            Column("benchmark", "Benchmark"),
            Column("classwide", "Classwide problem?", False),
        ],
    )
    ordered = sorted(
        rows, key=lambda r: (r["section_name"], measure_names.get(r["measure_id"], ""))
    )
    for r in ordered:
        n = int(r["classified"])
        hidden = suppression.is_small(int(r["scored"]))
        share = r["at_or_above"] / n if n else None
        gap = _num(r["median_gap"])
        bench = _num(r["benchmark_min"]) if r["benchmark_min"] == r["benchmark_max"] else None
        problem = None if gap is None else gap < 0
        table.add(
            {
                "section": r["section_name"],
                "measure": measure_names.get(r["measure_id"], str(r["measure_id"])),
                "students": show_count(int(r["scored"]), hidden),
                "at_or_above_pct": show_percent(share, hidden),
                "median": SUPPRESSED if hidden else _fmt_number(_num(r["median_score"])),
                "benchmark": _fmt_number(bench)
                if bench is not None
                else ("mixed grades" if gap is not None else "none"),
                "classwide": SUPPRESSED
                if hidden
                else ("" if problem is None else ("Yes" if problem else "No")),
            },
            {
                "section_id": r["section_id"],
                "section": r["section_name"],
                "measure_id": r["measure_id"],
                "students": None if hidden else int(r["scored"]),
                "at_or_above_share": None if hidden else share,
                "median_score": None if hidden else _num(r["median_score"]),
                "benchmark": bench,
                "median_gap": None if hidden else gap,
                "classwide_problem": None if hidden else problem,
                "suppressed": hidden,
            },
            mark=bool(problem) and not hidden,
        )
    return table


def classwide_summary(
    rows: Iterable[dict], *, school_names: dict[int, str], measure_names: dict[int, str]
) -> Table:
    """Per school and measure: classes the decision rules flagged with a classwide problem
    in the window. Counts of classes, not of students: nothing to suppress.

    `rows`: school_id, measure_id, problems (selectors.classwide_flag_counts)."""
    table = Table(
        key="classwide",
        caption="Classes with a classwide problem (class median below benchmark), per school",
        columns=[
            Column("unit", "School", False),
            Column("measure", "Measure", False),
            Column("problems", "Classes with a classwide problem"),
        ],
    )
    ordered = sorted(
        rows,
        key=lambda r: (
            school_names.get(r["school_id"], ""),
            measure_names.get(r["measure_id"], ""),
        ),
    )
    for r in ordered:
        table.add(
            {
                "unit": school_names.get(r["school_id"], str(r["school_id"])),
                "measure": measure_names.get(r["measure_id"], str(r["measure_id"])),
                "problems": f"{int(r['problems']):,}",
            },
            {
                "school_id": r["school_id"],
                "measure_id": r["measure_id"],
                "problems": int(r["problems"]),
            },
        )
    return table


def growth_table(
    rows: Iterable[dict],
    *,
    by: str,
    school_names: dict[int, str],
    measure_names: dict[int, str],
    window_from: str,
    window_to: str,
) -> Table:
    """Growth from the earlier window to this one, per measure and school (or grade): the
    median change of score among students with both scores, and the share moving up (to a
    lower-risk level) or down. Medians do not add up across rows, so the "All" row's median
    comes from the row medians only when there is one row; otherwise it is left out."""
    table = Table(
        key="growth",
        caption=f"Growth from {window_from} to {window_to}",
        columns=[
            Column("measure", "Measure", False),
            Column("unit", "School" if by == "school" else "Grade", False),
            Column("students", "Students with both scores"),
            Column("median_change", "Median change of score"),
            Column("up_pct", "Moved up a risk level"),
            Column("down_pct", "Moved down a risk level"),
        ],
    )
    groups: dict[int, dict[Any, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        unit = r["school_id"] if by == "school" else r["grade"]
        groups[r["measure_id"]][unit].append(r)

    def label(unit: Any) -> str:
        return school_names.get(unit, str(unit)) if by == "school" else grade_label(unit)

    for measure_id in sorted(groups, key=lambda m: measure_names.get(m, "")):
        name = measure_names.get(measure_id, str(measure_id))
        units = sorted(groups[measure_id], key=lambda u: label(u) if by == "school" else u)
        items = []
        for u in units:
            parts = groups[measure_id][u]
            n = sum(int(p["matched"]) for p in parts)
            classified = sum(int(p["classified_both"]) for p in parts)
            up = sum(int(p["moved_up"]) for p in parts)
            down = sum(int(p["moved_down"]) for p in parts)
            # A school's grades are separate database groups: their medians are combined by
            # the students-weighted median of medians only when one group; else weighted.
            median = (
                _num(parts[0]["median_change"])
                if len(parts) == 1
                else _weighted_median(
                    [(_num(p["median_change"]), int(p["matched"])) for p in parts]
                )
            )

            def figures(hidden: bool, n=n, classified=classified, up=up, down=down, median=median):
                up_share = up / classified if classified else None
                down_share = down / classified if classified else None
                return (
                    {
                        "students": show_count(n, hidden),
                        "median_change": SUPPRESSED if hidden else _fmt_signed(median),
                        "up_pct": show_percent(up_share, hidden),
                        "down_pct": show_percent(down_share, hidden),
                    },
                    {
                        "students": None if hidden else n,
                        "median_change": None if hidden else median,
                        "up_share": None if hidden else up_share,
                        "down_share": None if hidden else down_share,
                    },
                )

            items.append(
                (
                    label(u),
                    {"measure": name, "unit": label(u)},
                    {"measure_id": measure_id, "unit": label(u)},
                    n,
                    figures,
                )
            )
        _rate_block(table, items, total=None)
    table.note = (
        "Median change is in the measure's own units (for a measure where lower is better, a "
        "fall is progress). A school's median over several grades is the median of its grades' "
        "medians weighted by their students."
    )
    return table


def _weighted_median(pairs: list[tuple[float | None, int]]) -> float | None:
    pairs = sorted((v, w) for v, w in pairs if v is not None and w > 0)
    if not pairs:
        return None
    half = sum(w for _, w in pairs) / 2
    running = 0
    for v, w in pairs:
        running += w
        if running >= half:
            return v
    return pairs[-1][0]


# -- completion --------------------------------------------------------------------------------


def completion_table(
    rows: Iterable[dict],
    *,
    by: str,
    school_names: dict[int, str],
    measure_names: dict[int, str],
    missing_link: Callable[[int, int | None], str] | None,
) -> Table:
    """Percent screened per measure and school (or grade): active students in the measure's
    grades, and the share with a score. `missing_link(measure_id, school_id)` gives the
    screening app's list of missing students (None: the user may not list them)."""
    table = Table(
        key="completion",
        caption="Screening completion",
        columns=[
            Column("measure", "Measure", False),
            Column("unit", "School" if by == "school" else "Grade", False),
            Column("students", "Students in the measure's grades"),
            Column("screened_pct", "Screened"),
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
                link = missing_link(measure_id, school_of.get(u))
            table.add(
                {
                    "measure": name,
                    "unit": label(u),
                    "students": show_count(n, h),
                    "screened_pct": show_percent(share, h),
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
                    "unit": "All",
                    "students": show_count(n, h),
                    "screened_pct": show_percent(x / n if n else None, h),
                },
                {
                    "measure_id": measure_id,
                    "unit": "All",
                    "students": None if h else n,
                    "screened_share": None if h or not n else x / n,
                    "suppressed": h,
                },
                link=missing_link(measure_id, None) if missing_link is not None and x < n else "",
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
        caption="Screening completion by class",
        columns=[
            Column("section", "Class", False),
            Column("measure", "Measure", False),
            Column("students", "Students in the measure's grades"),
            Column("screened_pct", "Screened"),
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
                "screened_pct": show_percent(x / n if n else None, h),
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


# -- equity ------------------------------------------------------------------------------------

RACE_LABELS = [
    ("hispanic_latino", "Hispanic/Latino"),
    ("american_indian", "American Indian or Alaska Native"),
    ("asian", "Asian"),
    ("black", "Black or African American"),
    ("pacific_islander", "Native Hawaiian or Other Pacific Islander"),
    ("white", "White"),
    ("two_or_more", "Two or more races"),
    ("unknown", "Race/ethnicity not reported"),
]
SEX_LABELS = [("F", "Female"), ("M", "Male"), ("X", "Non-binary"), ("U", "Sex not reported")]

DIMENSIONS: tuple[equity.Dimension, ...] = (
    equity.Dimension(
        "race_ethnicity",
        "Race/ethnicity",
        tuple(
            equity.GroupSpec("race_ethnicity", f"race:{v}", label, "race_ethnicity", v)
            for v, label in RACE_LABELS
        ),
        complete=True,
    ),
    equity.Dimension(
        "sex",
        "Sex",
        tuple(equity.GroupSpec("sex", f"sex:{v}", label, "sex", v) for v, label in SEX_LABELS),
        complete=True,
    ),
    equity.Dimension(
        "english_learner",
        "English learners",
        (
            equity.GroupSpec(
                "english_learner", "english_learner", "English learners", "english_learner", True
            ),
        ),
        complete=False,
    ),
    equity.Dimension(
        "iep",
        "Students with an IEP",
        (equity.GroupSpec("iep", "iep", "Students with an IEP", "iep", True),),
        complete=False,
    ),
    equity.Dimension(
        "section_504",
        "Students with a 504 plan",
        (
            equity.GroupSpec(
                "section_504", "section_504", "Students with a 504 plan", "section_504", True
            ),
        ),
        complete=False,
    ),
    equity.Dimension(
        "economically_disadvantaged",
        "Economically disadvantaged",
        (
            equity.GroupSpec(
                "economically_disadvantaged",
                "economically_disadvantaged",
                "Economically disadvantaged",
                "economically_disadvantaged",
                True,
            ),
        ),
        complete=False,
    ),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    eligible_label: str  # who N counts
    outcome_label: str  # who X counts
    eligible: str  # column of the pipeline frame (or "all")
    outcome: str
    source: str  # pipeline_sources() key


STEPS: tuple[Step, ...] = (
    Step(
        "screened",
        "Screened",
        "Active students",
        "Screened this window",
        "all",
        "screened",
        "screened",
    ),
    Step(
        "at_risk",
        "At risk",
        "Students screened with a cut score",
        "At some or high risk",
        "classified",
        "at_risk",
        "at_risk",
    ),
    Step(
        "flagged",
        "Flagged by the rules",
        "Active students",
        "Flagged this school year",
        "all",
        "flagged",
        "flagged",
    ),
    Step(
        "placed",
        "Placed in Tier 2/3 (given at risk)",
        "Students at risk",
        "In an intervention plan this year",
        "at_risk",
        "placed",
        "placed",
    ),
    Step(
        "fidelity",
        "Plan delivered with fidelity of 80% or more",
        "Students with a plan and logged sessions",
        "Fidelity of 80% or more",
        "fidelity_known",
        "fidelity_ok",
        "fidelity",
    ),
    Step(
        "responding",
        "Responding",
        "Students with a plan and a trend",
        "Trend at or above the aim line",
        "trend_known",
        "responding",
        "responding",
    ),
    Step(
        "exited",
        "Exited with the goal met",
        "Students with a plan this year",
        "Plan completed with the goal met",
        "placed_any",
        "exited",
        "exited",
    ),
    Step(
        "referred",
        "Referred for special-education evaluation",
        "Active students",
        "Referred for evaluation",
        "all",
        "referred",
        "referred",
    ),
    Step(
        "overridden",
        "Rules overridden by the team",
        "Students with a flag the team decided",
        "A flag the team dismissed",
        "decided",
        "overridden",
        "overridden",
    ),
)
STEP_BY_KEY = {s.key: s for s in STEPS}


def pipeline_frame(rows: Iterable[dict], extra: dict[str, set[Any]] | None = None) -> pd.DataFrame:
    """The pipeline rows as a frame (one row per combination, `weight` = students)."""
    frame = pd.DataFrame(list(rows))
    if frame.empty:
        frame = pd.DataFrame(
            columns=[
                "race_ethnicity",
                "sex",
                "english_learner",
                "iep",
                "section_504",
                "economically_disadvantaged",
                "screened",
                "classified",
                "at_risk",
                "flagged",
                "placed",
                "decided",
                "overridden",
                "exited",
                "n",
            ]
        )
    frame = frame.rename(columns={"n": "weight"})
    frame["all"] = True
    frame["placed_any"] = frame["placed"]
    for col in ("fidelity_known", "fidelity_ok", "trend_known", "responding", "referred"):
        if col not in frame.columns:
            frame[col] = False
    return frame


def equity_step(
    frame: pd.DataFrame,
    step: Step,
    *,
    dims: Sequence[equity.Dimension] = DIMENSIONS,
    t: equity.EquityThresholds = equity.DEFAULT_THRESHOLDS,
) -> tuple[equity.EquityRow, list[equity.EquityRow]]:
    """The "All students" row and one row per group for one step."""
    f = frame.assign(
        eligible=frame[step.eligible].astype(bool), outcome=frame[step.outcome].astype(bool)
    )
    w = f["weight"].astype(int)
    total_n = int(w[f["eligible"]].sum())
    total_x = int(w[f["eligible"] & f["outcome"]].sum())
    counts = equity.group_counts(f, dims)
    rows = equity.equity_rows(
        counts, total_n=total_n, total_x=total_x, dims=dims, t=t, access_step=step.key == "placed"
    )
    return equity.total_row(total_n, total_x), rows


EQUITY_COLUMNS = [
    Column("group", "Student group", False),
    Column("n", "N (eligible)"),
    Column("x", "X (with the outcome)"),
    Column("risk", "Risk (X / N)"),
    Column("risk_ratio", "Risk ratio"),
    Column("composition", "Share of those with the outcome"),
    Column("enrollment_share", "Share of those eligible"),
    Column("band", "Band", False),
]


def equity_table(total: equity.EquityRow, rows: list[equity.EquityRow], step: Step) -> Table:
    table = Table(
        key="equity",
        caption=f"{step.label}: N = {step.eligible_label.lower()}, X = {step.outcome_label.lower()}",
        columns=list(EQUITY_COLUMNS),
    )
    for row in [total, *rows]:
        pub = row.published()
        band = pub["band"]
        if row.access_gap:
            band = f"{band} (access gap)"
        table.add(
            {
                "group": row.group,
                "n": show_count(row.n, row.n_hidden),
                "x": show_count(row.x, row.x_hidden),
                "risk": show_percent(row.risk, row.risk_hidden),
                "risk_ratio": SUPPRESSED
                if row.risk_hidden
                else (
                    ""
                    if row.key == "all"
                    else (
                        "not enough students" if row.risk_ratio is None else f"{row.risk_ratio:.2f}"
                    )
                ),
                "composition": show_percent(row.composition, row.x_hidden),
                "enrollment_share": show_percent(row.enrollment_share, row.n_hidden),
                "band": band,
            },
            {**pub, "key": row.key, "dimension": row.dimension, "access_gap": row.access_gap},
            mark=row.access_gap or row.key == "all",
        )
    return table


def pipeline_overview(
    frame: pd.DataFrame,
    *,
    available: dict[str, bool],
    t: equity.EquityThresholds = equity.DEFAULT_THRESHOLDS,
) -> Table:
    """Every step at a glance: all students' N, X and risk; groups in each band; access
    gaps. A step without data says so instead of showing zeros."""
    table = Table(
        key="pipeline",
        caption="Equity across the pipeline",
        columns=[
            Column("step", "Step", False),
            Column("n", "N (eligible)"),
            Column("x", "X (with the outcome)"),
            Column("risk", "Risk"),
            Column("over", "Groups over-represented or at risk", False),
            Column("under", "Groups under-represented", False),
        ],
    )
    for step in STEPS:
        if not available.get(step.source, False):
            table.add(
                {
                    "step": step.label,
                    "n": "no data yet",
                    "x": "",
                    "risk": "",
                    "over": "",
                    "under": "",
                },
                {"step": step.key, "available": False},
            )
            continue
        total, rows = equity_step(frame, step, t=t)
        pub = total.published()
        over = [
            r.group
            for r in rows
            if r.published()["band"] in (equity.BAND_AT_RISK, equity.BAND_OVER)
        ]
        under = [r.group for r in rows if r.published()["band"] == equity.BAND_UNDER]
        gaps = [r.group for r in rows if r.access_gap]
        table.add(
            {
                "step": step.label,
                "n": show_count(total.n, total.n_hidden),
                "x": show_count(total.x, total.x_hidden),
                "risk": show_percent(total.risk, total.risk_hidden),
                "over": ", ".join(over) or "none",
                "under": (", ".join(under) or "none") + (" (access gap)" if gaps else ""),
            },
            {
                "step": step.key,
                "available": True,
                "n": pub["n"],
                "x": pub["x"],
                "risk": pub["risk"],
                "over": over,
                "under": under,
                "access_gaps": gaps,
            },
            mark=bool(gaps),
        )
    return table


# -- interventions -----------------------------------------------------------------------------


def plan_outcomes(
    plans: pd.DataFrame, recs: pd.DataFrame, *, fidelity_minimum: float = 0.8
) -> pd.DataFrame:
    """Per plan: trend (ROI), responding (trend at or above the aim slope, mirrored for
    lower-is-better), fidelity and its 80 % check, exited with the goal met (a completed
    plan whose last points met the goal: the rules' goal-met test, since the exit reason is
    free text).

    `plans`: plan_id, student_id, school_id, intervention, status, higher_is_better.
    `recs`: decisions.progress_rules.progress_recommendations output (plan_id, trend_slope,
    aim_slope, fidelity, rule)."""
    merged = plans.merge(
        recs[["plan_id", "trend_slope", "aim_slope", "fidelity", "rule"]], on="plan_id", how="left"
    )
    d = np.where(
        merged.get("higher_is_better", pd.Series(True, index=merged.index))
        .fillna(True)
        .astype(bool),
        1.0,
        -1.0,
    )
    slope = merged["trend_slope"].astype(float)
    aim = merged["aim_slope"].astype(float)
    known = slope.notna() & aim.notna()
    merged["trend_known"] = known
    merged["responding"] = known & (d * (slope - aim) >= -1e-9)
    fid = merged["fidelity"].astype(float)
    merged["fidelity_known"] = fid.notna()
    merged["fidelity_ok"] = fid.notna() & (fid >= fidelity_minimum - 1e-9)
    merged["exited"] = (merged["status"] == "completed") & (merged["rule"] == "goal_met")
    return merged


def _effect_aggregates(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of plans: students served, median ROI (plans with a trend), plans with a
    trend and responding, plans and exited with the goal met, median fidelity (plans with
    a known fidelity). One grouped pass."""
    f = frame.assign(
        _roi=frame["trend_slope"].astype(float).where(frame["trend_known"].astype(bool)),
        _fid=frame["fidelity"].astype(float).where(frame["fidelity_known"].astype(bool)),
        _trend=frame["trend_known"].astype(int),
        _resp=frame["responding"].astype(int),
        _exit=frame["exited"].astype(int),
    )
    return f.groupby(keys, sort=False).agg(
        served=("student_id", "nunique"),
        median_roi=("_roi", "median"),
        trend_n=("_trend", "sum"),
        responding=("_resp", "sum"),
        plans=("plan_id", "size"),
        exited=("_exit", "sum"),
        median_fidelity=("_fid", "median"),
    )


def _effect_figures(a: Any) -> Callable[[bool], tuple[dict, dict]]:
    served = int(a.served)
    roi = _num(a.median_roi)
    responding = a.responding / a.trend_n if a.trend_n else None
    exited = a.exited / a.plans if a.plans else None
    med_fid = _num(a.median_fidelity)

    def f(hidden: bool) -> tuple[dict, dict]:
        return (
            {
                "served": show_count(served, hidden),
                "median_roi": SUPPRESSED
                if hidden
                else ("no data yet" if roi is None else _fmt_signed(roi, 2)),
                "responding_pct": SUPPRESSED
                if hidden
                else (
                    "no data yet" if responding is None else show_percent(float(responding), False)
                ),
                "exited_pct": show_percent(None if exited is None else float(exited), hidden),
                "median_fidelity": SUPPRESSED
                if hidden
                else ("no data yet" if med_fid is None else show_percent(med_fid, False)),
            },
            {
                "served": None if hidden else served,
                "median_roi": None if hidden else roi,
                "responding_share": None if hidden or responding is None else float(responding),
                "exited_share": None if hidden or exited is None else float(exited),
                "median_fidelity": None if hidden else med_fid,
            },
        )

    return f


def effectiveness_table(outcomes: pd.DataFrame, *, school_names: dict[int, str]) -> Table:
    """Per intervention and school: students served, median ROI, percent responding,
    percent exited with the goal met, median fidelity. A row of fewer than 10 students is
    hidden whole, and a second row of the same intervention when the intervention's total
    is shown."""
    table = Table(
        key="effectiveness",
        caption="Intervention effectiveness",
        columns=[
            Column("intervention", "Intervention", False),
            Column("unit", "School", False),
            Column("served", "Students served"),
            Column("median_roi", "Median rate of improvement (per week)"),
            Column("responding_pct", "Responding"),
            Column("exited_pct", "Exited with the goal met"),
            Column("median_fidelity", "Median fidelity"),
        ],
    )
    if outcomes.empty:
        return table
    per_school = _effect_aggregates(outcomes, ["intervention", "school_id"])
    per_intervention = _effect_aggregates(outcomes, ["intervention"])
    schools_of: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for (intervention, school_id), a in per_school.iterrows():
        schools_of[intervention].append((school_id, a))
    for intervention in sorted(schools_of):
        rows = sorted(schools_of[intervention], key=lambda kv: school_names.get(kv[0], ""))
        items = [
            (
                school_names.get(sid, str(sid)),
                {"intervention": intervention, "unit": school_names.get(sid, str(sid))},
                {"intervention": intervention, "unit": school_names.get(sid, str(sid))},
                int(a.served),
                _effect_figures(a),
            )
            for sid, a in rows
        ]
        total = None
        if len(items) > 1:
            a = per_intervention.loc[intervention]
            unit = {"intervention": intervention, "unit": "All schools"}
            total = (unit, dict(unit), int(a.served), _effect_figures(a))
        _rate_block(table, items, total=total)
    return table


def student_plan_flags(outcomes: pd.DataFrame) -> dict[str, set[Any]]:
    """Students per plan-derived pipeline step (a student's latest plan decides)."""
    if outcomes.empty:
        return {
            k: set()
            for k in ("fidelity_known", "fidelity_ok", "trend_known", "responding", "exited")
        }
    latest = outcomes.sort_values(["student_id", "plan_id"]).groupby("student_id").tail(1)
    out = {
        col: set(latest.loc[latest[col].astype(bool), "student_id"].tolist())
        for col in ("fidelity_known", "fidelity_ok", "trend_known", "responding")
    }
    out["exited"] = set(outcomes.loc[outcomes["exited"].astype(bool), "student_id"].tolist())
    return out


# -- behavior ----------------------------------------------------------------------------------


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
            shown["share"] = show_percent(count / total if total else None, h)
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
        shown["share"] = show_percent(1.0 if total else None, th)
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
) -> dict[str, Table]:
    """The SWIS "Big 5" and the referral bands.

    `aggregates`: referral_aggregates rows (dimension, month, location, problem_behavior,
    hour, n). `bands`: band (1: 0-1, 2: 2-5, 3: 6+), n students. Referral counts below 10
    are hidden like student counts (a handful of referrals can be one student's), with
    complementary cells along each list, whose total is shown."""
    by_dim: dict[str, list[dict]] = defaultdict(list)
    for r in aggregates:
        by_dim[r["dimension"]].append(r)

    months = Table(
        key="months",
        caption="Referrals per school day, by month",
        columns=[
            Column("label", "Month", False),
            Column("count", "Referrals"),
            Column("days", "School days"),
            Column("per_day", "Referrals per school day"),
        ],
    )
    per_month = {r["month"]: int(r["n"]) for r in by_dim["month"]}
    spans = month_spans(year_start, year_end, as_of)
    counts = [per_month.get(m, 0) for m, _, _ in spans]
    hidden = _protect_sizes(counts) if spans else []
    for (month, first, last), count, h in zip(spans, counts, hidden, strict=True):
        days = school_days(first, last)
        rate = count / days if days else None
        months.add(
            {
                "label": month.strftime("%B %Y"),
                "count": show_count(count, h),
                "days": f"{days}",
                "per_day": SUPPRESSED if h else _fmt_number(rate, 2),
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
        days = sum(school_days(a, b) for _, a, b in spans)
        th = suppression.is_small(total)
        months.add(
            {
                "label": "Whole year so far",
                "count": show_count(total, th),
                "days": f"{days}",
                "per_day": SUPPRESSED if th else _fmt_number(total / days if days else None, 2),
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
    months.note = "School days are the weekdays from the first day of school to the as-of date; holidays are not subtracted."

    def simple(key: str, caption: str, head: str, items: list[tuple[str, dict, int]]) -> Table:
        t = Table(
            key=key,
            caption=caption,
            columns=[
                Column("label", head, False),
                Column("count", "Referrals"),
                Column("share", "Share"),
            ],
        )
        if items:
            _count_line(t, items, total_label="All referrals", total_data={key: None})
        return t

    locations = simple(
        "locations",
        "Referrals by location",
        "Location",
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
        "Referrals by problem behavior",
        "Problem behavior",
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
        "Referrals by time of day",
        "Time of day",
        [
            (_hour_label(r["hour"]), {"hour": r["hour"]}, int(r["n"]))
            for r in sorted(by_dim["hour"], key=lambda r: (r["hour"] is None, r["hour"] or 0))
        ],
    )

    band_table = Table(
        key="bands",
        caption="Students by number of referrals this year",
        columns=[
            Column("label", "Referrals", False),
            Column("count", "Students"),
            Column("share", "Share of students"),
        ],
    )
    per_band = {int(r["band"]): int(r["n"]) for r in bands}
    if per_band:
        labels = {
            1: "0–1 referrals (Tier 1 range)",
            2: "2–5 referrals (Tier 2 range)",
            3: "6 or more referrals (Tier 3 range)",
        }
        _count_line(
            band_table,
            [(labels[b], {"band": b}, per_band.get(b, 0)) for b in (1, 2, 3)],
            total_label="All students",
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
        return "Time not recorded"
    start = dt.time(hour).strftime("%-I %p").lower()
    end = dt.time((hour + 1) % 24).strftime("%-I %p").lower()
    return f"{start}–{end}"


def median_or_none(values: Iterable[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
