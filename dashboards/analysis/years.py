"""The last three school years side by side: risk levels per window, risk ratios per step
(with the "three years in a row" test disproportionality rules use), referrals per year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext, gettext_noop

from dashboards import band_words, equity, suppression
from dashboards.analysis.table import Column, Table
from dashboards.suppression import show_count, show_percent

LEVELS = ("at_or_above", "some_risk", "high_risk")
BENCHMARK_GOAL = 0.8


def levels_table(
    rows: Iterable[dict], *, windows: Sequence[Any], measure_names: dict[int, str]
) -> Table:
    """Per measure and window (oldest first): students screened, percent at or above
    benchmark (and the 80% check), at some risk, at high risk. The levels and the scores
    without a cut score add up to the screened total, so they are a line for complementary
    suppression."""
    table = Table(
        key="years",
        caption=gettext("Screening results over the last three school years"),
        columns=[
            Column("measure", gettext_noop("Measure"), False),
            Column("window", gettext_noop("Window"), False),
            Column("screened", gettext_noop("Screened")),
            Column("at_or_above_pct", gettext_noop("At or above benchmark")),
            Column("meets", gettext_noop("80% at benchmark?"), False),
            Column("some_risk_pct", gettext_noop("Some risk")),
            Column("high_risk_pct", gettext_noop("High risk")),
        ],
    )
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        level = r["risk_level"] if r["risk_level"] in LEVELS else "none"
        counts[(r["measure_id"], r["window_id"])][level] += int(r["n"])
    order = {w.pk: i for i, w in enumerate(windows)}
    label = {w.pk: str(w) for w in windows}
    keys = sorted(counts, key=lambda k: (measure_names.get(k[0], str(k[0])), order.get(k[1], 0)))
    for measure_id, window_id in keys:
        c = counts[(measure_id, window_id)]
        line = [c[level] for level in LEVELS] + [c["none"]]
        screened = sum(line)
        total_hidden = suppression.is_small(screened)
        hidden = suppression.protect_line(line, suppression.primary(line))
        hidden = [h or total_hidden for h in hidden]
        classified = screened - c["none"]
        shares = [v / screened if screened else None for v in line]
        at = shares[0]
        meets = "" if at is None else (gettext("Yes") if at >= BENCHMARK_GOAL else gettext("No"))
        table.add(
            {
                "measure": measure_names.get(measure_id, str(measure_id)),
                "window": label.get(window_id, str(window_id)),
                "screened": show_count(screened, total_hidden),
                "at_or_above_pct": show_percent(at, hidden[0], of=line[0]),
                "meets": suppression.hidden_label(line[0]) if hidden[0] else meets,
                "some_risk_pct": show_percent(shares[1], hidden[1], of=line[1]),
                "high_risk_pct": show_percent(shares[2], hidden[2], of=line[2]),
            },
            {
                "measure_id": measure_id,
                "window_id": window_id,
                "screened": None if total_hidden else screened,
                "classified": None if total_hidden else classified,
                "at_or_above_share": None if hidden[0] else at,
                "some_risk_share": None if hidden[1] else shares[1],
                "high_risk_share": None if hidden[2] else shares[2],
                "suppressed": any(hidden),
            },
        )
    return table


def consecutive_concern(bands: Sequence[str | None], *, desirable: bool) -> bool:
    """A group whose published band is a concern (over-represented or at risk; for a
    desirable outcome, less access) in every one of the years, three years in a row."""
    concern = equity.CONCERN[desirable]
    return len(bands) >= 3 and all(b in concern for b in bands[-3:])


def equity_years_table(
    per_year: Sequence[tuple[str, Sequence[equity.EquityRow] | None]], *, step: Any
) -> Table:
    """One row per group: its risk ratio and band in each year (as published that year:
    hidden, not enough students, or the figure), and whether its band was a concern three
    years in a row. `per_year`: (year name, that year's rows, or None without data)."""
    columns = [Column("group", gettext_noop("Student group"), False)]
    columns += [Column(f"y{i}", name) for i, (name, _) in enumerate(per_year)]
    columns.append(Column("three_years", gettext_noop("A concern three years in a row"), False))
    table = Table(
        key="equity_years",
        caption=gettext("%(step)s: risk ratio and band per school year") % {"step": step.label},
        columns=columns,
    )
    groups: dict[str, str] = {}
    by_year: list[dict[str, equity.EquityRow]] = []
    for _, rows in per_year:
        mapping = {r.key: r for r in rows or ()}
        by_year.append(mapping)
        for r in rows or ():
            groups.setdefault(r.key, r.group)
    for key, group in groups.items():
        shown: dict[str, str] = {"group": group}
        page: dict[str, str] = {}
        data: dict[str, Any] = {"key": key, "group": group, "years": []}
        bands: list[str | None] = []
        for i, ((name, rows), mapping) in enumerate(zip(per_year, by_year, strict=True)):
            row = mapping.get(key)
            if rows is None:
                text, band, rr = gettext("no data yet"), None, None
            elif row is None:
                text, band, rr = gettext("no students"), None, None
            else:
                pub = row.published()
                band, rr = pub["band"], pub["risk_ratio"]
                if row.risk_hidden:
                    text = row.hidden_label
                elif rr is None:
                    text = band
                else:
                    text = f"{rr:.2f} ({band})"
                    page[f"y{i}"] = f"{rr:.2f} ({band_words.shown(band)})"
            shown[f"y{i}"] = text
            data["years"].append({"year": name, "risk_ratio": rr, "band": band})
            bands.append(band)
        three = consecutive_concern(bands, desirable=step.desirable)
        shown["three_years"] = (
            gettext("Yes") if three else (gettext("No") if len(per_year) >= 3 else "")
        )
        data["three_years"] = three
        table.add(shown, data, mark=three, page=page)
    return table


def behavior_years_table(rows: Iterable[dict], *, years: Sequence[Any]) -> Table:
    """Per school year: referrals, major referrals, students with a major referral, students
    suspended. Years are not parts of a published total, so each count stands alone."""
    table = Table(
        key="behavior_years",
        caption=gettext("Office referrals over the last three school years"),
        columns=[
            Column("year", gettext_noop("School year"), False),
            Column("referrals", gettext_noop("Referrals")),
            Column("majors", gettext_noop("Major referrals")),
            Column("students_major", gettext_noop("Students with a major referral")),
            Column("students_suspended", gettext_noop("Students suspended")),
        ],
    )
    by_year = {r["school_year_id"]: r for r in rows}
    keys = ("referrals", "majors", "students_major", "students_suspended")
    for year in years:
        r = by_year.get(year.pk, {})
        shown: dict[str, str] = {"year": year.name}
        data: dict[str, Any] = {"year": year.name}
        for k in keys:
            v = int(r.get(k, 0))
            h = suppression.is_small(v)
            shown[k] = show_count(v, h)
            data[k] = None if h else v
        table.add(shown, data)
    return table
