"""Equity arithmetic against domain.md section 5's worked example and hand-computed gates,
bands and suppression. No database."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboards.equity import (
    BAND_AT_RISK,
    BAND_NONE,
    BAND_NOT_ENOUGH,
    BAND_OVER,
    BAND_UNDER,
    Dimension,
    EquityThresholds,
    GroupSpec,
    band,
    equity_rows,
    group_counts,
    risk,
    risk_ratio,
    total_row,
)


def test_it_reproduces_the_worked_example_of_domain_md():
    # Group N=200, X=30 (R=0.15); all others N=1800, X=150 (R=0.0833): RR 1.80.
    assert risk(30, 200) == pytest.approx(0.15)
    assert risk(150, 1800) == pytest.approx(0.0833, abs=1e-4)
    assert risk_ratio(n_g=200, x_g=30, n_other=1800, x_other=150) == pytest.approx(1.80)
    assert band(1.80) == BAND_AT_RISK
    dim = Dimension(
        "english_learner",
        "English learner",
        (GroupSpec("english_learner", "el", "English learners", "el", True),),
        complete=False,
    )
    [row] = equity_rows({"el": (200, 30)}, total_n=2000, total_x=180, dims=[dim])
    assert row.composition == pytest.approx(30 / 180)  # 16.7 %
    assert round(row.composition * 100, 1) == 16.7
    assert row.enrollment_share == pytest.approx(0.10)
    assert row.published() == {
        "group": "English learners",
        "n": 200,
        "x": 30,
        "risk": pytest.approx(0.15),
        "risk_ratio": pytest.approx(1.8),
        "composition": pytest.approx(0.1667, abs=1e-4),
        "enrollment_share": pytest.approx(0.1),
        "band": BAND_AT_RISK,
        "suppressed": False,
    }


@pytest.mark.parametrize(
    ("n_g", "x_g", "n_other", "x_other"),
    [
        (29, 10, 500, 50),  # group below n-size 30
        (30, 9, 500, 50),  # group below cell size 10
        (200, 30, 29, 10),  # comparison below n-size
        (200, 30, 500, 9),  # comparison below cell size
    ],
)
def test_it_refuses_a_risk_ratio_below_the_n_size_or_cell_size(n_g, x_g, n_other, x_other):
    assert risk_ratio(n_g=n_g, x_g=x_g, n_other=n_other, x_other=x_other) is None
    assert band(None) == BAND_NOT_ENOUGH


def test_it_computes_a_risk_ratio_exactly_at_the_gates():
    # 10/30 against 10/60: 0.3333 / 0.1667 = 2.0.
    assert risk_ratio(n_g=30, x_g=10, n_other=60, x_other=10) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("rr", "expected"),
    [
        (0.5, BAND_UNDER),
        (0.669, BAND_UNDER),
        (0.67, BAND_NONE),
        (1.0, BAND_NONE),
        (1.5, BAND_NONE),
        (1.51, BAND_AT_RISK),
        (1.99, BAND_AT_RISK),
        (2.0, BAND_OVER),
        (3.4, BAND_OVER),
    ],
)
def test_it_places_risk_ratios_in_the_ospi_bands(rr, expected):
    assert band(rr) == expected


def test_it_uses_a_districts_own_band_edges():
    t = EquityThresholds(under=0.8, at_risk=1.25, over=3.0)
    assert band(0.75, t) == BAND_UNDER
    assert band(1.3, t) == BAND_AT_RISK
    assert band(2.5, t) == BAND_AT_RISK
    assert band(3.0, t) == BAND_OVER


RACE = Dimension(
    "race_ethnicity",
    "Race/ethnicity",
    (
        GroupSpec("race_ethnicity", "race:a", "Group A", "race", "a"),
        GroupSpec("race_ethnicity", "race:b", "Group B", "race", "b"),
        GroupSpec("race_ethnicity", "race:c", "Group C", "race", "c"),
    ),
    complete=True,
)


def test_it_hides_a_small_group_and_a_second_group_so_the_total_gives_nothing_away():
    # 600 students, 90 with the outcome: A 400/60, B 192/26, C 8/4.
    counts = {"race:a": (400, 60), "race:b": (192, 26), "race:c": (8, 4)}
    rows = {r.key: r for r in equity_rows(counts, total_n=600, total_x=90, dims=[RACE])}
    c = rows["race:c"].published()
    assert c["n"] is None and c["x"] is None and c["risk"] is None and c["suppressed"] is True
    assert c["band"] == "n<10"
    # B's N and X are hidden too: else C = total - A - B.
    b = rows["race:b"].published()
    assert b["n"] is None and b["x"] is None and b["risk_ratio"] is None
    a = rows["race:a"].published()
    assert a["n"] == 400 and a["x"] == 60 and a["suppressed"] is False
    # A: 60/400 = 0.15 against 30/200 = 0.15.
    assert a["risk_ratio"] == pytest.approx(1.0) and a["band"] == BAND_NONE
    assert a["composition"] == pytest.approx(60 / 90)
    assert a["enrollment_share"] == pytest.approx(400 / 600)


def test_it_hides_the_outcome_count_of_a_large_group_with_few_outcomes():
    counts = {"race:a": (300, 5), "race:b": (200, 40), "race:c": (100, 30)}
    rows = {r.key: r.published() for r in equity_rows(counts, total_n=600, total_x=75, dims=[RACE])}
    assert rows["race:a"]["n"] == 300  # the group's size is not small
    assert rows["race:a"]["x"] is None and rows["race:a"]["risk"] is None
    assert rows["race:a"]["composition"] is None
    assert rows["race:a"]["enrollment_share"] == pytest.approx(0.5)
    # The next smallest X (C's 30) is hidden with it; B stays.
    assert rows["race:c"]["x"] is None and rows["race:b"]["x"] == 40


def test_it_marks_an_access_gap_when_an_at_risk_group_is_placed_less_often():
    # Placed given at risk: group 40 at risk, 10 placed (0.25); others 160 at risk, 80 placed
    # (0.5): RR 0.5 < 0.67.
    dim = Dimension("iep", "IEP", (GroupSpec("iep", "iep", "IEP", "iep", True),), complete=False)
    [row] = equity_rows({"iep": (40, 10)}, total_n=200, total_x=90, dims=[dim], access_step=True)
    assert row.risk_ratio == pytest.approx(0.5)
    assert row.band == BAND_UNDER
    assert row.access_gap is True
    [other] = equity_rows({"iep": (40, 10)}, total_n=200, total_x=90, dims=[dim])
    assert other.access_gap is False  # only the placement step is about access


def test_it_counts_groups_from_a_frame_weighted_by_database_counts():
    frame = pd.DataFrame(
        {
            "race": ["a", "a", "b", "c"],
            "eligible": [True, True, True, False],
            "outcome": [True, False, True, True],
            "weight": [30, 370, 50, 9],
        }
    )
    counts = group_counts(frame, [RACE])
    assert counts == {"race:a": (400, 30), "race:b": (50, 50), "race:c": (0, 0)}


def test_it_hides_the_all_students_row_when_it_is_small():
    row = total_row(8, 3).published()
    assert row["n"] is None and row["x"] is None and row["suppressed"] is True
    big = total_row(2000, 180).published()
    assert big["n"] == 2000 and big["risk"] == pytest.approx(0.09)
