"""Plotly figures of the screening pages, built from plain values (no ORM, no request).

A figure is the plotly JSON itself (a dict for `json_script`), not a `go.Figure`: building
one through plotly's `update_layout` / `add_trace` and serialising it cost 25-80 ms of CPU per
chart, several charts on every student profile and meeting card.

The student profile's "Screening history" chart: one point per window, and behind each point
the benchmark bands that applied in that window (high risk, some risk, at or above), drawn as
rectangles, because cut scores change from season to season and from grade to grade.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mtss.lib import wording
from mtss.lib.vocabulary import RiskLevel

# Band fills: a shade deeper than the risk badges (static/css/app.css) so the bands show on a
# white page; the dark-blue points and labels stay above 7:1 on every fill. Pale fills alone
# cannot reach 3:1 against each other, so the edges are drawn as dark lines (> 5:1).
BAND_COLOURS = {
    RiskLevel.HIGH_RISK: "#f5c2c7",
    RiskLevel.SOME_RISK: "#ffecb5",
    RiskLevel.AT_OR_ABOVE: "#badbcc",
}
BENCHMARK_LINE = {"color": "#0a3622", "width": 2}
HIGH_RISK_LINE = {"color": "#842029", "width": 2, "dash": "dash"}
POINT_COLOUR = "#0b3d6e"
# Marker shapes per risk level, so the level is not told by colour alone.
RISK_SYMBOLS = {
    RiskLevel.AT_OR_ABOVE: "circle",
    RiskLevel.SOME_RISK: "diamond",
    RiskLevel.HIGH_RISK: "square",
    None: "circle-open",
}


def band_labels() -> dict[str, str]:
    """The bands' names in the active language (a legend entry, a point's hover)."""
    return {
        RiskLevel.AT_OR_ABOVE: _("At or above benchmark"),
        RiskLevel.SOME_RISK: _("Some risk"),
        RiskLevel.HIGH_RISK: _("High risk"),
    }


def _level_in_sentence(level: str | None) -> str:
    words = {
        RiskLevel.AT_OR_ABOVE: _("at or above benchmark"),
        RiskLevel.SOME_RISK: _("some risk"),
        RiskLevel.HIGH_RISK: _("high risk"),
    }
    return words.get(level, _("no cut score for that grade and season"))


@dataclass(frozen=True)
class HistoryPoint:
    """One score of a student on one measure, with the cut scores that classified it."""

    label: str  # the window, e.g. "Fall 2026-2027"
    score: Decimal | float
    risk_level: str | None
    benchmark: Decimal | float | None = None
    high_risk_cut: Decimal | float | None = None


def _fmt(value: Decimal | float) -> str:
    return wording.trimmed(float(value), 2)


@functools.cache
def simple_white_template() -> dict[str, Any]:
    """Plotly's "simple_white" template as JSON, read once per process: the look the charts
    had when plotly expanded the named template into every figure."""
    import plotly.io as pio

    return pio.templates["simple_white"].to_plotly_json()


def band_edges(
    point: HistoryPoint, *, higher_is_better: bool, y_min: float, y_max: float
) -> list[tuple[RiskLevel, float, float]]:
    """The three (level, low, high) bands of one window, clipped to the chart's y range.

    Higher is better: high risk below the high-risk cut, some risk up to the benchmark, at or
    above from the benchmark up. Lower is better: the same bands upside down.
    """
    if point.benchmark is None or point.high_risk_cut is None:
        return []
    bench = float(point.benchmark)
    cut = float(point.high_risk_cut)
    if higher_is_better:
        bands = [
            (RiskLevel.HIGH_RISK, y_min, cut),
            (RiskLevel.SOME_RISK, cut, bench),
            (RiskLevel.AT_OR_ABOVE, bench, y_max),
        ]
    else:
        bands = [
            (RiskLevel.AT_OR_ABOVE, y_min, bench),
            (RiskLevel.SOME_RISK, bench, cut),
            (RiskLevel.HIGH_RISK, cut, y_max),
        ]
    clipped = []
    for level, low, high in bands:
        low, high = max(low, y_min), min(high, y_max)
        if high > low:
            clipped.append((level, low, high))
    return clipped


def y_range(
    points: list[HistoryPoint], *, min_score: float, max_score: float
) -> tuple[float, float]:
    """From the measure's lowest score to a bit above the highest score or cut shown.

    Not the measure's maximum: a 0-300 axis would squash scores of 40 into a line.
    """
    values = [float(p.score) for p in points]
    values += [float(v) for p in points for v in (p.benchmark, p.high_risk_cut) if v is not None]
    top = max(values, default=max_score)
    top = min(max_score, top * 1.2 if top > 0 else max_score)
    if top <= min_score:
        top = max_score
    return float(min_score), float(top)


def history_figure(
    points: list[HistoryPoint],
    *,
    measure_name: str,
    unit: str = "",
    higher_is_better: bool = True,
    min_score: float = 0,
    max_score: float = 100,
) -> dict[str, Any]:
    """Scores across windows (x: one slot per window, in order) over their benchmark bands,
    as plotly JSON (`{"data": [...], "layout": {...}}`)."""
    y_min, y_max = y_range(points, min_score=float(min_score), max_score=float(max_score))
    xs = list(range(len(points)))
    labels = band_labels()
    shapes = []
    in_legend: set[RiskLevel] = set()
    for x, point in zip(xs, points, strict=True):
        for level, low, high in band_edges(
            point, higher_is_better=higher_is_better, y_min=y_min, y_max=y_max
        ):
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "y",
                    "x0": x - 0.5,
                    "x1": x + 0.5,
                    "y0": low,
                    "y1": high,
                    "fillcolor": BAND_COLOURS[level],
                    "opacity": 1,  # templates default shapes to 0.3-0.4, too faint to read
                    "line": {"width": 0},
                    "layer": "below",
                    "name": labels[level],
                    "legendgroup": level.value,
                    "showlegend": level not in in_legend,
                }
            )
            in_legend.add(level)
    lines_named: set[str] = set()
    for x, point in zip(xs, points, strict=True):
        for name, value, style in (
            (_("Benchmark"), point.benchmark, BENCHMARK_LINE),
            (_("High-risk cut"), point.high_risk_cut, HIGH_RISK_LINE),
        ):
            if value is None or not y_min <= float(value) <= y_max:
                continue
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "y",
                    "x0": x - 0.5,
                    "x1": x + 0.5,
                    "y0": float(value),
                    "y1": float(value),
                    "line": style,
                    "opacity": 1,
                    "layer": "below",
                    "name": name,
                    "showlegend": name not in lines_named,
                }
            )
            lines_named.add(name)
    data: list[dict[str, Any]] = []
    data.append(
        {
            "type": "scatter",
            "x": xs,
            "y": [float(p.score) for p in points],
            "mode": "lines+markers+text",
            "name": _("%(measure)s score") % {"measure": measure_name},
            "text": [_fmt(p.score) for p in points],
            "textposition": "top center",
            "textfont": {"color": POINT_COLOUR, "size": 13},
            "line": {"color": POINT_COLOUR, "width": 2},
            "marker": {
                "color": POINT_COLOUR,
                "size": 11,
                "symbol": [RISK_SYMBOLS.get(p.risk_level, "circle-open") for p in points],
                "line": {"color": "#ffffff", "width": 1},
            },
            "customdata": [labels.get(p.risk_level, _("No cut score")) for p in points],
            "hovertemplate": "%{text}: %{customdata}<extra></extra>",
            "cliponaxis": False,
        }
    )
    layout = {
        "template": simple_white_template(),
        "shapes": shapes,
        "height": 300,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            "y": -0.18,
            "x": 0,
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "xaxis": {
            "tickmode": "array",
            "tickvals": xs,
            "ticktext": [p.label for p in points],
            "range": [-0.5, max(len(points) - 0.5, 0.5)],
            "showgrid": False,
            "fixedrange": True,
        },
        "yaxis": {
            "title": {"text": unit or _("Score")},
            "range": [y_min, y_max],
            "gridcolor": "rgba(0,0,0,0.08)",
            "zeroline": False,
            "fixedrange": True,
        },
    }
    return {"data": data, "layout": layout}


def history_summary(points: list[HistoryPoint], *, measure_name: str) -> str:
    """One or two sentences that say what the chart shows, for screen readers and print."""
    if not points:
        return _("No %(measure)s scores yet.") % {"measure": measure_name}
    first, last = points[0], points[-1]
    values = {
        "measure": measure_name,
        "count": len(points),
        "first": first.label,
        "window": last.label,
        "score": _fmt(last.score),
        "first_score": _fmt(first.score),
        "level": _level_in_sentence(last.risk_level),
    }
    if len(points) == 1:
        sentences = [_("One %(measure)s score: %(score)s in %(window)s (%(level)s).") % values]
    else:
        if float(last.score) > float(first.score):
            latest = _("Latest: %(score)s in %(window)s (%(level)s), up from %(first_score)s.")
        elif float(last.score) < float(first.score):
            latest = _("Latest: %(score)s in %(window)s (%(level)s), down from %(first_score)s.")
        else:
            latest = _("Latest: %(score)s in %(window)s (%(level)s), the same as the first.")
        sentences = [
            _("%(count)s %(measure)s scores from %(first)s to %(window)s.") % values,
            latest % values,
        ]
    if last.benchmark is not None:
        sentences.append(
            _("The benchmark that window was %(benchmark)s.") % {"benchmark": _fmt(last.benchmark)}
        )
    return " ".join(sentences)
