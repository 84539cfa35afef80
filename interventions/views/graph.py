"""The plan page's progress graph: the plotly figure and a one-sentence summary of it."""

from __future__ import annotations

import json
from typing import Any

from interventions import charts
from interventions.selectors.plan_analysis import PlanView
from interventions.views.rendering import _decimal_text


def _figure(view: PlanView) -> dict[str, Any]:
    plan = view.plan
    phases = view.phases
    chart_phases = [
        charts.ChartPhase(
            number=ph.number,
            start_date=ph.start_date,
            label=f"Phase {ph.number}: {ph.intervention.name}, goal {_decimal_text(ph.goal)}",
        )
        for ph in phases
    ]

    def phase_of(day) -> int:
        number = 1
        for ph in phases:
            if ph.start_date <= day:
                number = ph.number
        return number

    analysis = view.analysis
    evidence = analysis.evidence if analysis else {}
    trend = None
    if analysis is not None and analysis.trend_slope is not None:
        trend = (analysis.trend_slope, evidence["trend_intercept"])
    measure = plan.measure
    fig = charts.progress_figure(
        points=[charts.ChartPoint(p.date, float(p.score), phase_of(p.date)) for p in view.points],
        phases=chart_phases,
        phase_start=view.phase_start,
        baseline=evidence.get("baseline"),
        goal=float(plan.goal) if plan.goal is not None else None,
        goal_date=plan.goal_date,
        trend=trend,
        measure_name=measure.name if measure else "Score",
        unit=measure.unit if measure else "",
        min_score=float(measure.min_score) if measure else 0,
        max_score=float(measure.max_score) if measure else 100,
        benchmark=view.benchmark,
        points_needed=view.points_needed,
    )
    return json.loads(fig.to_json())


def _graph_summary(view: PlanView) -> str:
    """One sentence for screen readers describing what the graph shows."""
    n = len(view.phase_points)
    if not view.points:
        return "No progress scores yet: the graph shows the aim line from the baseline to the goal."
    last = view.points[-1]
    text = (
        f"{len(view.points)} score{'s' if len(view.points) != 1 else ''} in all, {n} in the "
        f"current phase; latest {_decimal_text(last.score)} on {last.date:%d %b %Y}."
    )
    if view.plan.goal is not None and view.plan.goal_date:
        text += f" Goal {_decimal_text(view.plan.goal)} by {view.plan.goal_date:%d %b %Y}."
    if view.analysis and view.analysis.trend_slope is not None:
        text += f" Trend {view.analysis.trend_slope:+.2f} a week"
        if view.analysis.aim_slope is not None:
            text += f" against an aim of {view.analysis.aim_slope:+.2f} a week"
        text += "."
    return text
