"""Plan analysis: the progress-monitoring rules of domain.md section 3, for one plan.

Pure: dates and scores in, an `Analysis` out. No ORM, no clock (`as_of` is an argument), no
settings (thresholds are an argument). This is the readable reference implementation;
`decisions.progress_rules` applies the same rules to many plans at once and is tested to give
the same answers.

The rules, in order (docs/rules.md has sources and the decisions on ambiguous points):

1. goal met: the last `goal_met_points` (3) points are all at or above the goal -> exit;
2. trend-line rule, 8+ points: trend > aim + tolerance -> raise_goal,
   trend < aim - tolerance -> change_intervention, else continue;
3. data-point rule, 6-7 points: the last 4 all above the aim line -> raise_goal, all below ->
   change_intervention, else continue (a point exactly on the line is neither);
4. otherwise insufficient_data.
Then the fidelity gate turns change_intervention into improve_fidelity when fidelity is
below the minimum or unknown. Dual discrepancy is reported beside the recommendation.

Time is calendar days since the phase start divided by 7, so missed weeks count. Only points
dated from the phase start up to `as_of` count. Lower-is-better measures mirror every
comparison: with d = +1 (higher is better) or -1, "better than" means d * (a - b) > 0.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.db import models

from decisions.thresholds import DEFAULT_THRESHOLDS, Thresholds

# Computed values (slopes, aim-line values, fidelity) are compared with this slack, so that a
# value equal to a boundary in exact arithmetic counts as on the boundary whatever the
# floating-point rounding. Far below any meaningful score difference.
EPS = 1e-9


def is_responding(trend_slope: Any, aim_slope: Any, tolerance: Any, direction: Any = 1.0) -> Any:
    """Responding: the trend is not below the aim line by more than the tolerance (for a
    lower-is-better measure, `direction` -1, not above it), i.e. the trend-line rule does not
    call for a change. The one definition the plan analysis and the dashboards share; works
    on numbers and element by element on numpy arrays."""
    return direction * (trend_slope - aim_slope) >= -tolerance - EPS


class Recommendation(models.TextChoices):
    INSUFFICIENT_DATA = "insufficient_data", "Not enough data yet"
    CONTINUE = "continue", "Continue the plan"
    RAISE_GOAL = "raise_goal", "Raise the goal"
    CHANGE_INTERVENTION = "change_intervention", "Change the intervention"
    IMPROVE_FIDELITY = "improve_fidelity", "Deliver the plan as written first"
    EXIT = "exit", "Goal met: exit or fade"


class Rule(models.TextChoices):
    NONE = "none", "No rule applied"
    GOAL_MET = "goal_met", "Goal met"
    TREND_LINE = "trend_line", "Trend-line rule"
    DATA_POINT = "data_point", "Data-point rule"


@dataclass(frozen=True)
class ProgressPoint:
    date: date
    score: float


@dataclass(frozen=True)
class SessionLog:
    """A logged session; `attended` False records a planned session the student missed."""

    date: date
    attended: bool = True


@dataclass(frozen=True)
class PlanFacts:
    """What the rules need to know about one plan's current phase.

    `baseline` None means "the median of the first three points of the phase".
    `tolerance` None means the rule set's default tolerance.
    `benchmark` is the progress measure's benchmark for the student's grade in the current
    season (None when unknown: dual discrepancy cannot be shown then).
    `sessions` are the plan's logged sessions (any dates; the analysis picks the span).
    """

    phase_start: date
    goal: float
    goal_date: date
    as_of: date
    baseline: float | None = None
    higher_is_better: bool = True
    tier: int = 2
    tolerance: float | None = None
    sessions_per_week: float | None = None
    sessions: Sequence[SessionLog] = field(default_factory=tuple)
    benchmark: float | None = None


@dataclass(frozen=True)
class Analysis:
    """The API fields of `plans/{id}/analysis/` plus the numbers behind them."""

    points: int
    trend_slope: float | None
    aim_slope: float | None
    tolerance: float
    fidelity: float | None
    recommendation: str
    rule: str
    dual_discrepancy: bool
    evidence: dict[str, Any]

    def api_fields(self) -> dict[str, Any]:
        """Exactly the fields the analysis endpoint returns (issue 5, item 8)."""
        return {
            "points": self.points,
            "trend_slope": self.trend_slope,
            "aim_slope": self.aim_slope,
            "tolerance": self.tolerance,
            "fidelity": self.fidelity,
            "recommendation": self.recommendation,
            "rule": self.rule,
            "dual_discrepancy": self.dual_discrepancy,
        }


# Fuchs, Fuchs, Hamlett, Walz & Germann (1993), oral reading, words correct per week:
# grade -> (realistic, ambitious).
GROWTH_RATES: dict[int, tuple[float, float]] = {
    1: (2.0, 3.0),
    2: (1.5, 2.0),
    3: (1.0, 1.5),
    4: (0.85, 1.1),
    5: (0.5, 0.8),
    6: (0.3, 0.65),
}


def growth_rate(grade: int, ambition: Literal["realistic", "ambitious"] = "ambitious") -> float:
    """Weekly oral-reading growth for goal setting (Fuchs et al. 1993); grades 1-6 only."""
    if grade not in GROWTH_RATES:
        raise ValueError(f"no published oral-reading growth rate for grade {grade} (1-6 only)")
    realistic, ambitious = GROWTH_RATES[grade]
    if ambition == "realistic":
        return realistic
    if ambition == "ambitious":
        return ambitious
    raise ValueError("ambition must be 'realistic' or 'ambitious'")


def goal_from_growth(
    *,
    baseline: float,
    grade: int,
    weeks: float,
    ambition: Literal["realistic", "ambitious"] = "ambitious",
) -> float:
    """Goal = baseline + weekly growth x weeks (42 + 1.5 x 20 = 72 in domain.md)."""
    return baseline + growth_rate(grade, ambition) * weeks


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


def fidelity_of(
    *,
    phase_start: date,
    latest_point: date | None,
    sessions_per_week: float | None,
    sessions: Sequence[SessionLog],
) -> tuple[float | None, dict[str, Any]]:
    """Delivered / planned sessions from the phase start to the latest point, both inclusive.

    planned = sessions_per_week x (days in the span, both ends counted) / 7, so a span from a
    Monday to the Sunday four weeks later is 28 days = 4 weeks. Because both ends count, the
    span is never zero days long: a latest point on the phase start day gives one day,
    planned = sessions_per_week / 7. The ratio is capped at 1 (extra sessions do not make up
    for anything). None (unknown) when no session at all, attended or missed, is logged in the
    span, when there is no point yet, or when no sessions per week are planned.
    """
    detail: dict[str, Any] = {
        "sessions_attended": None,
        "sessions_logged": None,
        "sessions_planned": None,
        "span_days": None,
    }
    if latest_point is None or latest_point < phase_start:
        return None, detail
    in_span = [s for s in sessions if phase_start <= s.date <= latest_point]
    span_days = (latest_point - phase_start).days + 1
    attended = sum(1 for s in in_span if s.attended)
    detail.update(sessions_attended=attended, sessions_logged=len(in_span), span_days=span_days)
    if not sessions_per_week or sessions_per_week <= 0:
        return None, detail
    planned = sessions_per_week * span_days / 7
    detail["sessions_planned"] = planned
    if not in_span:
        return None, detail
    return min(1.0, attended / planned), detail


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def analyze_plan(
    facts: PlanFacts,
    points: Sequence[ProgressPoint],
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Analysis:
    """Apply domain.md section 3 to one plan's current phase. See the module docstring."""
    t = thresholds
    d = 1.0 if facts.higher_is_better else -1.0
    tolerance = float(t.default_tolerance if facts.tolerance is None else facts.tolerance)

    # Stable sort: points on the same date keep their given (entry) order.
    phase = sorted(
        (p for p in points if facts.phase_start <= p.date <= facts.as_of), key=lambda p: p.date
    )
    n = len(phase)
    xs = [weeks_between(facts.phase_start, p.date) for p in phase]
    ys = [float(p.score) for p in phase]

    # Model fields are Decimals; the arithmetic is in floats, like the vectorised sweep.
    goal = float(facts.goal)
    benchmark = float(facts.benchmark) if facts.benchmark is not None else None
    sessions_per_week = (
        float(facts.sessions_per_week) if facts.sessions_per_week is not None else None
    )
    if facts.baseline is not None:
        baseline: float | None = float(facts.baseline)
        baseline_source = "given"
    else:
        baseline = baseline_median(phase)
        baseline_source = "median_first_three" if baseline is not None else "missing"
    aim_slope = (
        aim_slope_of(
            phase_start=facts.phase_start,
            baseline=baseline,
            goal=goal,
            goal_date=facts.goal_date,
        )
        if baseline is not None
        else None
    )

    fit = ols(xs, ys)
    trend_slope, trend_intercept = fit if fit is not None else (None, None)

    def aim_at(x: float) -> float | None:
        if baseline is None or aim_slope is None:
            return None
        return baseline + aim_slope * x

    # --- the rules, in domain.md's order -------------------------------------------------
    recommendation = Recommendation.INSUFFICIENT_DATA
    rule = Rule.NONE
    k = t.goal_met_points
    if n >= k and all(d * (y - goal) >= 0 for y in ys[-k:]):
        recommendation, rule = Recommendation.EXIT, Rule.GOAL_MET
    elif aim_slope is None:
        pass  # no aim line (no baseline yet, or goal date not after the start): no decision
    elif n >= t.min_points_trend and trend_slope is not None:
        rule = Rule.TREND_LINE
        gap = d * (trend_slope - aim_slope)
        if gap > tolerance + EPS:
            recommendation = Recommendation.RAISE_GOAL
        elif not is_responding(trend_slope, aim_slope, tolerance, d):
            recommendation = Recommendation.CHANGE_INTERVENTION
        else:
            recommendation = Recommendation.CONTINUE
    elif n >= t.min_points_data_point:
        rule = Rule.DATA_POINT
        run = t.data_point_run
        gaps = [d * (y - aim_at(x)) for x, y in zip(xs[-run:], ys[-run:], strict=True)]
        if all(g > EPS for g in gaps):
            recommendation = Recommendation.RAISE_GOAL
        elif all(g < -EPS for g in gaps):
            recommendation = Recommendation.CHANGE_INTERVENTION
        else:
            recommendation = Recommendation.CONTINUE

    fidelity, fidelity_detail = fidelity_of(
        phase_start=facts.phase_start,
        latest_point=phase[-1].date if phase else None,
        sessions_per_week=sessions_per_week,
        sessions=facts.sessions,
    )
    before_gate = recommendation
    if recommendation == Recommendation.CHANGE_INTERVENTION and (
        fidelity is None or fidelity < t.fidelity_minimum - EPS
    ):
        recommendation = Recommendation.IMPROVE_FIDELITY

    latest_score = ys[-1] if ys else None
    dual = bool(
        facts.tier == 2
        and n >= t.min_points_trend
        and benchmark is not None
        and latest_score is not None
        and d * (latest_score - benchmark) < 0
        and trend_slope is not None
        and aim_slope is not None
        and d * (trend_slope - aim_slope) < -tolerance - EPS
    )

    run = t.data_point_run
    recent = [
        {"date": p.date.isoformat(), "score": y, "aim": aim_at(x)}
        for p, x, y in zip(phase[-run:], xs[-run:], ys[-run:], strict=True)
    ]
    evidence: dict[str, Any] = {
        "kind": "progress",
        "phase_start": facts.phase_start.isoformat(),
        "as_of": facts.as_of.isoformat(),
        "points": n,
        "first_point_date": _iso(phase[0].date) if phase else None,
        "latest_point_date": _iso(phase[-1].date) if phase else None,
        "latest_score": latest_score,
        "baseline": baseline,
        "baseline_source": baseline_source,
        "goal": goal,
        "goal_date": facts.goal_date.isoformat(),
        "higher_is_better": bool(facts.higher_is_better),
        "aim_slope": aim_slope,
        "trend_slope": trend_slope,
        "trend_intercept": trend_intercept,
        "tolerance": tolerance,
        "recent_points": recent,
        "fidelity": fidelity,
        **fidelity_detail,
        "sessions_per_week": sessions_per_week,
        "fidelity_minimum": float(t.fidelity_minimum),
        "tier": int(facts.tier),
        "benchmark": benchmark,
        "rule": str(rule),
        "recommendation": str(recommendation),
        "recommendation_before_fidelity_gate": str(before_gate),
        "dual_discrepancy": dual,
        "min_points_trend": t.min_points_trend,
        "min_points_data_point": t.min_points_data_point,
        "data_point_run": t.data_point_run,
        "goal_met_points": t.goal_met_points,
    }
    return Analysis(
        points=n,
        trend_slope=trend_slope,
        aim_slope=aim_slope,
        tolerance=tolerance,
        fidelity=fidelity,
        recommendation=str(recommendation),
        rule=str(rule),
        dual_discrepancy=dual,
        evidence=evidence,
    )


def points_needed(analysis: Analysis) -> int:
    """How many more points before the data-point rule can decide; 0 once a rule has decided.

    For the graph's "N more points needed" state. Counts against the thresholds the
    analysis ran with (recorded in its evidence). A plan whose goal is already met on fewer
    points needs none.
    """
    if analysis.recommendation != Recommendation.INSUFFICIENT_DATA:
        return 0
    return max(0, int(analysis.evidence["min_points_data_point"]) - analysis.points)
