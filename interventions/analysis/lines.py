"""Aim and trend lines: weeks since the phase start, least squares, the baseline, the aim line."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date

from interventions.analysis.facts import ProgressPoint


def weeks_between(start: date, end: date) -> float:
    """Calendar days / 7: missed weeks count as time."""
    return (end - start).days / 7


def ols(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float] | None:
    """Ordinary least squares (slope, intercept) of ys on xs; None when undefined.

    Undefined with fewer than 2 points or when every x is the same. Uses centred sums
    (sum((x - mean_x) * (y - mean_y)) / sum((x - mean_x)^2)), which lose less precision than
    the textbook n*Sxy - Sx*Sy form.
    """
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys differ in length")
    if n < 2:
        return None
    # Test the xs themselves, not sxx: the mean of equal floats can be off by a rounding
    # error, which would leave a tiny non-zero sxx and a meaningless huge slope.
    if min(xs) == max(xs):
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) * (x - mean_x) for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def baseline_median(points: Sequence[ProgressPoint]) -> float | None:
    """Median of the first three points by date; None with fewer than three."""
    first = sorted(points, key=lambda p: p.date)[:3]
    if len(first) < 3:
        return None
    return float(statistics.median(p.score for p in first))


def aim_slope_of(
    *, phase_start: date, baseline: float, goal: float, goal_date: date
) -> float | None:
    """(goal - baseline) per week from the phase start to the goal date; None if no span."""
    weeks = weeks_between(phase_start, goal_date)
    if weeks <= 0:
        return None
    return (goal - baseline) / weeks


def aim_value_at(
    day: date, *, phase_start: date, baseline: float, goal: float, goal_date: date
) -> float | None:
    """The aim line's value on `day` (baseline at the phase start, goal at the goal date)."""
    slope = aim_slope_of(phase_start=phase_start, baseline=baseline, goal=goal, goal_date=goal_date)
    if slope is None:
        return None
    return baseline + slope * weeks_between(phase_start, day)
