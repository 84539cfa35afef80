"""The progress graph of a report as a static image, drawn on the server with ReportLab's
graphics (no browser, no JavaScript, no network): an SVG for the page and the same drawing
inside the PDF. Dots are the scores, the dashed line is the goal.

`chart_data` is the plain JSON a report stores, so the image can be drawn again, identical,
long after the plan's data changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

WIDTH, HEIGHT = 480, 240
BLUE = colors.HexColor("#1f4e99")
GREEN = colors.HexColor("#1b7a3a")


def chart_data(
    *,
    points: list[tuple[dt.date, float]],
    goal: float | None,
    goal_date: dt.date | None,
    start_date: dt.date,
    labels: dict[str, str],
    date_labels: dict[str, str],
) -> dict[str, Any]:
    return {
        "start": start_date.isoformat(),
        "points": [[d.isoformat(), float(s)] for d, s in points],
        "goal": float(goal) if goal is not None else None,
        "goal_date": goal_date.isoformat() if goal_date else None,
        "labels": labels,
        "date_labels": date_labels,  # first and last date, formatted in the family's locale
    }


def _weeks(start: dt.date, day: str) -> float:
    return (dt.date.fromisoformat(day) - start).days / 7


def drawing(data: dict[str, Any]) -> Drawing:
    start = dt.date.fromisoformat(data["start"])
    pts = [(_weeks(start, d), s) for d, s in data["points"]]
    goal, goal_date = data.get("goal"), data.get("goal_date")
    end_x = max([x for x, _ in pts] + [_weeks(start, goal_date) if goal_date else 1, 1])
    values = [s for _, s in pts] + ([goal] if goal is not None else [])
    low = min(values, default=0)
    high = max(values, default=10)
    pad = max((high - low) * 0.15, 1)

    d = Drawing(WIDTH, HEIGHT)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 50, 40, WIDTH - 80, HEIGHT - 80
    series = [pts or [(0, low)]]
    if goal is not None:
        series.append([(0, goal), (end_x, goal)])
    plot.data = series
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, end_x
    plot.xValueAxis.visibleLabels = 0
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = max(low - pad, 0), high + pad
    plot.lines[0].strokeColor = BLUE
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle", size=5, fillColor=BLUE)
    if not pts:
        plot.lines[0].strokeColor = colors.white
    if goal is not None:
        plot.lines[1].strokeColor = GREEN
        plot.lines[1].strokeWidth = 1.5
        plot.lines[1].strokeDashArray = [6, 3]
    d.add(plot)
    labels = data.get("labels", {})
    d.add(String(50, HEIGHT - 22, labels.get("title", ""), fontSize=12, fillColor=colors.black))
    d.add(Line(WIDTH - 175, HEIGHT - 18, WIDTH - 160, HEIGHT - 18, strokeColor=BLUE))
    d.add(String(WIDTH - 155, HEIGHT - 22, labels.get("scores", ""), fontSize=10))
    if goal is not None:
        d.add(
            Line(
                WIDTH - 100,
                HEIGHT - 18,
                WIDTH - 85,
                HEIGHT - 18,
                strokeColor=GREEN,
                strokeDashArray=[4, 2],
            )
        )
        d.add(String(WIDTH - 80, HEIGHT - 22, labels.get("goal", ""), fontSize=10))
    dates = data.get("date_labels", {})
    d.add(String(50, 22, dates.get("first", ""), fontSize=9))
    d.add(String(WIDTH - 30, 22, dates.get("last", ""), fontSize=9, textAnchor="end"))
    return d


def svg(data: dict[str, Any]) -> str:
    """The graph as SVG text (an <svg> element, no XML prolog)."""
    text = renderSVG.drawToString(drawing(data))
    return text[text.index("<svg") :]
