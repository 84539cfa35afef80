"""Dual discrepancy as published, and the normative growth table it reads.

Pure: numbers and a normative table in, a verdict out; no ORM, no clock.

Dual discrepancy (Fuchs & Fuchs 1998; Burns & Senesac 2005): a student is dually discrepant
when, at the same time,
- their growth (rate of improvement, the OLS trend of their progress points, score units per
  week) is below a normative growth criterion: the rule set's percentile (default 25th) of
  peers' growth on the same measure in the same grade, and
- their level (latest score) is below the benchmark for the season,
and it is judged only when the plan was delivered with adequate fidelity (a plan that was not
delivered cannot show that the student did not respond to it).

Peers' growth (the normative table) is a local norm: for each measure and grade, the weekly
growth of every student of the district scored on that measure in both the first screening
window of the school year and the latest one started by the day judged,
(later score - earlier score) / (weeks between the windows' start dates). `growth_norms`
turns those rates into the table; the rule itself (`dual_discrepancy`) takes one row of it.

Lower-is-better measures (errors, referrals) improve by falling: the slowest-improving
quarter is the one whose raw growth is highest, so the criterion there is the
(100 - p)th percentile of raw growth and "below the criterion" mirrors (d = -1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# The same slack as the progress rules (interventions.analysis.rules.EPS): a growth exactly at
# the criterion in exact arithmetic is not below it, whatever the floating-point rounding.
EPS = 1e-9

# A percentile of fewer peers than this says little: no norm, so no dual discrepancy. The
# small-cell size the dashboards suppress below.
MIN_NORM_PEERS = 10


class DualStatus:
    """Why dual discrepancy holds, does not hold, or was not judged (evidence values)."""

    DISCREPANT = "discrepant"
    NOT_DISCREPANT = "not_discrepant"
    NOT_TIER_2 = "not_tier_2"
    TOO_FEW_POINTS = "too_few_points"
    FIDELITY_INADEQUATE = "fidelity_inadequate"
    NO_BENCHMARK = "no_benchmark"
    NO_GROWTH_NORM = "no_growth_norm"

    # Judged: the two discrepancies were both computed.
    JUDGED = frozenset({DISCREPANT, NOT_DISCREPANT})


@dataclass(frozen=True)
class GrowthNorm:
    """Peers' growth criterion for one measure and grade.

    `growth`: raw score units per week at the criterion (the `percentile`th percentile of
    peers' growth, or the (100 - percentile)th for a lower-is-better measure); `peers`: how
    many students the percentile was taken over.
    """

    percentile: int
    growth: float
    peers: int


GrowthNormTable = Mapping[tuple[int, int], GrowthNorm]


def growth_norms(
    rates: pd.DataFrame, *, percentile: int, min_peers: int = MIN_NORM_PEERS
) -> dict[tuple[int, int], GrowthNorm]:
    """The normative growth table from peers' rates, set-based.

    `rates`: one row per student with growth on a measure, columns measure_id, grade,
    higher_is_better, growth (score units per week). Percentiles are linearly interpolated
    between order statistics (numpy's and PostgreSQL percentile_cont's definition): for
    growths 0.5, 1.0, 1.5, 2.0, 2.5 the 25th percentile is 1.0. Groups of fewer than
    `min_peers` students get no row.
    """
    missing = {"measure_id", "grade", "higher_is_better", "growth"} - set(rates.columns)
    if missing:
        raise ValueError(f"rates: missing column(s) {', '.join(sorted(missing))}")
    if not 1 <= percentile <= 99:
        raise ValueError("percentile must be from 1 to 99")
    frame = rates.loc[rates["growth"].notna()].copy()
    if frame.empty:
        return {}
    frame["growth"] = frame["growth"].astype(float)
    frame["_higher"] = frame["higher_is_better"].astype(bool)
    g = frame.groupby(["measure_id", "grade", "_higher"], sort=True)["growth"]
    low = g.quantile(percentile / 100)
    high = g.quantile(1 - percentile / 100)
    sizes = g.size()
    table: dict[tuple[int, int], GrowthNorm] = {}
    for (measure_id, grade, higher), peers in sizes.items():
        if peers < min_peers:
            continue
        value = low[(measure_id, grade, higher)] if higher else high[(measure_id, grade, higher)]
        table[(int(measure_id), int(grade))] = GrowthNorm(
            percentile=int(percentile), growth=float(value), peers=int(peers)
        )
    return table


def norm_for(table: GrowthNormTable, *, measure_id: Any, grade: Any) -> GrowthNorm | None:
    """The table's row for a measure and grade (None when there is none)."""
    if measure_id is None or grade is None:
        return None
    return table.get((int(measure_id), int(grade)))


def dual_discrepancy(
    *,
    tier: int,
    points: int,
    min_points: int,
    trend_slope: float | None,
    latest_score: float | None,
    benchmark: float | None,
    higher_is_better: bool,
    fidelity: float | None,
    fidelity_minimum: float,
    norm: GrowthNorm | None,
) -> tuple[bool, str]:
    """(holds, status) for one plan. See the module docstring for the definition.

    Judged only for a Tier 2 plan (the question is whether to move to Tier 3) with at least
    `min_points` points (the trend-line rule's minimum: a slope from fewer is not a growth
    rate a team can trust), fidelity known and at or above the minimum, a benchmark and a
    growth norm. A growth exactly at the criterion, or a score exactly at the benchmark, is
    not below it.
    """
    d = 1.0 if higher_is_better else -1.0
    if tier != 2:
        return False, DualStatus.NOT_TIER_2
    if points < min_points or trend_slope is None or latest_score is None:
        return False, DualStatus.TOO_FEW_POINTS
    if fidelity is None or fidelity < fidelity_minimum - EPS:
        return False, DualStatus.FIDELITY_INADEQUATE
    if benchmark is None:
        return False, DualStatus.NO_BENCHMARK
    if norm is None:
        return False, DualStatus.NO_GROWTH_NORM
    below_level = d * (latest_score - benchmark) < 0
    below_growth = d * (trend_slope - norm.growth) < -EPS
    if below_level and below_growth:
        return True, DualStatus.DISCREPANT
    return False, DualStatus.NOT_DISCREPANT


def dual_discrepancy_many(
    *,
    tier: np.ndarray,
    points: np.ndarray,
    min_points: int,
    trend_slope: np.ndarray,
    latest_score: np.ndarray,
    benchmark: np.ndarray,
    direction: np.ndarray,
    fidelity: np.ndarray,
    fidelity_minimum: float,
    norm_growth: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """`dual_discrepancy` for many plans at once (NaN for "none"): (holds, status) arrays,
    the same answers in the same order of checks."""
    with np.errstate(invalid="ignore"):
        below_level = direction * (latest_score - benchmark) < 0
        below_growth = direction * (trend_slope - norm_growth) < -EPS
        status = np.select(
            [
                tier != 2,
                (points < min_points) | np.isnan(trend_slope) | np.isnan(latest_score),
                np.isnan(fidelity) | (fidelity < fidelity_minimum - EPS),
                np.isnan(benchmark),
                np.isnan(norm_growth),
                below_level & below_growth,
            ],
            [
                DualStatus.NOT_TIER_2,
                DualStatus.TOO_FEW_POINTS,
                DualStatus.FIDELITY_INADEQUATE,
                DualStatus.NO_BENCHMARK,
                DualStatus.NO_GROWTH_NORM,
                DualStatus.DISCREPANT,
            ],
            DualStatus.NOT_DISCREPANT,
        )
    return status == DualStatus.DISCREPANT, status
