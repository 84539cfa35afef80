"""Plan analysis: the progress-monitoring rules of domain.md section 3, for one plan.

Pure: dates and scores in, an `Analysis` out. No ORM, no clock (`as_of` is an argument), no
settings (thresholds are an argument). This is the readable reference implementation;
`decisions.progress_rules` applies the same rules to many plans at once and is tested to give
the same answers.

The rules, in order (docs/rules.md has sources and the decisions on ambiguous points):

1. goal met: the last `goal_met_points` (3; the intervention's exit criteria win over the
   rule set) points are all at or above the goal -> exit;
1b. at benchmark at screening, when the intervention's exit criteria (else the rule set) turn
   it on: the latest screening since the phase start is at benchmark in the domain -> exit;
2. trend-line rule, 8+ points: trend > aim + tolerance -> raise_goal,
   trend < aim - tolerance -> change_intervention, else continue;
3. data-point rule, 6-7 points: the last 4 all above the aim line -> raise_goal, all below ->
   change_intervention, else continue (a point exactly on the line is neither);
4. otherwise insufficient_data.
Then the fidelity gate turns change_intervention into improve_fidelity when fidelity is
below the minimum or unknown. Dual discrepancy (interventions.analysis.growth: growth below
peers' normative growth and level below benchmark, judged only with adequate fidelity) is
reported beside the recommendation.

Time is calendar days since the phase start divided by 7, so missed weeks count. Only points
dated from the phase start up to `as_of` count. Lower-is-better measures mirror every
comparison: with d = +1 (higher is better) or -1, "better than" means d * (a - b) > 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from interventions.analysis.facts import Analysis, PlanFacts, ProgressPoint, Recommendation, Rule
from interventions.analysis.fidelity import fidelity_of
from interventions.analysis.growth import dual_discrepancy
from interventions.analysis.lines import aim_slope_of, baseline_median, ols, weeks_between
from mtss.lib.thresholds import DEFAULT_THRESHOLDS, Thresholds

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
    # Exit criteria: the intervention's own values win where its catalog entry sets them.
    k = facts.exit_goal_met_points or t.goal_met_points
    exit_at_screening = (
        t.exit_at_benchmark_screening
        if facts.exit_at_benchmark_screening is None
        else facts.exit_at_benchmark_screening
    )
    if n >= k and all(d * (y - goal) >= 0 for y in ys[-k:]):
        recommendation, rule = Recommendation.EXIT, Rule.GOAL_MET
    elif exit_at_screening and facts.screening_at_benchmark is True:
        recommendation, rule = Recommendation.EXIT, Rule.BENCHMARK_AT_SCREENING
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
    norm = facts.growth_norm
    dual, dual_status = dual_discrepancy(
        tier=int(facts.tier),
        points=n,
        min_points=t.min_points_trend,
        trend_slope=trend_slope,
        latest_score=latest_score,
        benchmark=benchmark,
        higher_is_better=bool(facts.higher_is_better),
        fidelity=fidelity,
        fidelity_minimum=float(t.fidelity_minimum),
        norm=norm,
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
        "dual_discrepancy_status": dual_status,
        "growth_percentile": int(t.dual_discrepancy_growth_percentile),
        "growth_norm": norm.growth if norm is not None else None,
        "growth_norm_peers": norm.peers if norm is not None else None,
        "min_points_trend": t.min_points_trend,
        "min_points_data_point": t.min_points_data_point,
        "data_point_run": t.data_point_run,
        "goal_met_points": k,
        "goal_met_points_source": "intervention" if facts.exit_goal_met_points else "rule_set",
        "exit_at_benchmark_screening": bool(exit_at_screening),
        "screening_at_benchmark": facts.screening_at_benchmark,
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
