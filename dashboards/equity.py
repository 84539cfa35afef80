"""Equity arithmetic of domain.md section 5: risk, risk ratio, composition, display bands.

For one step of the pipeline (screened, at risk, placed, ...) and one student group g:

- risk ``R_g = X_g / N_g``: students of g with the outcome over students of g eligible;
- risk ratio ``RR_g = R_g / R_not_g`` against all other eligible students of the same
  scope, computed only when ``N >= 30`` and ``X >= 10`` hold for the group AND for its
  comparison (IDEA, 34 CFR 300.647's presumptively reasonable n-size and cell size); else
  the band is "not enough students";
- composition ``X_g / sum X`` beside enrollment share ``N_g / sum N``;
- band (Washington OSPI defaults): RR < 0.67 under-represented; 0.67 <= RR <= 1.5 none;
  1.5 < RR < 2.0 at risk; RR >= 2.0 over-represented. Bands are decided on the exact ratio
  (`fractions.Fraction` of the four counts against the thresholds read as decimals), so
  13/30 against 13/45 is exactly 1.5 ("none"), never 1.5000000000000002;
- direction: for a desirable outcome (placed when at risk, responding, exited with the goal
  met) a low ratio is the concern, said as "less access", and a high one "more access"; the
  adverse outcomes keep under-/over-represented;
- alternate risk ratio: when a school's comparison group fails the gates, the group's risk
  is compared with the district's other students (`alternate_risk_ratio`), said so.

Every figure then goes through small-cell suppression (dashboards.suppression): a group's
N or X below 10 is "n<10", and so is every figure computed from it. Groups of one
dimension that cover every student (race/ethnicity, sex) are a line whose totals are
published in the "All students" row, so complementary suppression applies along it.

Pure: numbers and pandas frames in, dataclasses out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd
from django.utils.translation import gettext

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
# The same ranges said for a desirable outcome (placed, responding, exited with the goal met):
# receiving it less often is the concern.
BAND_LESS_ACCESS = "less access"
BAND_MORE_ACCESS = "more access"
BAND_MUCH_MORE_ACCESS = "much more access"
BANDS = (BAND_UNDER, BAND_NONE, BAND_AT_RISK, BAND_OVER, BAND_NOT_ENOUGH)
DESIRABLE_WORDS = {
    BAND_UNDER: BAND_LESS_ACCESS,
    BAND_AT_RISK: BAND_MORE_ACCESS,
    BAND_OVER: BAND_MUCH_MORE_ACCESS,
}
# Bands that call for a look, per direction.
CONCERN = {False: (BAND_AT_RISK, BAND_OVER), True: (BAND_LESS_ACCESS,)}


def risk(x: int, n: int) -> float | None:
    """X / N; None for an empty group (no eligible student: no risk to speak of)."""
    return x / n if n else None


def passes_gates(n: int, x: int, t: EquityThresholds = DEFAULT_THRESHOLDS) -> bool:
    return n >= t.min_n and x >= t.min_x


def exact_risk_ratio(
    *, n_g: int, x_g: int, n_other: int, x_other: int, t: EquityThresholds = DEFAULT_THRESHOLDS
) -> Fraction | None:
    """R_g / R_not_g as an exact fraction, or None below the n/cell sizes."""
    if not (passes_gates(n_g, x_g, t) and passes_gates(n_other, x_other, t)):
        return None
    return Fraction(x_g * n_other, n_g * x_other)


def risk_ratio(
    *, n_g: int, x_g: int, n_other: int, x_other: int, t: EquityThresholds = DEFAULT_THRESHOLDS
) -> float | None:
    """R_g / R_not_g, or None when the group or its comparison is below the n/cell sizes."""
    rr = exact_risk_ratio(n_g=n_g, x_g=x_g, n_other=n_other, x_other=x_other, t=t)
    return None if rr is None else float(rr)


def _exact(value: float | Fraction) -> Fraction:
    # A threshold or a ratio given as a float is read as the decimal it was written as
    # (0.67 is 67/100, not the binary float just below it).
    return value if isinstance(value, Fraction) else Fraction(str(value))


def band(
    rr: float | Fraction | None,
    t: EquityThresholds = DEFAULT_THRESHOLDS,
    *,
    desirable: bool = False,
) -> str:
    """The display band of a risk ratio (None: not enough students), decided exactly; for a
    desirable outcome in the words of access."""
    if rr is None:
        return BAND_NOT_ENOUGH
    r = _exact(rr)
    if r >= _exact(t.over):
        out = BAND_OVER
    elif r > _exact(t.at_risk):
        out = BAND_AT_RISK
    elif r < _exact(t.under):
        out = BAND_UNDER
    else:
        out = BAND_NONE
    return DESIRABLE_WORDS.get(out, out) if desirable else out


def alternate_risk_ratio(
    *,
    n_g: int,
    x_g: int,
    n_district_other: int,
    x_district_other: int,
    t: EquityThresholds = DEFAULT_THRESHOLDS,
) -> Fraction | None:
    """The alternate risk ratio: the school group's risk against the district's students
    outside the group, used when the school's own comparison group fails the gates."""
    return exact_risk_ratio(
        n_g=n_g, x_g=x_g, n_other=n_district_other, x_other=x_district_other, t=t
    )


