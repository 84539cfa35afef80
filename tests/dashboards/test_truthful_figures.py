"""Hand-built districts for the rules that keep the dashboards' figures truthful: exact band
edges, outcome direction, the alternate risk ratio, complementary suppression that hides the
least, yes/no groups and the "All students" row, and one "responding" shared with the plan
analysis. No database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd
import pytest

from dashboards import suppression
from dashboards.analysis.interventions import plan_outcomes
from dashboards.analysis.pipeline import (
    DIMENSIONS,
    STEP_BY_KEY,
    equity_step,
    equity_table,
    pipeline_frame,
    pipeline_overview,
)
from dashboards.analysis.years import consecutive_concern, equity_years_table
from dashboards.equity import (
    BAND_AT_RISK,
    BAND_LESS_ACCESS,
    BAND_MUCH_MORE_ACCESS,
    BAND_NONE,
    BAND_NOT_ENOUGH,
    BAND_OVER,
    BAND_UNDER,
    band,
    equity_rows,
    exact_risk_ratio,
    risk_ratio,
)
from dashboards.suppression import CAUTION, COMPLEMENT, SUPPRESSED
from interventions.analysis import PlanFacts, ProgressPoint, analyze_plan, is_responding

SEX = next(d for d in DIMENSIONS if d.key == "sex")
IEP = next(d for d in DIMENSIONS if d.key == "iep")

# -- exact arithmetic at the band edges --------------------------------------------------------


def test_13_of_30_against_13_of_45_is_exactly_1_5_and_no_concern():
    # In floating point the ratio is 1.5000000000000002, just inside "at risk".
    assert (13 / 30) / (13 / 45) > 1.5
    rr = exact_risk_ratio(n_g=30, x_g=13, n_other=45, x_other=13)
    assert rr == Fraction(3, 2)
    [row] = equity_rows(
        {"iep": (30, 13)}, total_n=75, total_x=26, dims=[IEP]
    )  # the rest: 45 with 13
    assert row.band == BAND_NONE and row.risk_ratio == 1.5


@pytest.mark.parametrize(
    ("n_g", "x_g", "n_other", "x_other", "expected"),
    [
        (100, 67, 100, 100, BAND_NONE),  # exactly 0.67: the edge belongs to "none"
        (1000, 669, 100, 100, BAND_UNDER),  # 0.669
        (30, 15, 60, 15, BAND_OVER),  # exactly 2.0
        (300, 199, 300, 100, BAND_AT_RISK),  # 1.99
        (300, 151, 300, 100, BAND_AT_RISK),  # 1.51
    ],
)
def test_each_band_edge_is_decided_on_the_exact_ratio(n_g, x_g, n_other, x_other, expected):
    rr = exact_risk_ratio(n_g=n_g, x_g=x_g, n_other=n_other, x_other=x_other)
    assert band(rr) == expected
    assert band(float(rr)) == expected  # a float is read as the decimal it prints as
    assert risk_ratio(n_g=n_g, x_g=x_g, n_other=n_other, x_other=x_other) == pytest.approx(
        float(rr)
    )


def test_thresholds_are_read_as_the_decimals_they_are_written_as():
    assert band(Fraction(67, 100)) == BAND_NONE
    assert band(Fraction(66999, 100000)) == BAND_UNDER
    assert band(Fraction(3, 2)) == BAND_NONE
    assert band(Fraction(3, 2) + Fraction(1, 10**9)) == BAND_AT_RISK


# -- outcome direction -------------------------------------------------------------------------


def test_a_desirable_outcome_is_banded_in_the_words_of_access():
    assert band(0.5, desirable=True) == BAND_LESS_ACCESS
    assert band(1.0, desirable=True) == BAND_NONE
    assert band(2.5, desirable=True) == BAND_MUCH_MORE_ACCESS
    assert band(2.5) == BAND_OVER
    assert band(None, desirable=True) == BAND_NOT_ENOUGH
    desirable = {k for k, s in STEP_BY_KEY.items() if s.desirable}
    assert desirable == {"screened", "placed", "fidelity", "responding", "exited"}


def _frame(rows):
    return pipeline_frame(rows)


def _row(race, **flags):
    base = dict.fromkeys(
        (
            "screened",
            "classified",
            "at_risk",
            "flagged",
            "placed",
            "decided",
            "overridden",
            "referred",
            "major_referral",
            "suspended",
            "fidelity_known",
            "fidelity_ok",
            "trend_known",
            "responding",
            "exited",
        ),
        False,
    )
    n = flags.pop("n")
    return {
        "race_ethnicity": race,
        "sex": "F",
        "english_learner": False,
        "iep": False,
        "section_504": False,
        "economically_disadvantaged": False,
        **base,
        **flags,
        "n": n,
    }


def test_exiting_with_the_goal_met_less_often_is_the_concern_not_over_representation():
    # Students with a plan: Black 100 (20 exited), White 300 (150 exited). Black RR 0.4.
    rows = [
        _row("black", placed=True, exited=True, n=20),
        _row("black", placed=True, n=80),
        _row("white", placed=True, exited=True, n=150),
        _row("white", placed=True, n=150),
    ]
    frame = _frame(rows)
    _, groups = equity_step(frame, STEP_BY_KEY["exited"])
    by = {r.key: r for r in groups}
    assert by["race:black"].band == BAND_LESS_ACCESS
    assert by["race:white"].band == "much more access"  # 0.5 against 0.2: 2.5
    overview = pipeline_overview(frame, available={"exited": True})
    exited = next(d for d in overview.data if d["step"] == "exited")
    assert exited["concern"] == ["Black or African American"]
    assert exited["other"] == ["White"]
    # The same counts as an adverse outcome (flagged): White is the concern.
    flagged = [
        {**r, "flagged": r["exited"], "placed": True} for r in rows
    ]  # every student eligible
    _, groups = equity_step(_frame(flagged), STEP_BY_KEY["flagged"])
    assert {r.key: r.band for r in groups}["race:white"] == BAND_OVER


# -- alternate risk ratio ----------------------------------------------------------------------


def test_the_alternate_risk_ratio_compares_with_the_district_when_the_school_cannot():
    # A school of 110 at-risk-eligible students, 100 of them Hispanic (40 with the outcome):
    # its other 10 students (5 with it) fail the n-size, so the school's ratio is refused.
    race = next(d for d in DIMENSIONS if d.key == "race_ethnicity")
    counts = {"race:hispanic_latino": (100, 40), "race:white": (10, 5)}
    [hisp, *_] = equity_rows(counts, total_n=110, total_x=45, dims=[race])
    assert hisp.risk_ratio is None and hisp.band == BAND_NOT_ENOUGH
    # The district: 1,000 Hispanic students (300 with it) of 3,000 (600): the others 2,000
    # with 300, risk 0.15. The school's Hispanic students: 0.40 / 0.15 = 2.67.
    rows = equity_rows(
        counts,
        total_n=110,
        total_x=45,
        dims=[race],
        district={"race:hispanic_latino": (1000, 300)},
        district_total=(3000, 600),
    )
    hisp = rows[0]
    assert hisp.alternate is True
    assert hisp.risk_ratio == pytest.approx(0.4 / 0.15)
    assert hisp.band == BAND_OVER
    step = STEP_BY_KEY["at_risk"]
    table = equity_table(_total(), rows, step)
    shown = next(r for r, d in zip(table.rows, table.data, strict=True) if d.get("key") == hisp.key)
    assert shown["risk_ratio"] == "2.67 (against the district)"
    assert "alternate risk ratio" in table.note
    # White (10, 5) fails the gates itself: no alternate ratio for it.
    assert rows[1].alternate is False


def _total():
    from dashboards.equity import total_row

    return total_row(110, 45)


# -- complementary suppression that hides the least --------------------------------------------


def test_a_small_non_binary_group_does_not_hide_the_female_group():
    # Sex: 670 female (300 with the outcome), 700 male (320), 14 non-binary (3), none
    # "not reported". Non-binary's X (3) is small; the partner hidden with it is the empty
    # "not reported" group (0 students: n<10 and true), and non-binary's N goes with that
    # (else "not reported" N = 0 would tell its X is 0). Female and male stay whole.
    counts = {"sex:F": (670, 300), "sex:M": (700, 320), "sex:X": (14, 3), "sex:U": (0, 0)}
    rows = {r.key: r for r in equity_rows(counts, total_n=1384, total_x=623, dims=[SEX])}
    for key in ("sex:F", "sex:M"):
        pub = rows[key].published()
        assert pub["n"] is not None and pub["x"] is not None and pub["band"] != SUPPRESSED
        assert not rows[key].suppressed
    x = rows["sex:X"]
    assert x.published()["x"] is None and x.published()["n"] is None
    u = rows["sex:U"].published()
    assert u["n"] is None and u["x"] is None and u["band"] == SUPPRESSED
    # What a page prints: the small count says n<10, the non-binary N (14) says why it is
    # hidden, and no figure of 10 or more says "n<10".
    table = equity_table(_total_of(1384, 623), list(rows.values()), STEP_BY_KEY["at_risk"])
    printed = {r["group"]: r for r in table.rows}
    assert printed["Non-binary"]["n"] == COMPLEMENT
    assert printed["Non-binary"]["x"] == SUPPRESSED
    assert printed["Female"]["x"] == "300"


def _total_of(n, x):
    from dashboards.equity import total_row

    return total_row(n, x)


def test_a_yes_group_is_hidden_when_the_all_students_row_would_give_its_complement_away():
    # All 50 / 22, IEP 45 / 20: the 5 students without an IEP (2 at risk) would be 50 - 45
    # and 22 - 20. The IEP figures are hidden, and say why.
    [iep] = equity_rows({"iep": (45, 20)}, total_n=50, total_x=22, dims=[IEP])
    pub = iep.published()
    assert pub["n"] is None and pub["x"] is None and pub["risk"] is None
    assert pub["band"] == COMPLEMENT
    # A large complement leaves the yes group alone.
    [iep] = equity_rows({"iep": (45, 20)}, total_n=500, total_x=220, dims=[IEP])
    assert not iep.suppressed


def test_a_yes_group_hides_its_x_when_the_complements_x_is_small():
    # No IEP: 455 students, 5 with the outcome: the IEP X (20) goes, its N stays.
    [iep] = equity_rows({"iep": (45, 20)}, total_n=500, total_x=25, dims=[IEP])
    pub = iep.published()
    assert pub["n"] == 45 and pub["x"] is None and pub["band"] == COMPLEMENT


# -- the independent checker: no hidden group figure can be worked out --------------------------


def _alternatives(published, total_n, total_x):
    """For a line of groups whose N and X add up to the published totals, with X <= N per
    group: every hidden figure's possible values, found by enumeration (independent of
    dashboards.suppression). `published`: [(n or None, x or None)]."""
    hidden_n = [i for i, (n, _) in enumerate(published) if n is None]
    rest_n = total_n - sum(n for n, _ in published if n is not None)
    rest_x = total_x - sum(x for _, x in published if x is not None)
    possible: dict[tuple[int, str], set[int]] = {}

    def compositions(total, k):
        if k == 0:
            if total == 0:
                yield ()
            return
        if k == 1:
            yield (total,)
            return
        for first in range(total + 1):
            for tail in compositions(total - first, k - 1):
                yield (first, *tail)

    for ns in compositions(rest_n, len(hidden_n)):
        n_of = {
            i: (published[i][0] if published[i][0] is not None else None)
            for i in range(len(published))
        }
        n_of.update(dict(zip(hidden_n, ns, strict=True)))
        hidden_x = [i for i, (_, x) in enumerate(published) if x is None]
        if any(published[i][1] is not None and published[i][1] > n_of[i] for i in n_of):
            continue
        caps = [n_of[i] for i in hidden_x]
        if rest_x < 0 or rest_x > sum(caps):
            continue
        for i, v in zip(hidden_n, ns, strict=True):
            possible.setdefault((i, "n"), set()).add(v)
        for k, i in enumerate(hidden_x):
            others = sum(caps) - caps[k]
            for v in range(0, caps[k] + 1):
                if 0 <= rest_x - v <= others:
                    possible.setdefault((i, "x"), set()).add(v)
    return possible


def _check_line(counts, dim, total_n, total_x):
    rows = equity_rows(counts, total_n=total_n, total_x=total_x, dims=[dim])
    by = {r.key: r for r in rows}
    published, truth = [], []
    for g in dim.groups:
        n, x = counts.get(g.key, (0, 0))
        r = by.get(g.key)
        if r is None:  # left out: a published 0
            published.append((0, 0))
        else:
            published.append((None if r.n_hidden else n, None if r.x_hidden else x))
        truth.append((n, x))
    if dim.complete:
        line, tn, tx = published, total_n, total_x
    else:  # the yes group and its never-published complement
        line = [published[0], (None, None)]
        tn, tx = total_n, total_x
    possible = _alternatives(line, tn, tx)
    for (i, kind), values in possible.items():
        if i >= len(dim.groups):
            # The "no" complement is never a row: what must not be worked out is a small one.
            true = (total_n - truth[0][0], total_x - truth[0][1])[0 if kind == "n" else 1]
            if true >= suppression.MIN_CELL:
                continue
        assert len(values) >= 2, (counts, i, kind, values)


small = [0, 1, 2, 3, 5, 9, 10, 11, 14, 20, 30]


@pytest.mark.parametrize("a", small)
@pytest.mark.parametrize("b", small)
@pytest.mark.parametrize("c", [0, 3, 12, 40])
def test_no_hidden_figure_of_a_complete_dimension_can_be_worked_out(a, b, c):
    # Sex: F a students, M b, X c, U 0, each with some of them with the outcome.
    counts = {"sex:F": (a, a // 3), "sex:M": (b, b // 2), "sex:X": (c, c // 4), "sex:U": (0, 0)}
    total_n = a + b + c
    total_x = a // 3 + b // 2 + c // 4
    if suppression.is_small(total_n):
        return  # the whole table is hidden with the "All students" row
    _check_line(counts, SEX, total_n, total_x)


@pytest.mark.parametrize("n_yes", [0, 4, 10, 25, 45])
@pytest.mark.parametrize("x_yes", [0, 3, 10, 20])
@pytest.mark.parametrize(("total_n", "total_x"), [(50, 22), (60, 30), (200, 25), (48, 40)])
def test_no_hidden_yes_no_figure_can_be_worked_out_from_the_all_students_row(
    n_yes, x_yes, total_n, total_x
):
    if x_yes > n_yes or x_yes > total_x or total_n - n_yes < total_x - x_yes:
        return
    _check_line({"iep": (n_yes, x_yes)}, IEP, total_n, total_x)


def test_the_checker_finds_the_complement_a_naive_yes_row_would_give_away():
    # Publishing IEP 45 / 20 beside All 50 / 22 pins the rest at 5 / 2.
    possible = _alternatives([(45, 20), (None, None)], 50, 22)
    assert possible[(1, "n")] == {5} and possible[(1, "x")] == {2}


# -- internal figures ---------------------------------------------------------------------------


def test_internal_figures_show_every_count_with_a_caution_and_hide_nothing():
    counts = {"sex:F": (670, 300), "sex:M": (700, 320), "sex:X": (14, 3)}
    with suppression.audience(suppression.INTERNAL):
        rows = {r.key: r for r in equity_rows(counts, total_n=1384, total_x=623, dims=[SEX])}
        assert not any(r.suppressed for r in rows.values())
        assert suppression.show_count(3, False) == f"3 ({CAUTION})"
        assert suppression.show_percent(0.5, False, of=4) == f"50.0% ({CAUTION})"
    # Outside the block, published again.
    assert suppression.current_audience() == suppression.PUBLISHED
    assert suppression.is_small(3)


# -- one "responding" ---------------------------------------------------------------------------


def test_responding_uses_the_plan_analysis_tolerance():
    # Trend 0.8 a week against an aim of 1.0, tolerance 0.5: the trend-line rule says
    # "continue" (within the tolerance), so the dashboards count the plan as responding.
    plans = pd.DataFrame(
        [
            {
                "plan_id": 1,
                "student_id": 1,
                "school_id": 1,
                "intervention": "A",
                "status": "active",
                "higher_is_better": True,
            },
            {
                "plan_id": 2,
                "student_id": 2,
                "school_id": 1,
                "intervention": "A",
                "status": "active",
                "higher_is_better": True,
            },
            {
                "plan_id": 3,
                "student_id": 3,
                "school_id": 1,
                "intervention": "A",
                "status": "active",
                "higher_is_better": False,
            },
        ]
    )
    recs = pd.DataFrame(
        [
            {
                "plan_id": 1,
                "trend_slope": 0.8,
                "aim_slope": 1.0,
                "fidelity": None,
                "rule": "",
                "tolerance": 0.5,
            },
            {
                "plan_id": 2,
                "trend_slope": 0.4,
                "aim_slope": 1.0,
                "fidelity": None,
                "rule": "",
                "tolerance": 0.5,
            },
            # Lower is better: rising 0.3 a week against an aim of falling 0.2, tolerance
            # unset (the rule set's 0.5): 0.5 above the aim, exactly on the edge.
            {
                "plan_id": 3,
                "trend_slope": 0.3,
                "aim_slope": -0.2,
                "fidelity": None,
                "rule": "",
                "tolerance": None,
            },
        ]
    )
    out = plan_outcomes(plans, recs, default_tolerance=0.5).set_index("plan_id")
    assert out.loc[1, "responding"] and not out.loc[2, "responding"] and out.loc[3, "responding"]
    assert is_responding(0.8, 1.0, 0.5) and not is_responding(0.4, 1.0, 0.5)


def test_the_plan_analysis_and_the_dashboards_agree_on_responding():
    start = dt.date(2026, 9, 7)
    for weekly in (0.4, 0.5, 0.6, 1.0, 1.6):
        facts = PlanFacts(
            phase_start=start,
            goal=60.0,
            goal_date=start + dt.timedelta(weeks=20),
            as_of=start + dt.timedelta(weeks=9),
            baseline=40.0,
            tolerance=0.5,
        )
        points = [ProgressPoint(start + dt.timedelta(weeks=w), 40 + weekly * w) for w in range(9)]
        a = analyze_plan(facts, points)
        change = a.recommendation in ("change_intervention", "improve_fidelity")
        assert is_responding(a.trend_slope, a.aim_slope, a.tolerance) is (not change), weekly


# -- three years in a row ------------------------------------------------------------------------


def test_a_group_is_marked_only_when_its_band_is_a_concern_three_years_in_a_row():
    assert consecutive_concern([BAND_AT_RISK, BAND_OVER, BAND_AT_RISK], desirable=False)
    assert not consecutive_concern([BAND_AT_RISK, BAND_NONE, BAND_OVER], desirable=False)
    assert not consecutive_concern([BAND_AT_RISK, SUPPRESSED, BAND_OVER], desirable=False)
    assert consecutive_concern([BAND_LESS_ACCESS] * 3, desirable=True)
    assert not consecutive_concern([BAND_UNDER] * 2, desirable=False)
    race = next(d for d in DIMENSIONS if d.key == "race_ethnicity")

    def year(x_black):
        counts = {"race:black": (100, x_black), "race:white": (300, 30)}
        return equity_rows(counts, total_n=400, total_x=30 + x_black, dims=[race])

    table = equity_years_table(
        [("2024-25", year(25)), ("2025-26", year(30)), ("2026-27", year(40))],
        step=STEP_BY_KEY["flagged"],
    )
    black = next(r for r, d in zip(table.rows, table.data, strict=True) if d["key"] == "race:black")
    assert black["y0"] == "2.50 (over-represented)" and black["y2"] == "4.00 (over-represented)"
    assert black["three_years"] == "Yes"
    table = equity_years_table(
        [("2024-25", None), ("2025-26", year(10)), ("2026-27", year(40))],
        step=STEP_BY_KEY["flagged"],
    )
    black = next(r for r, d in zip(table.rows, table.data, strict=True) if d["key"] == "race:black")
    assert black["y0"] == "no data yet" and black["y1"] == "1.00 (none)"
    assert black["three_years"] == "No"
