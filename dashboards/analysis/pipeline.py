"""Equity across the pipeline: student groups, steps, and each step's N, X and risk per group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext, gettext_noop
from pandas.api.types import is_string_dtype

from dashboards import band_words, equity
from dashboards.analysis.steps import (
    DIMENSIONS as DIMENSIONS,
)
from dashboards.analysis.steps import (
    RACE_LABELS as RACE_LABELS,
)
from dashboards.analysis.steps import (
    SEX_LABELS as SEX_LABELS,
)
from dashboards.analysis.steps import (
    STEP_BY_KEY as STEP_BY_KEY,
)
from dashboards.analysis.steps import (
    STEPS as STEPS,
)
from dashboards.analysis.steps import (
    Step as Step,
)
from dashboards.analysis.table import Column, Table
from dashboards.pipeline_columns import PIPELINE_COLUMNS
from dashboards.suppression import show_count, show_percent


def pipeline_frame(
    rows: Iterable[dict] | dict[str, list], extra: dict[str, set[Any]] | None = None
) -> pd.DataFrame:
    """The pipeline rows (dicts, or columns of values) as a frame (one row per combination,
    `weight` = students)."""
    frame = pd.DataFrame(rows if isinstance(rows, dict) else list(rows))
    if frame.empty:
        frame = pd.DataFrame(columns=[*PIPELINE_COLUMNS, "n"])
    frame = frame.rename(columns={"n": "weight"})
    frame["all"] = True
    if "placed" in frame.columns:
        frame["placed_any"] = frame["placed"]
    for col in (
        "fidelity_known",
        "fidelity_ok",
        "trend_known",
        "responding",
        "referred",
        "major_referral",
        "suspended",
    ):
        if col not in frame.columns:
            frame[col] = False
    return frame


def step_columns(step: Step) -> tuple[str, ...]:
    """The pipeline columns a step's N and X are read from ("all" is every row, and
    "placed_any" is the frame's copy of "placed")."""
    aliases = {"all": None, "placed_any": "placed"}
    cols = (aliases.get(step.eligible, step.eligible), aliases.get(step.outcome, step.outcome))
    return tuple(dict.fromkeys(c for c in cols if c))


def equity_step(
    frame: pd.DataFrame,
    step: Step,
    *,
    dims: Sequence[equity.Dimension] = DIMENSIONS,
    t: equity.EquityThresholds = equity.DEFAULT_THRESHOLDS,
    district: pd.DataFrame | None = None,
) -> tuple[equity.EquityRow, list[equity.EquityRow]]:
    """The "All students" row and one row per group for one step. `district`: the district's
    pipeline frame, for the alternate risk ratio of a school's groups."""
    total_n, total_x, counts = step_counts(frame, step, dims)
    district_counts = district_total = None
    if district is not None:
        dn, dx, district_counts = step_counts(district, step, dims)
        district_total = (dn, dx)
    rows = equity.equity_rows(
        counts,
        total_n=total_n,
        total_x=total_x,
        dims=dims,
        t=t,
        access_step=step.key == "placed",
        desirable=step.desirable,
        district=district_counts,
        district_total=district_total,
    )
    return equity.total_row(total_n, total_x), rows


def step_counts(
    frame: pd.DataFrame, step: Step, dims: Sequence[equity.Dimension] = DIMENSIONS
) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """All students' N and X for the step, and {group key: (N, X)}."""
    w = frame["weight"].to_numpy(dtype=np.int64)
    eligible = frame[step.eligible].to_numpy(dtype=bool)
    hit = eligible & frame[step.outcome].to_numpy(dtype=bool)
    columns = {g.column for dim in dims for g in dim.groups}
    # Text columns as numpy strings: comparing them is vectorised (object arrays compare
    # element by element in Python, ~15 ms over the overview's 14 steps).
    values = {
        c: frame[c].to_numpy(dtype=str) if is_string_dtype(frame[c].dtype) else frame[c].to_numpy()
        for c in columns
    }
    counts = equity.group_counts_of(w, eligible, hit, values, dims)
    return int(w[eligible].sum()), int(w[hit].sum()), counts


def needs_district_comparison(
    frame: pd.DataFrame,
    step: Step,
    dims: Sequence[equity.Dimension] = DIMENSIONS,
    t: equity.EquityThresholds = equity.DEFAULT_THRESHOLDS,
) -> bool:
    """Whether some group passes the gates while its comparison here does not (then the
    alternate risk ratio, against the district, is worth a query)."""
    total_n, total_x, counts = step_counts(frame, step, dims)
    return any(
        equity.passes_gates(n, x, t) and not equity.passes_gates(total_n - n, total_x - x, t)
        for n, x in counts.values()
    )


