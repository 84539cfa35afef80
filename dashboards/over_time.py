"""The three-year views of the panels (`span=3`): the chosen school year and the two before
it, side by side, each worked out from stored rows with that year's filters."""

from __future__ import annotations

from collections.abc import Sequence

from dashboards import equity, plan_figures
from dashboards.analysis.pipeline import equity_step
from dashboards.analysis.table import Table
from dashboards.analysis.years import behavior_years_table, equity_years_table, levels_table
from dashboards.filters import Resolved
from dashboards.selectors.years import (
    measure_names,
    recent_years,
    referrals_by_year,
    risk_levels_by_window,
    windows_of,
    year_filters,
)


def levels(r: Resolved) -> Table:
    """Risk levels and percent at benchmark per measure and window, three years."""
    f = r.filters
    years = recent_years(f)
    windows = windows_of(years)
    rows = risk_levels_by_window(f, windows)
    names = {m.pk: m.name for m in r.measures} or measure_names({r["measure_id"] for r in rows})
    return levels_table(rows, windows=windows, measure_names=names)


def equity_years(
    r: Resolved, this_year: Sequence[equity.EquityRow], dims: Sequence[equity.Dimension]
) -> Table:
    """The chosen step's risk ratios per group and year, with "three years in a row"."""
    f, step = r.filters, r.step
    years = recent_years(f)
    windows = windows_of(years)
    per_year: list[tuple[str, Sequence[equity.EquityRow] | None]] = []
    for year in years:
        if year.pk == f.year.pk:
            per_year.append((year.name, this_year))
            continue
        fy = year_filters(f, year, windows)
        frame, available = plan_figures.pipeline(fy, step=step)
        if not available.get(step.source):
            per_year.append((year.name, None))
            continue
        _, rows = equity_step(frame, step, dims=dims)
        per_year.append((year.name, rows))
    return equity_years_table(per_year, step=step)


def behavior_years(r: Resolved) -> Table:
    f = r.filters
    years = recent_years(f)
    return behavior_years_table(referrals_by_year(f, years), years=years)
