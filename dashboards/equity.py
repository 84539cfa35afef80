"""Equity arithmetic of domain.md section 5: risk, risk ratio, composition, display bands.

For one step of the pipeline (screened, at risk, placed, ...) and one student group g:

- risk ``R_g = X_g / N_g``: students of g with the outcome over students of g eligible;
- risk ratio ``RR_g = R_g / R_not_g`` against all other eligible students of the same
  scope, computed only when ``N >= 30`` and ``X >= 10`` hold for the group AND for its
  comparison (IDEA, 34 CFR 300.647's presumptively reasonable n-size and cell size); else
  the band is "not enough students";
- composition ``X_g / sum X`` beside enrollment share ``N_g / sum N``;
- band (Washington OSPI defaults): RR < 0.67 under-represented; 0.67 <= RR <= 1.5 none;
  1.5 < RR < 2.0 at risk; RR >= 2.0 over-represented.

Every figure then goes through small-cell suppression (dashboards.suppression): a group's
N or X below 10 is "n<10", and so is every figure computed from it. Groups of one
dimension that cover every student (race/ethnicity, sex) are a line whose totals are
published in the "All students" row, so complementary suppression applies along it.

Pure: numbers and pandas frames in, dataclasses out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboards import suppression


@dataclass(frozen=True)
class EquityThresholds:
    """The district's settings (domain.md gives these defaults)."""

    min_n: int = 30
    min_x: int = 10
    under: float = 0.67  # RR below this: under-represented
    at_risk: float = 1.5  # RR above this: at risk
    over: float = 2.0  # RR at or above this: over-represented
    access_gap: float = 0.67  # "placed given at risk" RR below this: an access gap


DEFAULT_THRESHOLDS = EquityThresholds()

BAND_UNDER = "under-represented"
BAND_NONE = "none"
BAND_AT_RISK = "at risk"
BAND_OVER = "over-represented"
BAND_NOT_ENOUGH = "not enough students"
BANDS = (BAND_UNDER, BAND_NONE, BAND_AT_RISK, BAND_OVER, BAND_NOT_ENOUGH)


def risk(x: int, n: int) -> float | None:
    """X / N; None for an empty group (no eligible student: no risk to speak of)."""
    return x / n if n else None


def risk_ratio(
    *, n_g: int, x_g: int, n_other: int, x_other: int, t: EquityThresholds = DEFAULT_THRESHOLDS
) -> float | None:
    """R_g / R_not_g, or None when the group or its comparison is below the n/cell sizes."""
    if n_g < t.min_n or x_g < t.min_x or n_other < t.min_n or x_other < t.min_x:
        return None
    return (x_g / n_g) / (x_other / n_other)


def band(rr: float | None, t: EquityThresholds = DEFAULT_THRESHOLDS) -> str:
    """The display band of a risk ratio (None: not enough students)."""
    if rr is None:
        return BAND_NOT_ENOUGH
    if rr >= t.over:
        return BAND_OVER
    if rr > t.at_risk:
        return BAND_AT_RISK
    if rr < t.under:
        return BAND_UNDER
    return BAND_NONE


@dataclass(frozen=True)
class GroupSpec:
    """A student group: its dimension, key, label and test on a frame of students."""

    dimension: str  # "race_ethnicity", "sex", "english_learner", ...
    key: str  # "race:black", "sex:F", "english_learner"
    label: str
    column: str  # column of the students frame
    value: object  # the column's value for members of the group


@dataclass(frozen=True)
class Dimension:
    """Groups that partition every student (`complete`, e.g. race/ethnicity) or one group of
    a yes/no attribute (e.g. English learner), whose complement is not published."""

    key: str
    label: str
    groups: tuple[GroupSpec, ...]
    complete: bool


@dataclass
class EquityRow:
    dimension: str
    key: str
    group: str  # plain label, e.g. "Black or African American"
    n: int
    x: int
    risk: float | None
    risk_ratio: float | None
    composition: float | None
    enrollment_share: float | None
    band: str
    # What small-cell suppression hides (figures computed from a hidden one are hidden).
    n_hidden: bool = False
    x_hidden: bool = False
    access_gap: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.n_hidden or self.x_hidden

    @property
    def risk_hidden(self) -> bool:
        return self.n_hidden or self.x_hidden

    # Figures as published (None when hidden): pages, CSVs and the API all read these.
    def published(self) -> dict:
        hide_risk = self.risk_hidden
        return {
            "group": self.group,
            "n": None if self.n_hidden else self.n,
            "x": None if self.x_hidden else self.x,
            "risk": None if hide_risk else self.risk,
            "risk_ratio": None if hide_risk else self.risk_ratio,
            "composition": None if self.x_hidden else self.composition,
            "enrollment_share": None if self.n_hidden else self.enrollment_share,
            # The band tells the risk ratio's range, so it is hidden with it.
            "band": suppression.SUPPRESSED if hide_risk else self.band,
            "suppressed": self.suppressed,
        }


