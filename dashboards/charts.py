"""Plotly figures of the dashboards, drawn from the `data` rows of analysis.table.Table.

Pure: plain values in, `plotly.graph_objects.Figure` out. A figure shows only figures its
table publishes (a hidden cell is None in `data` and is left out of the chart, never drawn
as zero), and every figure has its table beside it on the page, so nothing is told by
colour alone. Colours are dark enough for 3:1 against white (WCAG 2.1 non-text contrast)
and bars carry their numbers as text.

Each figure is built as one dict of traces and layout and validated once by
`go.Figure(...)`: plotly's incremental `update_layout` / `add_trace` / named templates
cost 50-60 ms a figure, which would dominate a page with several charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}
TIER_COLOURS = {1: "#1b6e3f", 2: "#8a6100", 3: "#a3222f"}
BLUE = "#0b3d6e"
GREY = "#52595f"
ORANGE = "#a14a00"
# The look of plotly's "simple_white" template, set by hand (a named template is copied and
# validated on every figure).
AXIS = {
    "showline": True,
    "linecolor": "#343a40",
    "ticks": "outside",
    "tickcolor": "#343a40",
    "showgrid": False,
    "zeroline": False,
    "automargin": True,
    "fixedrange": True,
}


def _figure(data: list[dict], *, height: int, **layout: Any) -> go.Figure:
    base: dict[str, Any] = {
        "template": "none",
        "height": height,
        "margin": {"l": 16, "r": 16, "t": 36, "b": 48},
        "font": FONT,
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": "#000000"}},
    }
    for axis in ("xaxis", "yaxis"):
        base[axis] = {**AXIS, **layout.pop(axis, {})}
    return go.Figure({"data": data, "layout": {**base, **layout}})


def _height(rows: int, per_row: int = 28, base: int = 120) -> int:
    return max(220, min(1600, base + per_row * rows))


def _vline(x: float, *, dash: str = "dot", width: int = 1) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#000000", "width": width, "dash": dash},
    }


def has_points(data: Sequence[dict], key: str) -> bool:
    """Whether any row publishes `key`: a chart of only hidden figures is left out (its
    table says n<10 everywhere)."""
    return any(d.get(key) is not None for d in data)


def tier_figure(data: Sequence[dict], *, domain_label: str) -> go.Figure:
    """Stacked bars: share of screened students per tier, one bar per school or grade, with
    the 80 / 15 / 5 guide as the first bar."""
    rows = [d for d in data if d.get("screened")]
    labels = [_("Guide (80/15/5)")] + [str(d["unit"]) for d in rows]
    traces = []
    for tier, guide in ((1, 0.80), (2, 0.15), (3, 0.05)):
        values = [guide] + [d.get(f"tier{tier}_share") for d in rows]
        traces.append(
            {
                "type": "bar",
                "name": _("Tier %(tier)s") % {"tier": tier},
                "y": labels,
                "x": [None if v is None else round(v * 100, 1) for v in values],
                "orientation": "h",
                "marker": {"color": TIER_COLOURS[tier]},
                "text": [None if v is None else f"{v * 100:.0f}%" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "#ffffff"},
                # Plotly fills %{y} and %{x}; the words around them are ours.
                "hovertemplate": _("%%{y}: Tier %(tier)s %%{x:.1f}%%") % {"tier": tier}
                + "<extra></extra>",
            }
        )
    return _figure(
        traces,
        height=_height(len(labels)),
        barmode="stack",
        shapes=[_vline(80)],
        xaxis={
            "title": {
                "text": _("%(domain)s: percent of students screened") % {"domain": domain_label}
            },
            "range": [0, 100],
            "ticksuffix": "%",
        },
        yaxis={"autorange": "reversed", "type": "category"},
    )


def movement_figure(data: Sequence[dict], *, window_from: str, window_to: str) -> go.Figure:
    """Sankey of one domain's movement (rows of analysis.tiers.movement_table for that domain);
    a hidden flow is not drawn."""
    nodes = [
        _("Tier %(tier)s (%(window)s)") % {"tier": t, "window": window}
        for window in (window_from, window_to)
        for t in (1, 2, 3)
    ]
    source, target, value = [], [], []
    for d in data:
        if d.get("from") is None:
            continue
        for j in (1, 2, 3):
            v = d.get(f"to{j}")
            if v:
                source.append(int(d["from"]) - 1)
                target.append(2 + j)
                value.append(v)
    sankey = {
        "type": "sankey",
        "arrangement": "fixed",
        "node": {
            "label": nodes,
            "color": [TIER_COLOURS[t] for t in (1, 2, 3)] * 2,
            "pad": 18,
            "thickness": 18,
            "line": {"color": "#ffffff", "width": 1},
        },
        "link": {
            "source": source,
            "target": target,
            "value": value,
            "color": ["rgba(11,61,110,0.25)"] * len(value),
            "hovertemplate": "%{source.label} → %{target.label}: %{value:,} students<extra></extra>",
        },
        "textfont": {"color": "#000000", "size": 13},
    }
    return _figure([sankey], height=320, margin={"l": 16, "r": 16, "t": 16, "b": 16})


def percent_bars(
    data: Sequence[dict],
    *,
    value_key: str,
    label_key: str = "unit",
    axis_title: str,
    goal: float | None = None,
    goal_label: str = "",
) -> go.Figure:
    """Horizontal bars of a share (0..1) per row; hidden rows are left out. Bars below the
    goal are orange (and the table says "No" beside them)."""
    rows = [d for d in data if d.get(value_key) is not None]
    values = [d[value_key] * 100 for d in rows]
    bar = {
        "type": "bar",
        "y": [str(d[label_key]) for d in rows],
        "x": values,
        "orientation": "h",
        "marker": {"color": [BLUE if goal is None or v >= goal * 100 else ORANGE for v in values]},
        "text": [f"{v:.0f}%" for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x:.1f}%<extra></extra>",
    }
    shapes, annotations = [], []
    if goal is not None:
        shapes.append(_vline(goal * 100, dash="dash", width=2))
        annotations.append(
            {
                "x": goal * 100,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "text": goal_label,
                "showarrow": False,
            }
        )
    return _figure(
        [bar],
        height=_height(len(rows)),
        showlegend=False,
        shapes=shapes,
        annotations=annotations,
        margin={"l": 16, "r": 16, "t": 28, "b": 48},
        xaxis={"title": {"text": axis_title}, "range": [0, 108], "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "type": "category"},
    )


def risk_ratio_figure(
    data: Sequence[dict], *, under: float, at_risk: float, over: float
) -> go.Figure:
    """Risk ratio per group (log scale) over the display bands; groups without a published
    ratio are left out. Access gaps are orange diamonds."""
    rows = [d for d in data if d.get("risk_ratio") is not None and d.get("key") != "all"]
    points = {
        "type": "scatter",
        "y": [d["group"] for d in rows],
        "x": [d["risk_ratio"] for d in rows],
        "mode": "markers+text",
        "marker": {
            "color": [ORANGE if d.get("access_gap") else BLUE for d in rows],
            "size": 12,
            "symbol": ["diamond" if d.get("access_gap") else "circle" for d in rows],
        },
        "text": [f"{d['risk_ratio']:.2f}" for d in rows],
        "textposition": "middle right",
        "hovertemplate": "%{y}: risk ratio %{x:.2f}<extra></extra>",
        "cliponaxis": False,
    }
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": a,
            "x1": b,
            "y0": 0,
            "y1": 1,
            "fillcolor": colour,
            "line": {"width": 0},
            "layer": "below",
            "opacity": 1,
        }
        for a, b, colour in (
            (0.01, under, "#e7eef7"),
            (at_risk, over, "#fff3cd"),
            (over, 100, "#f8d7da"),
        )
    ]
    shapes.append({**_vline(1), "line": {"color": GREY, "width": 1, "dash": "dot"}})
    upper = max([d["risk_ratio"] for d in rows] + [over * 1.5])
    lower = min([d["risk_ratio"] for d in rows] + [under / 1.5])
    note = {
        "showarrow": False,
        "yref": "paper",
        "y": 1.02,
        "xref": "paper",
        "font": {"size": 11, "color": GREY},
    }
    return _figure(
        [points],
        height=_height(len(rows)),
        showlegend=False,
        shapes=shapes,
        annotations=[
            {
                **note,
                "x": 0.0,
                "xanchor": "left",
                "text": _("Under-represented below %(under)s") % {"under": f"{under:g}"},
            },
            {
                **note,
                "x": 1.0,
                "xanchor": "right",
                "text": _("At risk above %(at_risk)s · over-represented from %(over)s")
                % {"at_risk": f"{at_risk:g}", "over": f"{over:g}"},
            },
        ],
        margin={"l": 16, "r": 48, "t": 32, "b": 48},
        xaxis={
            "type": "log",
            "title": {"text": _("Risk ratio (log scale; 1 = the same risk as all other students)")},
            "range": [math.log10(max(lower * 0.9, 1e-3)), math.log10(upper * 1.1)],
        },
        yaxis={"autorange": "reversed", "type": "category"},
    )


def composition_figure(data: Sequence[dict]) -> go.Figure:
    """Composition (share of those with the outcome) beside enrollment share, per group."""
    rows = [
        d
        for d in data
        if d.get("key") != "all"
        and (d.get("composition") is not None or d.get("enrollment_share") is not None)
    ]
    labels = [d["group"] for d in rows]
    traces = []
    for key, name, colour in (
        ("enrollment_share", _("Share of those eligible"), GREY),
        ("composition", _("Share of those with the outcome"), BLUE),
    ):
        values = [None if d.get(key) is None else d[key] * 100 for d in rows]
        traces.append(
            {
                "type": "bar",
                "name": name,
                "y": labels,
                "x": values,
                "orientation": "h",
                "marker": {"color": colour},
                "text": [None if v is None else f"{v:.1f}%" for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{y}}: {name.lower()} %{{x:.1f}}%<extra></extra>",
            }
        )
    return _figure(
        traces,
        height=_height(len(rows), per_row=40),
        barmode="group",
        xaxis={"title": {"text": _("Percent")}, "ticksuffix": "%", "range": [0, 110]},
        yaxis={"autorange": "reversed", "type": "category"},
    )


def count_bars(data: Sequence[dict], *, axis_title: str, label_key: str = "label") -> go.Figure:
    """Bars of counts (referrals by location, behavior, hour); hidden counts left out. Pass
    the rows without their total."""
    rows = [d for d in data if d.get("count") is not None]
    top = max([d["count"] for d in rows], default=1)
    bar = {
        "type": "bar",
        "y": [str(d[label_key]) for d in rows],
        "x": [d["count"] for d in rows],
        "orientation": "h",
        "marker": {"color": BLUE},
        "text": [f"{d['count']:,}" for d in rows],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x:,}<extra></extra>",
    }
    return _figure(
        [bar],
        height=_height(len(rows)),
        showlegend=False,
        xaxis={"title": {"text": axis_title}, "range": [0, top * 1.15]},
        yaxis={"autorange": "reversed", "type": "category"},
    )


def per_day_figure(data: Sequence[dict]) -> go.Figure:
    """Referrals per school day, by month (the whole-year row left out); a hidden month is
    a gap in the line."""
    rows = [d for d in data if d.get("month")]
    top = max([d["per_day"] for d in rows if d.get("per_day") is not None], default=1)
    line = {
        "type": "scatter",
        "x": [d["label"] for d in rows],
        "y": [d.get("per_day") for d in rows],
        "mode": "lines+markers+text",
        "line": {"color": BLUE, "width": 2},
        "marker": {"color": BLUE, "size": 9},
        "text": [None if d.get("per_day") is None else f"{d['per_day']:.2f}" for d in rows],
        "textposition": "top center",
        "connectgaps": False,
        "hovertemplate": "%{x}: %{y:.2f} referrals per school day<extra></extra>",
        "cliponaxis": False,
    }
    return _figure(
        [line],
        height=300,
        showlegend=False,
        yaxis={"title": {"text": _("Referrals per school day")}, "range": [0, top * 1.25]},
    )


def warm_up() -> None:
    """Build and serialise one small figure. A process's first figure makes plotly load its
    property validators and the graph-object modules (~0.1 s); mtss/wsgi.py calls this so a
    web worker pays that when it starts, not on someone's first dashboard."""
    _figure([{"type": "bar", "x": ["a"], "y": [1]}], height=220).to_json()
