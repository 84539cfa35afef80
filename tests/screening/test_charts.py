"""The screening-history chart: bands per window, points, axis and the text summary.

Pure: plain values in, a plotly figure out; no database. Numbers worked out by hand from the
grade 3 Acadience example (fall 70 / 55, winter 86 / 68) and the SRSS-E7 cuts (3 / 8).
"""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
import pytest

from screening.charts import (
    BAND_COLOURS,
    HistoryPoint,
    band_edges,
    history_figure,
    history_summary,
    y_range,
)


def _figure(*args, **kwargs) -> go.Figure:
    # The chart is plotly JSON; plotly itself validates it here (a wrong key raises).
    return go.Figure(history_figure(*args, **kwargs))


FALL = HistoryPoint("Fall 2026-2027", Decimal("50"), "high_risk", Decimal("70"), Decimal("55"))
WINTER = HistoryPoint("Winter 2026-2027", Decimal("75"), "some_risk", Decimal("86"), Decimal("68"))


def test_it_draws_high_some_and_at_or_above_bands_for_a_higher_is_better_measure():
    assert band_edges(FALL, higher_is_better=True, y_min=0, y_max=100) == [
        ("high_risk", 0, 55),
        ("some_risk", 55, 70),
        ("at_or_above", 70, 100),
    ]


def test_it_turns_the_bands_upside_down_when_lower_is_better():
    point = HistoryPoint("Fall 2026-2027", 5, "some_risk", benchmark=3, high_risk_cut=8)
    assert band_edges(point, higher_is_better=False, y_min=0, y_max=21) == [
        ("at_or_above", 0, 3),
        ("some_risk", 3, 8),
        ("high_risk", 8, 21),
    ]


def test_it_clips_bands_to_the_axis_and_drops_a_band_outside_it():
    assert band_edges(FALL, higher_is_better=True, y_min=0, y_max=60) == [
        ("high_risk", 0, 55),
        ("some_risk", 55, 60),
    ]


def test_it_draws_no_band_for_a_window_without_cut_scores():
    point = HistoryPoint("Fall 2025-2026", 40, None)
    assert band_edges(point, higher_is_better=True, y_min=0, y_max=100) == []


def test_it_scales_the_axis_to_the_scores_and_cuts_not_the_measures_maximum():
    # Highest value shown is the winter benchmark 86; 20 % headroom -> 103.2, below 250.
    assert y_range([FALL, WINTER], min_score=0, max_score=250) == (0.0, pytest.approx(103.2))
    # Never past the measure's maximum.
    assert y_range([HistoryPoint("x", 20, None)], min_score=0, max_score=21) == (0.0, 21.0)


def test_it_puts_one_set_of_bands_behind_each_window():
    fig = _figure(
        [FALL, WINTER], measure_name="ORF", higher_is_better=True, min_score=0, max_score=250
    )
    shapes = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(shapes) == 6
    fall_bands = [(s.x0, s.x1, s.y0, s.y1, s.fillcolor) for s in shapes[:3]]
    assert fall_bands == [
        (-0.5, 0.5, 0, 55, BAND_COLOURS["high_risk"]),
        (-0.5, 0.5, 55, 70, BAND_COLOURS["some_risk"]),
        (-0.5, 0.5, 70, pytest.approx(103.2), BAND_COLOURS["at_or_above"]),
    ]
    winter_bands = [(s.x0, s.x1, s.y0, s.y1) for s in shapes[3:]]
    assert winter_bands == [
        (0.5, 1.5, 0, 68),
        (0.5, 1.5, 68, 86),
        (0.5, 1.5, 86, pytest.approx(103.2)),
    ]
    assert all(s.layer == "below" for s in shapes)
    assert all(s.opacity == 1 for s in shapes)
    # Each band is named once in the legend.
    assert [s.name for s in shapes if s.showlegend] == [
        "High risk",
        "Some risk",
        "At or above benchmark",
    ]


def test_it_marks_the_benchmark_and_high_risk_cut_of_each_window_with_lines():
    fig = _figure([FALL, WINTER], measure_name="ORF", min_score=0, max_score=250)
    lines = [(s.name, s.x0, s.x1, s.y0) for s in fig.layout.shapes if s.type == "line"]
    assert lines == [
        ("Benchmark", -0.5, 0.5, 70),
        ("High-risk cut", -0.5, 0.5, 55),
        ("Benchmark", 0.5, 1.5, 86),
        ("High-risk cut", 0.5, 1.5, 68),
    ]
    named = [s.name for s in fig.layout.shapes if s.type == "line" and s.showlegend]
    assert named == ["Benchmark", "High-risk cut"]


def test_it_plots_the_scores_with_labels_and_a_shape_per_risk_level():
    fig = _figure([FALL, WINTER], measure_name="ORF", unit="words correct per minute")
    [trace] = fig.data
    assert list(trace.x) == [0, 1]
    assert list(trace.y) == [50.0, 75.0]
    assert list(trace.text) == ["50", "75"]
    assert list(trace.marker.symbol) == ["square", "diamond"]  # not colour alone
    assert list(fig.layout.xaxis.ticktext) == ["Fall 2026-2027", "Winter 2026-2027"]
    assert fig.layout.yaxis.title.text == "words correct per minute"


def test_it_summarises_the_history_in_words():
    assert history_summary([FALL, WINTER], measure_name="ORF") == (
        "2 ORF scores from Fall 2026-2027 to Winter 2026-2027. Latest: 75 in Winter 2026-2027 "
        "(some risk), up from 50. The benchmark that window was 86."
    )
    assert history_summary([FALL], measure_name="ORF") == (
        "One ORF score: 50 in Fall 2026-2027 (high risk). The benchmark that window was 70."
    )
    assert history_summary([], measure_name="ORF") == "No ORF scores yet."
