"""The progress graph of one plan (a selectors.PlanView) as plotly JSON, for the plan page and
the meeting-mode card."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from interventions import charts
from interventions.selectors.plan_page import score_number

if TYPE_CHECKING:
    from interventions.selectors.plan_analysis import PlanView


def plan_figure(view: PlanView, *, compact: bool = False) -> dict[str, Any]:
    """Points, aim line, trend, goal, phase changes and benchmark (interventions.charts).
    `compact` is the meeting card's narrow column: phase labels without their goal, and the
    measure's name alone beside the axis."""
    plan = view.plan
    phases = view.phases

    def label(ph: Any) -> str:
        names = {"number": ph.number, "name": ph.intervention.name}
        if compact:
            return _("Phase %(number)s: %(name)s") % names
        return _("Phase %(number)s: %(name)s, goal %(goal)s") % {
            **names,
            "goal": score_number(ph.goal),
        }

    def phase_of(day: dt.date) -> int:
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
        phases=[
            charts.ChartPhase(number=ph.number, start_date=ph.start_date, label=label(ph))
            for ph in phases
        ],
        phase_start=view.phase_start,
        baseline=evidence.get("baseline"),
        goal=float(plan.goal) if plan.goal is not None else None,
        goal_date=plan.goal_date,
        trend=trend,
        measure_name=measure.name if measure else _("Score"),
        unit=measure.unit if measure else "",
        min_score=float(measure.min_score) if measure else 0,
        max_score=float(measure.max_score) if measure else 100,
        benchmark=view.benchmark,
        points_needed=view.points_needed,
    )
    if compact:
        fig["layout"]["yaxis"]["title"] = {"text": measure.name if measure else _("Score")}
    return fig
