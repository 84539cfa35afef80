"""Equity across the pipeline: student groups, steps, and each step's N, X and risk per group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards import equity
from dashboards.analysis.table import Column, Table
from dashboards.pipeline_columns import PIPELINE_COLUMNS
from dashboards.suppression import SUPPRESSED, show_count, show_percent

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
        frame = pd.DataFrame(columns=[*PIPELINE_COLUMNS, "n"])
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
