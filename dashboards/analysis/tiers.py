"""Tier tables: students by screening tier or tier placement, and movement between windows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext, gettext_noop

from dashboards import suppression
from dashboards.analysis.table import DOMAIN_LABELS, Column, Table, _protect_sizes, grade_label
from dashboards.suppression import show_count, show_percent

TIER_GUIDE = {1: 0.80, 2: 0.15, 3: 0.05}


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
        caption=gettext("Students by tier (from screening), against the 80 / 15 / 5 guide"),
        columns=[
            Column("domain", gettext_noop("Domain"), False),
            Column(
                "unit", gettext_noop("School") if by == "school" else gettext_noop("Grade"), False
            ),
            Column("tier1", gettext_noop("Tier 1")),
            Column("tier1_pct", gettext_noop("Tier 1 %")),
            Column("tier2", gettext_noop("Tier 2")),
            Column("tier2_pct", gettext_noop("Tier 2 %")),
            Column("tier3", gettext_noop("Tier 3")),
            Column("tier3_pct", gettext_noop("Tier 3 %")),
            Column("screened", gettext_noop("Screened")),
            Column("not_screened", gettext_noop("Not screened")),
            Column("guide", gettext_noop("Tier 1 at 80% or more?"), False),
        ],
    )
    counts: dict[str, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for r in rows:
        unit = r["school_id"] if by == "school" else r["grade"]
        slot = 3 if r["tier"] is None else int(r["tier"]) - 1
        counts[r["domain"]][unit][slot] += int(r["n"])

    def unit_label(unit: Any) -> str:
        return (
            school_names.get(unit, gettext("School %(id)s") % {"id": unit})
            if by == "school"
            else grade_label(unit)
        )

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
                    gettext("All"),
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
            shown = {"domain": gettext(DOMAIN_LABELS.get(domain, domain)), "unit": label}
            data: dict[str, Any] = {"domain": domain, "unit": label, "all": is_total}
            for t in (1, 2, 3):
                h = hidden[t - 1] or total_hidden
                share = cells[t - 1] / screened if screened else None
                shown[f"tier{t}"] = show_count(cells[t - 1], h)
                shown[f"tier{t}_pct"] = show_percent(share, h, of=cells[t - 1])
                data[f"tier{t}"] = None if h else cells[t - 1]
                data[f"tier{t}_share"] = None if h else share
            shown["screened"] = show_count(screened, total_hidden)
            data["screened"] = None if total_hidden else screened
            shown["not_screened"] = show_count(ns, ns_hidden)
            data["not_screened"] = None if ns_hidden else ns
            t1 = data["tier1_share"]
            if hidden[0] or total_hidden:
                shown["guide"] = suppression.hidden_label(min(cells[0], screened))
            elif t1 is None:
                shown["guide"] = ""  # nobody screened: nothing to compare
            else:
                shown["guide"] = gettext("Yes") if t1 >= TIER_GUIDE[1] else gettext("No")
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
    table.caption = gettext("Students by current tier placement, against the 80 / 15 / 5 guide")
    table.columns = [c for c in table.columns if c.key != "not_screened"]
    table.columns = [
        Column(c.key, gettext_noop("Students") if c.key == "screened" else c.msgid, c.numeric)
        for c in table.columns
    ]
    return table


def movement_table(rows: Iterable[dict], *, window_from: str, window_to: str) -> Table:
    """Students by (tier in the earlier window, tier in this one), per domain; both margins
    shown, so each domain's 3 x 3 table is protected in two dimensions."""
    table = Table(
        key="movement",
        caption=gettext("Movement between tiers from %(start)s to %(end)s")
        % {"start": window_from, "end": window_to},
        columns=[
            Column("domain", gettext_noop("Domain"), False),
            Column("from", gettext("Tier in %(window)s") % {"window": window_from}, False),
            Column("to1", gettext("Tier 1 in %(window)s") % {"window": window_to}),
            Column("to2", gettext("Tier 2 in %(window)s") % {"window": window_to}),
            Column("to3", gettext("Tier 3 in %(window)s") % {"window": window_to}),
            Column("total", gettext_noop("Students")),
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
        label = gettext(DOMAIN_LABELS.get(domain, domain))
        for i, cells in enumerate(matrix):
            hidden = [h or mask.row_totals[i] for h in mask.cells[i]]
            shown = {"domain": label, "from": gettext("Tier %(tier)s") % {"tier": i + 1}}
            data: dict[str, Any] = {"domain": domain, "from": i + 1}
            for j in range(3):
                shown[f"to{j + 1}"] = show_count(cells[j], hidden[j])
                data[f"to{j + 1}"] = None if hidden[j] else cells[j]
            shown["total"] = show_count(sum(cells), mask.row_totals[i])
            data["total"] = None if mask.row_totals[i] else sum(cells)
            table.add(shown, data)
        col_sums = [sum(r[j] for r in matrix) for j in range(3)]
        shown = {"domain": label, "from": gettext("All")}
        data = {"domain": domain, "from": None}
        for j in range(3):
            shown[f"to{j + 1}"] = show_count(col_sums[j], mask.column_totals[j])
            data[f"to{j + 1}"] = None if mask.column_totals[j] else col_sums[j]
        shown["total"] = show_count(sum(col_sums), mask.grand_total)
        data["total"] = None if mask.grand_total else sum(col_sums)
        table.add(shown, data, mark=True)
    return table
