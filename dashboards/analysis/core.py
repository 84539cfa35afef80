"""Core instruction tables: percent at benchmark, classwide problems, growth between windows."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext, gettext_noop

from dashboards import suppression
from dashboards.analysis.table import (
    Column,
    Table,
    _fmt_number,
    _fmt_signed,
    _num,
    _rate_block,
    grade_label,
)
from dashboards.suppression import hidden_label, show_count, show_percent

BENCHMARK_GOAL = 0.80


def benchmark_table(
    rows: Iterable[dict], *, by: str, school_names: dict[int, str], measure_names: dict[int, str]
) -> Table:
    """Percent at or above benchmark per measure and school (or grade): the 80 % check.

    `rows`: measure_id, school_id, grade, scored, classified, at_or_above. The rate's group
    is the students with a classified score."""
    table = Table(
        key="benchmark",
        caption=gettext("Percent at or above benchmark (is core instruction reaching 80%?)"),
        columns=[
            Column("measure", gettext_noop("Measure"), False),
            Column(
                "unit", gettext_noop("School") if by == "school" else gettext_noop("Grade"), False
            ),
            Column("students", gettext_noop("Students screened")),
            Column("at_or_above_pct", gettext_noop("At or above benchmark")),
            Column("meets", gettext_noop("80% or more?"), False),
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
                        "at_or_above_pct": show_percent(share, hidden, of=n),
                        "meets": hidden_label(n)
                        if hidden
                        else (
                            "" if meets is None else (gettext("Yes") if meets else gettext("No"))
                        ),
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
                {"measure": name, "unit": gettext("All")},
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
        caption=gettext("Classes: percent at or above benchmark and classwide problems"),
        columns=[
            Column("section", gettext_noop("Class"), False),
            Column("measure", gettext_noop("Measure"), False),
            Column("students", gettext_noop("Students screened")),
            Column("at_or_above_pct", gettext_noop("At or above benchmark")),
            Column("median", gettext_noop("Median score")),
            Column("benchmark", gettext_noop("Benchmark")),
            Column("classwide", gettext_noop("Classwide problem?"), False),
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
                "at_or_above_pct": show_percent(share, hidden, of=int(r["scored"])),
                "median": hidden_label(int(r["scored"]))
                if hidden
                else _fmt_number(_num(r["median_score"])),
                "benchmark": _fmt_number(bench)
                if bench is not None
                else (gettext("mixed grades") if gap is not None else "none"),
                "classwide": hidden_label(int(r["scored"]))
                if hidden
                else ("" if problem is None else (gettext("Yes") if problem else gettext("No"))),
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

    `rows`: school_id, measure_id, problems (selectors.core.classwide_flag_counts)."""
    table = Table(
        key="classwide",
        caption=gettext(
            "Classes with a classwide problem (class median below benchmark), per school"
        ),
        columns=[
            Column("unit", gettext_noop("School"), False),
            Column("measure", gettext_noop("Measure"), False),
            Column("problems", gettext_noop("Classes with a classwide problem")),
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
        caption=gettext("Growth from %(start)s to %(end)s")
        % {"start": window_from, "end": window_to},
        columns=[
            Column("measure", gettext_noop("Measure"), False),
            Column(
                "unit", gettext_noop("School") if by == "school" else gettext_noop("Grade"), False
            ),
            Column("students", gettext_noop("Students with both scores")),
            Column("median_change", gettext_noop("Median change of score")),
            Column("up_pct", gettext_noop("Moved up a risk level")),
            Column("down_pct", gettext_noop("Moved down a risk level")),
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
                        "median_change": hidden_label(n) if hidden else _fmt_signed(median),
                        "up_pct": show_percent(up_share, hidden, of=n),
                        "down_pct": show_percent(down_share, hidden, of=n),
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
    table.note = gettext(
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


def median_or_none(values: Iterable[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
