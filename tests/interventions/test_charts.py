"""The progress graph's figure, from plain values."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from interventions.charts import ChartPhase, ChartPoint, progress_figure, y_range

START = dt.date(2026, 9, 7)


def week(w: int) -> dt.date:
    return START + dt.timedelta(weeks=w)


def figure(**overrides):
    values = dict(
        points=[ChartPoint(week(w), s, 1) for w, s in enumerate([42, 45, 44, 48])],
        phases=[ChartPhase(1, START, "Phase 1")],
        phase_start=START,
        baseline=42.0,
        goal=72.0,
        goal_date=week(20),
        trend=(1.7619, 42.083),
        measure_name="ORF",
        unit="words correct per minute",
        min_score=0,
        max_score=250,
    )
    values.update(overrides)
    # The graph is plotly JSON; plotly itself validates it here (a wrong key raises).
    return go.Figure(progress_figure(**values)).to_plotly_json()


def test_it_draws_points_aim_trend_and_goal():
    fig = figure()
    by_name = {t["name"]: t for t in fig["data"]}
    assert list(by_name["Scores (this phase)"]["y"]) == [42, 45, 44, 48]
    aim = by_name["Aim line"]
    assert (list(aim["x"]), list(aim["y"])) == (
        [START.isoformat(), week(20).isoformat()],
        [42.0, 72.0],
    )
    trend = by_name["Trend (+1.76 a week)"]
    # From the first point (week 0: 42.083) to the last (week 3: 42.083 + 3 x 1.7619).
    assert [round(y, 3) for y in trend["y"]] == [42.083, 47.369]
    assert list(by_name["Goal 72"]["y"]) == [72.0]


def test_it_marks_each_later_phase_and_greys_earlier_points():
    fig = figure(
        points=[ChartPoint(week(0), 40, 1), ChartPoint(week(1), 41, 1), ChartPoint(week(2), 45, 2)],
        phases=[ChartPhase(1, START, "Phase 1"), ChartPhase(2, week(2), "Phase 2: new goal")],
        trend=None,
    )
    names = [t["name"] for t in fig["data"]]
    assert names[:2] == ["Earlier phases", "Scores (this phase)"]
    lines = [s for s in fig["layout"]["shapes"] if s.get("yref") == "paper"]
    assert [s["x0"] for s in lines] == [week(2).isoformat()]
    assert "Phase 2: new goal" in [a["text"] for a in fig["layout"]["annotations"]]


def test_it_says_how_many_points_are_still_needed():
    fig = figure(points_needed=2, trend=None)
    assert "2 more points needed before the rules can decide" in [
        a["text"] for a in fig["layout"]["annotations"]
    ]


def test_it_keeps_the_y_axis_near_the_data():
    assert y_range([40, 72], min_score=0, max_score=250) == (35.2, 76.8)
    assert y_range([], min_score=0, max_score=10) == (0, 10)
    assert y_range([1, 9], min_score=0, max_score=10) == (0, 10)