EQUITY_COLUMNS = [
    Column("group", gettext_noop("Student group"), False),
    Column("n", gettext_noop("N (eligible)")),
    Column("x", gettext_noop("X (with the outcome)")),
    Column("risk", gettext_noop("Risk (X / N)")),
    Column("risk_ratio", gettext_noop("Risk ratio")),
    Column("composition", gettext_noop("Share of those with the outcome")),
    Column("enrollment_share", gettext_noop("Share of those eligible")),
    Column("band", gettext_noop("Band"), False),
]


def equity_table(total: equity.EquityRow, rows: list[equity.EquityRow], step: Step) -> Table:
    table = Table(
        key="equity",
        caption=gettext("%(step)s: N = %(eligible)s, X = %(outcome)s")
        % {
            "step": step.label,
            "eligible": step.eligible_label.lower(),
            "outcome": step.outcome_label.lower(),
        },
        columns=list(EQUITY_COLUMNS),
    )
    if any(r.alternate for r in rows):
        table.note = gettext(
            'A ratio marked "against the district" is the alternate risk ratio: this school\'s '
            "other students are too few for a comparison, so the group is compared with the "
            "district's students outside the group."
        )
    for row in [total, *rows]:
        pub = row.published()
        band = shown_band = pub["band"]
        if row.access_gap:
            # The CSV keeps the band's code; the page says it in the reader's language.
            band = gettext("%(band)s (access gap)") % {"band": band}
            shown_band = gettext("%(band)s (access gap)") % {"band": band_words.shown(pub["band"])}
        if row.risk_hidden:
            ratio = row.hidden_label
        elif row.key == "all":
            ratio = ""
        elif row.risk_ratio is None:
            ratio = gettext("not enough students")
        else:
            ratio = f"{row.risk_ratio:.2f}"
            if row.alternate:
                ratio = gettext("%(ratio)s (against the district)") % {"ratio": ratio}
        table.add(
            {
                "group": row.group,
                "n": show_count(row.n, row.n_hidden),
                "x": show_count(row.x, row.x_hidden),
                "risk": show_percent(row.risk, row.risk_hidden, of=row.n if row.x >= 10 else 0),
                "risk_ratio": ratio,
                "composition": show_percent(row.composition, row.x_hidden, of=row.x),
                "enrollment_share": show_percent(row.enrollment_share, row.n_hidden, of=row.n),
                "band": band,
            },
            {
                **pub,
                "key": row.key,
                "dimension": row.dimension,
                "access_gap": row.access_gap,
                "alternate": row.alternate,
            },
            mark=row.access_gap or row.key == "all",
            page={"band": shown_band} if row.access_gap else None,
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
        caption=gettext("Equity across the pipeline"),
        columns=[
            Column("step", gettext_noop("Step"), False),
            Column("n", gettext_noop("N (eligible)")),
            Column("x", gettext_noop("X (with the outcome)")),
            Column("risk", gettext_noop("Risk")),
            Column("concern", gettext_noop("Groups of concern"), False),
            Column("other", gettext_noop("Groups outside the usual range the other way"), False),
        ],
    )
    for step in STEPS:
        if not available.get(step.source, False):
            table.add(
                {
                    "step": step.label,
                    "n": gettext("no data yet"),
                    "x": "",
                    "risk": "",
                    "concern": "",
                    "other": "",
                },
                {"step": step.key, "available": False},
            )
            continue
        total, rows = equity_step(frame, step, t=t)
        pub = total.published()
        concern = equity.CONCERN[step.desirable]
        outside = (equity.BAND_NONE, equity.BAND_NOT_ENOUGH, *concern)
        bands = [(r.group, r.published()["band"]) for r in rows]
        # Adverse steps: over-represented / at risk are the concern; desirable: less access.
        over = [g for g, b in bands if b in concern]
        under = [
            g
            for g, b in bands
            if b in equity.BANDS + tuple(equity.DESIRABLE_WORDS.values()) and b not in outside
        ]
        gaps = [r.group for r in rows if r.access_gap]
        table.add(
            {
                "step": step.label,
                "n": show_count(total.n, total.n_hidden),
                "x": show_count(total.x, total.x_hidden),
                "risk": show_percent(total.risk, total.risk_hidden),
                "concern": (", ".join(over) or "none") + (gettext(" (access gap)") if gaps else ""),
                "other": ", ".join(under) or "none",
            },
            {
                "step": step.key,
                "available": True,
                "n": pub["n"],
                "x": pub["x"],
                "risk": pub["risk"],
                "concern": over,
                "other": under,
                "access_gaps": gaps,
            },
            mark=bool(gaps),
        )
    return table