@dataclass(frozen=True)
class GroupSpec:
    """A student group: its dimension, key, label and test on a frame of students."""

    dimension: str  # "race_ethnicity", "sex", "english_learner", ...
    key: str  # "race:black", "sex:F", "english_learner"
    msgid: str  # the label as written (gettext_noop); `label` reads it in the active language
    column: str  # column of the students frame
    value: object  # the column's value for members of the group

    @property
    def label(self) -> str:
        return gettext(self.msgid)


@dataclass(frozen=True)
class Dimension:
    """Groups that partition every student (`complete`, e.g. race/ethnicity) or one group of
    a yes/no attribute (e.g. English learner), whose complement is not published."""

    key: str
    msgid: str  # as GroupSpec's
    groups: tuple[GroupSpec, ...]
    complete: bool

    @property
    def label(self) -> str:
        return gettext(self.msgid)


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
    # The ratio is against the district's other students (the school's comparison failed the
    # gates): the alternate risk ratio.
    alternate: bool = False

    @property
    def hidden_label(self) -> str:
        """Why the risk figures are hidden: a small N or X, or a complementary cell."""
        small = suppression.below_minimum(self.n) or suppression.below_minimum(self.x)
        return suppression.SUPPRESSED if small else suppression.COMPLEMENT

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
            "band": self.hidden_label if hide_risk else self.band,
            "suppressed": self.suppressed,
        }


def group_counts(students: pd.DataFrame, dims: Sequence[Dimension]) -> dict[str, tuple[int, int]]:
    """{group key: (N, X)} from a frame with `eligible`, `outcome` (bools) and an optional
    `weight` column (rows pre-aggregated by the database: one row per combination)."""
    w = (
        students["weight"].to_numpy()
        if "weight" in students.columns
        else np.ones(len(students), dtype=int)
    )
    eligible = students["eligible"].astype(bool).to_numpy()
    hit = eligible & students["outcome"].astype(bool).to_numpy()
    columns = {g.column for dim in dims for g in dim.groups}
    return group_counts_of(w, eligible, hit, {c: students[c].to_numpy() for c in columns}, dims)


def group_counts_of(
    w: np.ndarray,
    eligible: np.ndarray,
    hit: np.ndarray,
    values: dict[str, np.ndarray],
    dims: Sequence[Dimension],
) -> dict[str, tuple[int, int]]:
    """group_counts on plain numpy arrays: weights, eligible and with-the-outcome masks, and
    each group column's values. The pipeline overview asks for ~16 groups in each of 14
    steps, and pandas' per-operation overhead was most of the page's analysis time."""
    out: dict[str, tuple[int, int]] = {}
    for dim in dims:
        for g in dim.groups:
            member = values[g.column] == g.value
            out[g.key] = (int(w[member & eligible].sum()), int(w[member & hit].sum()))
    return out


def _line_masks(
    ns: list[int], xs: list[int], n_mask: list[bool], x_mask: list[bool]
) -> tuple[list[bool], list[bool]]:
    """Complementary suppression of a line of groups whose totals are published: N along the
    line, X along the line (a hidden N hides its X), and a hidden X beside a shown N of 0 is
    known to be 0, so that N is hidden too. Repeated until nothing changes."""
    while True:
        n_mask = suppression.protect_line(ns, n_mask)
        x_mask = [a or b for a, b in zip(x_mask, n_mask, strict=True)]
        # Hiding a group's X withholds its X, risk, ratio and band; a group with few
        # students loses least, so X is chosen by its group's size first.
        x_mask = suppression.protect_line(
            xs, x_mask, cost=[max(n, x) for n, x in zip(ns, xs, strict=True)]
        )
        pinned = [xh and not nh and n == 0 for n, nh, xh in zip(ns, n_mask, x_mask, strict=True)]
        if not any(pinned):
            return n_mask, x_mask
        n_mask = [a or b for a, b in zip(n_mask, pinned, strict=True)]