def group_counts(students: pd.DataFrame, dims: Sequence[Dimension]) -> dict[str, tuple[int, int]]:
    """{group key: (N, X)} from a frame with `eligible`, `outcome` (bools) and an optional
    `weight` column (rows pre-aggregated by the database: one row per combination)."""
    # Plain numpy arrays: the pipeline overview asks for ~16 groups in each of 9 steps, and
    # pandas' per-operation overhead was most of the page's analysis time.
    w = (
        students["weight"].to_numpy()
        if "weight" in students.columns
        else np.ones(len(students), dtype=int)
    )
    eligible = students["eligible"].astype(bool).to_numpy()
    hit = eligible & students["outcome"].astype(bool).to_numpy()
    columns = {g.column for dim in dims for g in dim.groups}
    values = {c: students[c].to_numpy() for c in columns}
    out: dict[str, tuple[int, int]] = {}
    for dim in dims:
        for g in dim.groups:
            member = values[g.column] == g.value
            out[g.key] = (int(w[member & eligible].sum()), int(w[member & hit].sum()))
    return out


def equity_rows(
    counts: dict[str, tuple[int, int]],
    *,
    total_n: int,
    total_x: int,
    dims: Sequence[Dimension],
    t: EquityThresholds = DEFAULT_THRESHOLDS,
    access_step: bool = False,
) -> list[EquityRow]:
    """One row per group, with suppression applied; `access_step` marks access gaps (the
    "placed given at risk" step: a risk ratio below `t.access_gap`)."""
    rows: list[EquityRow] = []
    totals_hidden_n = suppression.is_small(total_n)
    totals_hidden_x = suppression.is_small(total_x) or totals_hidden_n
    for dim in dims:
        # A group with no eligible student is left out: it has no figure to hide, and its
        # absence says only that nobody is in it (about no one in particular).
        groups = [g for g in dim.groups if counts.get(g.key, (0, 0))[0] > 0]
        ns = [counts[g.key][0] for g in groups]
        xs = [counts[g.key][1] for g in groups]
        n_mask = suppression.primary(ns)
        x_mask = [a or b for a, b in zip(suppression.primary(xs), n_mask, strict=True)]
        if dim.complete:
            n_mask = suppression.protect_line(ns, n_mask)
            x_mask = [a or b for a, b in zip(x_mask, n_mask, strict=True)]
            x_mask = suppression.protect_line(xs, x_mask)
        for g, n, x, nh, xh in zip(groups, ns, xs, n_mask, x_mask, strict=True):
            rr = risk_ratio(n_g=n, x_g=x, n_other=total_n - n, x_other=total_x - x, t=t)
            rows.append(
                EquityRow(
                    dimension=dim.key,
                    key=g.key,
                    group=g.label,
                    n=n,
                    x=x,
                    risk=risk(x, n),
                    risk_ratio=rr,
                    composition=(x / total_x) if total_x else None,
                    enrollment_share=(n / total_n) if total_n else None,
                    band=band(rr, t),
                    n_hidden=nh or totals_hidden_n,
                    x_hidden=xh or totals_hidden_x,
                    access_gap=bool(
                        access_step and rr is not None and rr < t.access_gap and not (nh or xh)
                    ),
                )
            )
    return rows


def total_row(total_n: int, total_x: int) -> EquityRow:
    """The "All students" row (its risk ratio is against nobody: none)."""
    return EquityRow(
        dimension="all",
        key="all",
        group="All students",
        n=total_n,
        x=total_x,
        risk=risk(total_x, total_n),
        risk_ratio=None,
        composition=1.0 if total_x else None,
        enrollment_share=1.0 if total_n else None,
        band="",
        n_hidden=suppression.is_small(total_n),
        x_hidden=suppression.is_small(total_x) or suppression.is_small(total_n),
    )
