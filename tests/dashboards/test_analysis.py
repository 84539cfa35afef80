"""Dashboard analysis without a database: hand-made rows in, hand-computed tables out."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards import analysis
from dashboards.analysis import (
    STEP_BY_KEY,
    behavior_tables,
    benchmark_table,
    completion_table,
    effectiveness_table,
    equity_step,
    equity_table,
    growth_table,
    month_spans,
    movement_table,
    pipeline_frame,
    pipeline_overview,
    plan_outcomes,
    school_days,
    tier_tables,
)

SCHOOLS = {1: "Aspen", 2: "Birch"}
COMPLEMENT = "hidden so that a small group cannot be worked out"


def shown(table, **match):
    return [
        r
        for r, d in zip(table.rows, table.data, strict=True)
        if all(d.get(k) == v for k, v in match.items())
    ]


def test_it_tabulates_tiers_against_80_15_5_with_two_way_suppression():
    rows = [
        {"school_id": 1, "grade": 3, "domain": "reading", "tier": 1, "n": 100},
        {"school_id": 1, "grade": 3, "domain": "reading", "tier": 2, "n": 20},
        {"school_id": 1, "grade": 3, "domain": "reading", "tier": 3, "n": 4},
        {"school_id": 1, "grade": 3, "domain": "reading", "tier": None, "n": 12},
        {"school_id": 2, "grade": 3, "domain": "reading", "tier": 1, "n": 150},
        {"school_id": 2, "grade": 3, "domain": "reading", "tier": 2, "n": 30},
        {"school_id": 2, "grade": 3, "domain": "reading", "tier": 3, "n": 15},
        {"school_id": 2, "grade": 3, "domain": "reading", "tier": None, "n": 3},
    ]
    table = tier_tables(rows, by="school", school_names=SCHOOLS)
    aspen, birch, total = table.rows
    # Aspen's Tier 3 (4) is small; its Tier 2 is hidden so 124 - 100 gives nothing away, and
    # Birch's Tier 2 and 3 so the "All" column totals give nothing away either.
    # A cell hidden only to protect a small one says so, not "n<10" (Aspen's Tier 2 is 20).
    assert aspen == {
        "domain": "Reading",
        "unit": "Aspen",
        "tier1": "100",
        "tier1_pct": "80.6%",
        "tier2": COMPLEMENT,
        "tier2_pct": COMPLEMENT,
        "tier3": "n<10",
        "tier3_pct": "n<10",
        "screened": "124",
        "not_screened": COMPLEMENT,
        "guide": "Yes",
    }
    assert (birch["tier1"], birch["tier1_pct"], birch["tier2"], birch["tier3"]) == (
        "150",
        "76.9%",
        COMPLEMENT,
        COMPLEMENT,
    )
    assert (birch["not_screened"], birch["guide"]) == ("n<10", "No")  # 3, and 12 beside it
    assert total == {
        "domain": "Reading",
        "unit": "All",
        "tier1": "250",
        "tier1_pct": "78.4%",
        "tier2": "50",
        "tier2_pct": "15.7%",
        "tier3": "19",
        "tier3_pct": "6.0%",
        "screened": "319",
        "not_screened": "15",
        "guide": "No",
    }
    assert table.data[0]["tier2"] is None and table.data[0]["tier1"] == 100
    assert table.csv_rows()[1] == [
        "Reading",
        "Aspen",
        "100",
        "80.6%",
        COMPLEMENT,
        COMPLEMENT,
        "n<10",
        "n<10",
        "124",
        COMPLEMENT,
        "Yes",
    ]


def test_it_tabulates_movement_hiding_small_flows():
    rows = [
        {"domain": "math", "tier_from": f, "tier_to": t, "n": n}
        for (f, t), n in {
            (1, 1): 90,
            (1, 2): 8,
            (1, 3): 2,
            (2, 1): 12,
            (2, 2): 20,
            (2, 3): 3,
            (3, 1): 1,
            (3, 2): 4,
            (3, 3): 15,
        }.items()
    ]
    table = movement_table(rows, window_from="Fall", window_to="Winter")
    t1, t2, t3, total = table.data
    assert (t1["to1"], t1["total"]) == (90, 100)
    assert t1["to2"] is None and t1["to3"] is None  # 8 and 2
    assert t2["to3"] is None and t3["to1"] is None and t3["to2"] is None
    assert (t2["total"], t3["total"]) == (35, 20)
    assert (total["to1"], total["to2"], total["to3"], total["total"]) == (103, 32, 20, 155)
    # Every small flow is hidden; a shown flow is the true one.
    for d, true in zip((t1, t2, t3), ([90, 8, 2], [12, 20, 3], [1, 4, 15]), strict=True):
        for j, v in enumerate(true, start=1):
            assert d[f"to{j}"] in (None, v)
            if v < 10:
                assert d[f"to{j}"] is None


def test_it_checks_80_percent_at_benchmark_and_hides_a_complementary_grade():
    rows = [
        {
            "measure_id": 7,
            "school_id": 1,
            "grade": 1,
            "scored": 8,
            "classified": 8,
            "at_or_above": 6,
        },
        {
            "measure_id": 7,
            "school_id": 1,
            "grade": 2,
            "scored": 40,
            "classified": 40,
            "at_or_above": 34,
        },
        {
            "measure_id": 7,
            "school_id": 1,
            "grade": 3,
            "scored": 52,
            "classified": 52,
            "at_or_above": 36,
        },
    ]
    table = benchmark_table(rows, by="grade", school_names=SCHOOLS, measure_names={7: "ORF"})
    g1, g2, g3, total = table.rows
    assert g1 == {
        "measure": "ORF",
        "unit": "1",
        "students": "n<10",
        "at_or_above_pct": "n<10",
        "meets": "n<10",
    }
    # 8 + 40 + 52 = 100: grade 1 would be 100 - 40 - 52, so grade 2 is hidden, and says why.
    assert g2["students"] == COMPLEMENT and g2["at_or_above_pct"] == COMPLEMENT
    assert g3 == {
        "measure": "ORF",
        "unit": "3",
        "students": "52",
        "at_or_above_pct": "69.2%",
        "meets": "No",
    }
    assert total == {
        "measure": "ORF",
        "unit": "All",
        "students": "100",
        "at_or_above_pct": "76.0%",
        "meets": "No",
    }
    assert table.data[1]["at_or_above_share"] is None and table.data[1]["suppressed"] is True


def test_it_weights_grade_medians_into_a_school_median_of_growth():
    rows = [
        {
            "measure_id": 7,
            "school_id": 1,
            "grade": 2,
            "matched": 30,
            "median_change": 10,
            "classified_both": 30,
            "moved_up": 6,
            "moved_down": 3,
        },
        {
            "measure_id": 7,
            "school_id": 1,
            "grade": 3,
            "matched": 20,
            "median_change": 4,
            "classified_both": 20,
            "moved_up": 4,
            "moved_down": 1,
        },
        {
            "measure_id": 7,
            "school_id": 2,
            "grade": 3,
            "matched": 5,
            "median_change": 9,
            "classified_both": 5,
            "moved_up": 1,
            "moved_down": 0,
        },
    ]
    table = growth_table(
        rows,
        by="school",
        school_names=SCHOOLS,
        measure_names={7: "ORF"},
        window_from="Fall",
        window_to="Winter",
    )
    aspen, birch = table.rows
    # Aspen: 50 students; the weighted median of (4 x 20, 10 x 30) is 10; up 10/50, down 4/50.
    assert aspen == {
        "measure": "ORF",
        "unit": "Aspen",
        "students": "50",
        "median_change": "+10",
        "up_pct": "20.0%",
        "down_pct": "8.0%",
    }
    assert birch["students"] == "n<10" and birch["median_change"] == "n<10"


def test_it_links_to_the_missing_students_of_a_school():
    rows = [
        {"measure_id": 7, "school_id": 1, "grade": 3, "enrolled": 60, "scored": 54},
        {"measure_id": 7, "school_id": 2, "grade": 3, "enrolled": 45, "scored": 45},
    ]
    table = completion_table(
        rows,
        by="school",
        school_names=SCHOOLS,
        measure_names={7: "ORF"},
        missing_link=lambda m, s, g: f"/missing/{m}/{s}",
    )
    assert table.rows[0] == {
        "measure": "ORF",
        "unit": "Aspen",
        "students": "60",
        "screened_pct": "90.0%",
    }
    assert table.links == ["/missing/7/1", "", "/missing/7/None"]  # Birch has nobody missing
    assert table.rows[2]["screened_pct"] == "94.3%"  # 99 of 105


def test_it_keeps_the_grade_in_the_link_of_a_grade_row():
    rows = [
        {"measure_id": 7, "school_id": 1, "grade": 3, "enrolled": 60, "scored": 54},
        {"measure_id": 7, "school_id": 1, "grade": 4, "enrolled": 45, "scored": 40},
    ]
    table = completion_table(
        rows,
        by="grade",
        school_names=SCHOOLS,
        measure_names={7: "ORF"},
        missing_link=lambda m, s, g: f"/missing/{m}/{s}/{g}",
    )
    assert table.links == ["/missing/7/None/3", "/missing/7/None/4", "/missing/7/None/None"]


def test_it_counts_school_days_as_weekdays_between_dates():
    assert school_days(dt.date(2026, 8, 17), dt.date(2026, 8, 31)) == 11
    assert school_days(dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == 22
    assert school_days(dt.date(2026, 9, 5), dt.date(2026, 9, 6)) == 0  # a weekend
    assert month_spans(dt.date(2026, 8, 17), dt.date(2027, 6, 4), dt.date(2026, 9, 30)) == [
        (dt.date(2026, 8, 1), dt.date(2026, 8, 17), dt.date(2026, 8, 31)),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    ]


def test_it_builds_the_big_five_with_rates_per_school_day_and_suppression():
    aggregates = [
        {
            "dimension": "month",
            "month": dt.date(2026, 8, 1),
            "location": None,
            "problem_behavior": None,
            "hour": None,
            "n": 12,
        },
        {
            "dimension": "month",
            "month": dt.date(2026, 9, 1),
            "location": None,
            "problem_behavior": None,
            "hour": None,
            "n": 40,
        },
        {
            "dimension": "location",
            "month": None,
            "location": "classroom",
            "problem_behavior": None,
            "hour": None,
            "n": 30,
        },
        {
            "dimension": "location",
            "month": None,
            "location": "hallway",
            "problem_behavior": None,
            "hour": None,
            "n": 14,
        },
        {
            "dimension": "location",
            "month": None,
            "location": "bus",
            "problem_behavior": None,
            "hour": None,
            "n": 8,
        },
        {
            "dimension": "hour",
            "month": None,
            "location": None,
            "problem_behavior": None,
            "hour": 10,
            "n": 40,
        },
        {
            "dimension": "hour",
            "month": None,
            "location": None,
            "problem_behavior": None,
            "hour": None,
            "n": 12,
        },
        {
            "dimension": "total",
            "month": None,
            "location": None,
            "problem_behavior": None,
            "hour": None,
            "n": 52,
        },
    ]
    bands = [{"band": 1, "n": 400}, {"band": 2, "n": 25}, {"band": 3, "n": 6}]
    t = behavior_tables(
        aggregates,
        bands,
        year_start=dt.date(2026, 8, 17),
        year_end=dt.date(2027, 6, 4),
        as_of=dt.date(2026, 9, 30),
        location_labels={"classroom": "Classroom", "hallway": "Hallway", "bus": "Bus"},
        behavior_labels={},
    )
    assert t["months"].rows == [
        {"label": "August 2026", "count": "12", "days": "11", "per_day": "1.09"},
        {"label": "September 2026", "count": "40", "days": "22", "per_day": "1.82"},
        {"label": "Whole year so far", "count": "52", "days": "33", "per_day": "1.58"},
    ]
    assert t["locations"].rows == [
        {"label": "Classroom", "count": "30", "share": "57.7%"},
        # Complementary to the bus, and saying so.
        {"label": "Hallway", "count": COMPLEMENT, "share": COMPLEMENT},
        {"label": "Bus", "count": "n<10", "share": "n<10"},
        {"label": "All referrals", "count": "52", "share": "100.0%"},
    ]
    assert [r["label"] for r in t["hours"].rows] == [
        "10 am–11 am",
        "Time not recorded",
        "All referrals",
    ]
    assert t["bands"].rows[1:3] == [
        {"label": "2–5 major referrals (Tier 2 range)", "count": COMPLEMENT, "share": COMPLEMENT},
        {"label": "6 or more major referrals (Tier 3 range)", "count": "n<10", "share": "n<10"},
    ]
    assert t["bands"].rows[0]["count"] == "400" and t["bands"].rows[3]["count"] == "431"


def _plans_and_recs():
    plans, recs = [], []
    for i in range(12):
        plans.append(
            {
                "plan_id": i,
                "student_id": 100 + i,
                "school_id": 1,
                "intervention": "Read Well",
                "status": "completed" if i < 3 else "active",
                "higher_is_better": True,
            }
        )
        recs.append(
            {
                "plan_id": i,
                "trend_slope": float(i + 1),
                "aim_slope": 5.0,
                "fidelity": 0.9 if i < 6 else 0.7,
                "rule": "goal_met" if i < 3 else "trend_line",
            }
        )
    for i in range(12, 16):
        plans.append(
            {
                "plan_id": i,
                "student_id": 100 + i,
                "school_id": 2,
                "intervention": "Read Well",
                "status": "active",
                "higher_is_better": True,
            }
        )
        recs.append(
            {
                "plan_id": i,
                "trend_slope": 2.0,
                "aim_slope": 1.0,
                "fidelity": None,
                "rule": "data_point",
            }
        )
    for i in range(16, 28):
        plans.append(
            {
                "plan_id": i,
                "student_id": 100 + i,
                "school_id": 1,
                "intervention": "Math Boost",
                "status": "active",
                "higher_is_better": False,
            }
        )
        recs.append(
            {
                "plan_id": i,
                "trend_slope": -1.0,
                "aim_slope": -0.5,
                "fidelity": None,
                "rule": "trend_line",
            }
        )
    return pd.DataFrame(plans), pd.DataFrame(recs)


def test_it_reports_intervention_effectiveness_with_small_cells_hidden():
    outcomes = plan_outcomes(*_plans_and_recs())
    table = effectiveness_table(outcomes, school_names=SCHOOLS)
    math, read_aspen, read_birch, read_all = table.rows
    # Math Boost, lower is better: trend -1 beats the aim of -0.5, so all 12 respond.
    assert math == {
        "intervention": "Math Boost",
        "unit": "Aspen",
        "served": "12",
        "median_roi": "−1 per week (score points; lower is better)",
        "responding_pct": "100.0%",
        "exited_pct": "0.0%",
        "median_fidelity": "no data yet",
    }
    # Read Well: Birch has 4 students, so Aspen (12) is hidden too beside the total of 16.
    assert read_birch["served"] == "n<10" and read_aspen["served"] == COMPLEMENT
    # All schools: slopes 1..12 and four 2s -> sixteen values, the 8th and 9th are 4 and 5:
    # median 4.5; responding: 8 of 12 (slope >= 5)
    # plus Birch's 4 = 12 of 16; exited with goal met 3 of 16; fidelity median of six 0.9
    # and six 0.7 = 0.8.
    assert read_all == {
        "intervention": "Read Well",
        "unit": "All schools",
        "served": "16",
        "median_roi": "+4.5 per week (score points)",
        "responding_pct": "75.0%",
        "exited_pct": "18.8%",
        "median_fidelity": "80.0%",
    }


def _pipeline_rows():
    # Hispanic: 40 at risk, 10 placed; everyone else: 160 at risk, 80 placed. All screened.
    def row(race, at_risk, placed, n):
        return {
            "race_ethnicity": race,
            "sex": "F",
            "english_learner": False,
            "iep": False,
            "section_504": False,
            "economically_disadvantaged": False,
            "screened": True,
            "classified": True,
            "at_risk": at_risk,
            "flagged": False,
            "placed": placed,
            "decided": False,
            "overridden": False,
            "referred": False,
            "fidelity_known": False,
            "fidelity_ok": False,
            "trend_known": False,
            "responding": False,
            "exited": False,
            "n": n,
        }

    return [
        row("hispanic_latino", True, True, 10),
        row("hispanic_latino", True, False, 30),
        row("hispanic_latino", False, False, 160),
        row("white", True, True, 80),
        row("white", True, False, 80),
        row("white", False, False, 640),
    ]


def test_it_finds_an_access_gap_in_placement_given_risk():
    frame = pipeline_frame(_pipeline_rows())
    total, rows = equity_step(frame, STEP_BY_KEY["placed"])
    by = {r.key: r for r in rows}
    assert (total.n, total.x) == (200, 90)
    hisp = by["race:hispanic_latino"]
    assert (hisp.n, hisp.x, round(hisp.risk_ratio, 4)) == (40, 10, 0.5)  # 0.25 / 0.5
    # Being placed is a desirable outcome: a low ratio is less access.
    assert hisp.access_gap is True and hisp.band == "less access"
    table = equity_table(total, rows, STEP_BY_KEY["placed"])
    row = shown(table, key="race:hispanic_latino")[0]
    assert row["band"] == "less access (access gap)"
    assert (
        row["n"],
        row["x"],
        row["risk"],
        row["risk_ratio"],
        row["composition"],
        row["enrollment_share"],
    ) == ("40", "10", "25.0%", "0.50", "11.1%", "20.0%")


def test_it_summarises_the_pipeline_and_says_which_steps_have_no_data():
    frame = pipeline_frame(_pipeline_rows())
    available = dict.fromkeys(("screened", "at_risk", "placed"), True)
    table = pipeline_overview(frame, available=available)
    by = {d["step"]: r for r, d in zip(table.rows, table.data, strict=True)}
    assert (
        by["at_risk"]["n"] == "1,000"
        and by["at_risk"]["x"] == "200"
        and by["at_risk"]["risk"] == "20.0%"
    )
    assert by["placed"]["concern"] == "Hispanic/Latino (access gap)"
    for step in ("flagged", "fidelity", "responding", "exited", "referred", "overridden"):
        assert by[step]["n"] == "no data yet"


def test_it_hides_every_figure_of_a_step_with_fewer_than_ten_students():
    rows = [r | {"n": 1} for r in _pipeline_rows()]
    total, groups = equity_step(pipeline_frame(rows), STEP_BY_KEY["at_risk"])
    assert total.published()["n"] is None
    assert all(g.published()["suppressed"] for g in groups if g.n)
    assert analysis.equity.BANDS  # the bands exist for the API docs