def equity_rows(
    counts: dict[str, tuple[int, int]],
    *,
    total_n: int,
    total_x: int,
    dims: Sequence[Dimension],
    t: EquityThresholds = DEFAULT_THRESHOLDS,
    access_step: bool = False,
    desirable: bool = False,
    district: dict[str, tuple[int, int]] | None = None,
    district_total: tuple[int, int] | None = None,
) -> list[EquityRow]:
    """One row per group, with suppression applied; `access_step` marks access gaps (the
    "placed given at risk" step: a risk ratio below `t.access_gap`); `desirable` words the
    bands as access. `district` / `district_total`: the same counts for the whole district,
    for the alternate risk ratio when a school's comparison group fails the gates.

    Suppression: every published total is a line. A complete dimension (race/ethnicity, sex)
    adds up to the "All students" row; a group left out for having no eligible student is a
    published 0, so it joins the line and, when it is the cell that loses the least, is shown
    hidden as a partner (instead of a large group). A yes/no group (IEP, EL, ...) and its
    unpublished "no" complement add up to the "All students" row too, so the pair is a line:
    when the complement is small, the "yes" figure is hidden, or subtraction would give it.
    """
    rows: list[EquityRow] = []
    totals_hidden_n = suppression.is_small(total_n)
    totals_hidden_x = suppression.is_small(total_x) or totals_hidden_n
    for dim in dims:
        groups = (
            list(dim.groups)
            if dim.complete
            else [g for g in dim.groups if counts.get(g.key, (0, 0))[0] > 0]
        )
        ns = [counts.get(g.key, (0, 0))[0] for g in groups]
        xs = [counts.get(g.key, (0, 0))[1] for g in groups]
        # A group with no eligible student is not shown (a published 0): not a small cell.
        n_mask = [suppression.is_small(n) and n > 0 for n in ns]
        x_mask = [
            (suppression.is_small(x) and n > 0) or h for n, x, h in zip(ns, xs, n_mask, strict=True)
        ]
        if dim.complete:
            n_mask, x_mask = _line_masks(ns, xs, n_mask, x_mask)
        else:
            # Each "yes" group with its complement ("no", never a row) as a line of two.
            for i, (n, x) in enumerate(zip(ns, xs, strict=True)):
                pair_n, pair_x = [n, total_n - n], [x, total_x - x]
                pn = [n_mask[i], suppression.is_small(pair_n[1])]
                px = [x_mask[i], suppression.is_small(pair_x[1]) or pn[1]]
                pn, px = _line_masks(pair_n, pair_x, pn, px)
                n_mask[i], x_mask[i] = pn[0], px[0]
        for g, n, x, nh, xh in zip(groups, ns, xs, n_mask, x_mask, strict=True):
            if n == 0 and not (nh or xh):
                continue  # nobody in it, and not needed to protect another group
            exact = exact_risk_ratio(n_g=n, x_g=x, n_other=total_n - n, x_other=total_x - x, t=t)
            alternate = False
            if (
                exact is None
                and district is not None
                and district_total is not None
                and passes_gates(n, x, t)
                and not passes_gates(total_n - n, total_x - x, t)
            ):
                dn, dx = district.get(g.key, (0, 0))
                exact = alternate_risk_ratio(
                    n_g=n,
                    x_g=x,
                    n_district_other=district_total[0] - dn,
                    x_district_other=district_total[1] - dx,
                    t=t,
                )
                alternate = exact is not None
            hidden = nh or xh
            rows.append(
                EquityRow(
                    dimension=dim.key,
                    key=g.key,
                    group=g.label,
                    n=n,
                    x=x,
                    risk=risk(x, n),
                    risk_ratio=None if exact is None else float(exact),
                    composition=(x / total_x) if total_x else None,
                    enrollment_share=(n / total_n) if total_n else None,
                    band=band(exact, t, desirable=desirable),
                    n_hidden=nh or totals_hidden_n,
                    x_hidden=xh or totals_hidden_x,
                    access_gap=bool(
                        access_step
                        and exact is not None
                        and exact < _exact(t.access_gap)
                        and not hidden
                    ),
                    alternate=alternate,
                )
            )
    return rows


def total_row(total_n: int, total_x: int) -> EquityRow:
    """The "All students" row (its risk ratio is against nobody: none)."""
    return EquityRow(
        dimension="all",
        key="all",
        group=gettext("All students"),
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
