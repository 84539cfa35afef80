"""The plan page's progress graph in words: a one-sentence summary for screen readers
(the figure itself is interventions.plan_chart.plan_figure)."""

from __future__ import annotations

from interventions.selectors.plan_analysis import PlanView
from interventions.views.rendering import _decimal_text


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
