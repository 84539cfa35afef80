"""The progress-monitoring graph of a plan, built from plain values (no ORM, no request).

What it shows: every progress point (earlier phases in grey, the current
phase in dark blue), the aim line from the baseline at the phase start to the goal at the
goal date, the OLS trend line over the current phase's points, the goal as a star, a dashed
vertical line where each later phase began, the benchmark when known, and an "N more points
needed" note while the rules cannot decide yet. Each series differs by shape or dash as well
as colour, so the graph reads in greyscale too.

The figure is the plotly JSON itself (a dict), as screening.charts builds its own: plotly's
`add_trace` / `update_layout` and serialising cost ~30 ms of CPU per graph, one per plan on
a meeting card.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mtss.lib import wording
from screening.charts import simple_white_template

POINT_COLOUR = "#0b3d6e"  # 11:1 on white
EARLIER_COLOUR = "#6c757d"
AIM_COLOUR = "#146c43"  # dark green, 6.4:1
TREND_COLOUR = "#b02a37"  # dark red, 6.2:1
GOAL_COLOUR = "#146c43"
BENCHMARK_COLOUR = "#52595f"
PHASE_COLOUR = "#343a40"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class ChartPoint:
    date: dt.date
    score: float
    phase: int


@dataclass(frozen=True)
class ChartPhase:
    number: int
    start_date: dt.date
    label: str  # e.g. "Phase 2: Repeated reading, goal 80"


def _fmt(value: float) -> str:
    """80, 72.5 (at most two decimals, in the active locale)."""
    return wording.trimmed(value, 2)


def _iso(day: dt.date) -> str:
    return day.isoformat()


def y_range(values: Sequence[float], *, min_score: float, max_score: float) -> tuple[float, float]:
    """From the lowest value shown (or the measure's minimum) to a little above the highest,
    inside the measure's range: a 0-300 axis would flatten scores of 40 to 70."""
    if not values:
        return float(min_score), float(max_score)
    low, high = min(values), max(values)
    pad = max((high - low) * 0.15, 1.0)
    return max(float(min_score), low - pad), min(float(max_score), high + pad)


def progress_figure(
    *,
    points: Sequence[ChartPoint],
    phases: Sequence[ChartPhase],
    phase_start: dt.date,
    baseline: float | None,
    goal: float | None,
    goal_date: dt.date | None,
    trend: tuple[float, float] | None,
    measure_name: str,
    unit: str = "",
    min_score: float = 0,
    max_score: float = 100,
    benchmark: float | None = None,
    points_needed: int = 0,
) -> dict[str, Any]:
    """The plan's graph as plotly JSON. `trend` is (slope per week, intercept) with time in weeks since
    `phase_start`, as interventions.analysis computes it."""
    current = max((ph.number for ph in phases), default=1)
    data: list[dict[str, Any]] = []
    earlier = [p for p in points if p.phase != current]
    now = [p for p in points if p.phase == current]
    unit_text = f" {unit}" if unit else ""
    if earlier:
        data.append(
            {
                "type": "scatter",
                "x": [_iso(p.date) for p in earlier],
                "y": [p.score for p in earlier],
                "mode": "markers+lines",
                "name": _("Earlier phases"),
                "line": {"color": EARLIER_COLOUR, "width": 1},
                "marker": {"color": EARLIER_COLOUR, "size": 8, "symbol": "circle-open"},
                "hovertemplate": "%{x|%d %b %Y}: %{y}"
                + unit_text
                + "<extra>"
                + _("earlier phase")
                + "</extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "x": [_iso(p.date) for p in now],
            "y": [p.score for p in now],
            "mode": "markers+lines",
            "name": _("Scores (this phase)"),
            "line": {"color": POINT_COLOUR, "width": 2},
            "marker": {"color": POINT_COLOUR, "size": 10, "line": {"color": "#ffffff", "width": 1}},
            "hovertemplate": "%{x|%d %b %Y}: %{y}" + unit_text + "<extra></extra>",
        }
    )
    values = [p.score for p in points]
    if baseline is not None and goal is not None and goal_date is not None:
        data.append(
            {
                "type": "scatter",
                "x": [_iso(phase_start), _iso(goal_date)],
                "y": [baseline, goal],
                "mode": "lines",
                "name": _("Aim line"),
                "line": {"color": AIM_COLOUR, "width": 2, "dash": "dash"},
                # Plotly fills %{y}: the words around it are ours.
                "hovertemplate": _("Aim line: %{y:.1f}") + "<extra></extra>",
            }
        )
        values += [baseline, goal]
    if trend is not None and len(now) >= 2:
        slope, intercept = trend
        first, last = now[0].date, now[-1].date
        weeks = [(d - phase_start).days / 7 for d in (first, last)]
        ys = [intercept + slope * w for w in weeks]
        data.append(
            {
                "type": "scatter",
                "x": [_iso(first), _iso(last)],
                "y": ys,
                "mode": "lines",
                "name": _("Trend (%(slope)s a week)")
                % {"slope": wording.fixed(slope, 2, signed=True)},
                "line": {"color": TREND_COLOUR, "width": 3, "dash": "dot"},
                "hovertemplate": _("Trend: %{y:.1f}") + "<extra></extra>",
            }
        )
        values += ys
    if goal is not None and goal_date is not None:
        data.append(
            {
                "type": "scatter",
                "x": [_iso(goal_date)],
                "y": [goal],
                "mode": "markers+text",
                "name": _("Goal %(goal)s") % {"goal": _fmt(goal)},
                "text": [_("Goal %(goal)s") % {"goal": _fmt(goal)}],
                "textposition": "top left",
                "textfont": {"color": GOAL_COLOUR, "size": 13},
                "marker": {"color": GOAL_COLOUR, "size": 16, "symbol": "star"},
                "hovertemplate": _("Goal %{y} by %{x|%d %b %Y}") + "<extra></extra>",
                "cliponaxis": False,
            }
        )
    shapes: list[dict] = []
    annotations: list[dict] = []
    if benchmark is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": benchmark,
                "y1": benchmark,
                "line": {"color": BENCHMARK_COLOUR, "width": 1, "dash": "longdash"},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": benchmark,
                "yanchor": "bottom",
                "text": _("Benchmark %(benchmark)s") % {"benchmark": _fmt(benchmark)},
                "showarrow": False,
                "font": {"color": BENCHMARK_COLOUR, "size": 12},
            }
        )
        values.append(benchmark)
    for phase in phases:
        if phase.number == 1:
            continue
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "x0": _iso(phase.start_date),
                "x1": _iso(phase.start_date),
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": PHASE_COLOUR, "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "xref": "x",
                "x": _iso(phase.start_date),
                "xanchor": "left",
                "yref": "paper",
                "y": 1,
                "yanchor": "top",
                "text": phase.label,
                "showarrow": False,
                "align": "left",
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"color": PHASE_COLOUR, "size": 12},
            }
        )
    if points_needed > 0:
        annotations.append(
            {
                "xref": "paper",
                "x": 0.5,
                "yref": "paper",
                "y": 0.5,
                "text": ngettext(
                    "%(count)s more point needed before the rules can decide",
                    "%(count)s more points needed before the rules can decide",
                    points_needed,
                )
                % {"count": points_needed},
                "showarrow": False,
                "bgcolor": "#fff3cd",
                "bordercolor": "#4d3a00",
                "borderpad": 6,
                "font": {"color": "#4d3a00", "size": 14},
            }
        )
    low, high = y_range(values, min_score=min_score, max_score=max_score)
    days = [phase_start, *(p.date for p in points), *([goal_date] if goal_date else [])]
    x_start, x_end = min(days), max(days)
    layout = {
        "template": simple_white_template(),
        "height": 360,
        "margin": {"l": 56, "r": 24, "t": 24, "b": 48},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        # Left out when empty, as plotly left them out of its JSON.
        **({"shapes": shapes} if shapes else {}),
        **({"annotations": annotations} if annotations else {}),
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "xaxis": {
            "title": {},
            "type": "date",
            "range": [_iso(x_start - dt.timedelta(days=3)), _iso(x_end + dt.timedelta(days=5))],
            "tickformat": "%d %b",
            "showgrid": True,
            "gridcolor": "#eef0f2",
        },
        "yaxis": {
            # The unit alone: "Oral reading fluency (words correct per minute)" does not fit
            # beside a 360-pixel-high graph; the measure's name heads the card.
            "title": {"text": unit or measure_name},
            "range": [low, high],
            "showgrid": True,
            "gridcolor": "#eef0f2",
            "zeroline": False,
        },
    }
    return {"data": data, "layout": layout}
