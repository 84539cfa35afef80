"""Selectors against the hand-built district of conftest.py: what PostgreSQL groups must
match the table in the conftest docstring."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboards import selectors as sel
from decisions.rules import classwide_problems

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


def filters(dash, *, window=None, previous=None, school=None, **kw) -> sel.Filters:
    w = dash.world
    return sel.Filters(
        district_id=w.district.pk,
        school_ids=(school.pk,) if school else (w.school.pk, w.other_school.pk),
        year=dash.year,
        window=window or dash.fall,
        previous_window=previous,
        **{"as_of": TODAY, **kw},
    )


def test_it_reads_dashboards_only_for_school_teams_and_administrators(dash):
    w = dash.world
    assert sel.dashboard_school_ids(w.district_admin) == {w.school.pk, w.other_school.pk}
    assert sel.dashboard_school_ids(w.principal) == {w.school.pk}
    assert sel.dashboard_school_ids(w.team_member) == {w.school.pk}
    for persona in (w.teacher, w.other_teacher, w.interventionist, w.nobody):
        assert sel.may_view_dashboards(persona) is False
        assert sel.dashboard_school_ids(persona) == set()


def test_it_counts_students_per_tier_and_the_unscreened(dash):
    rows = sel.tier_counts(filters(dash))
    got = {(r["school_id"], r["domain"], r["tier"]): r["n"] for r in rows}
    w = dash.world
    assert got == {
        (w.school.pk, "reading", 1): 26,
        (w.school.pk, "reading", 2): 10,
        (w.school.pk, "reading", 3): 6,
        (w.other_school.pk, "reading", None): 1,  # Noah: grade 3, no score
    }


def test_it_counts_movement_between_windows(dash):
    rows = sel.tier_movement(filters(dash, window=dash.winter, previous=dash.fall))
    got = {(r["domain"], r["tier_from"], r["tier_to"]): r["n"] for r in rows}
    assert got == {("reading", 2, 1): 10, ("reading", 1, 2): 10}


def test_it_counts_percent_at_benchmark_per_school_and_grade(dash):
    [row] = sel.benchmark_counts(filters(dash))
    assert (row["scored"], row["classified"], row["at_or_above"]) == (42, 42, 26)


def test_it_finds_the_classwide_problem_as_the_decision_rule_does(dash):
    w = dash.world
    rows = {r["section_id"]: r for r in sel.section_benchmarks(filters(dash))}
    lee, ruiz = rows[w.section.pk], rows[w.other_section.pk]
    assert (lee["scored"], float(lee["median_score"]), float(lee["median_gap"])) == (
        21,
        60.0,
        -10.0,
    )
    assert (ruiz["scored"], float(ruiz["median_score"]), float(ruiz["median_gap"])) == (
        21,
        90.0,
        20.0,
    )
    # The same scores through decisions.rules.classwide_problems give the same verdicts.
    frame = pd.DataFrame(
        [{"section_id": w.section.pk, "score": v} for v in [38] + [60] * 10 + [75] * 10]
        + [{"section_id": w.other_section.pk, "score": v} for v in [80] + [90] * 15 + [50] * 5]
    ).assign(
        measure_id=dash.orf.pk,
        domain="reading",
        window_id=dash.fall.pk,
        benchmark=70.0,
        higher_is_better=True,
    )
    verdict = dict(zip(*classwide_problems(frame)[["section_id", "flag"]].T.values, strict=True))
    assert verdict == {w.section.pk: True, w.other_section.pk: False}
    assert (lee["median_gap"] < 0, ruiz["median_gap"] < 0) == (True, False)


def test_it_measures_growth_between_windows(dash):
    [row] = sel.growth(filters(dash, window=dash.winter, previous=dash.fall))
    # Lee A: 60 -> 90 (+30, some risk -> at/above); Lee B: 75 -> 80 (+5, at/above -> some).
    assert row["matched"] == 20
    assert float(row["median_change"]) == pytest.approx(17.5)  # median of ten 5s and ten 30s
    assert (row["moved_up"], row["moved_down"]) == (10, 10)


def test_it_counts_completion_per_school_and_grade(dash):
    rows = sel.completion_counts(filters(dash), [dash.orf])
    got = {r["school_id"]: (r["enrolled"], r["scored"]) for r in rows}
    assert got == {dash.world.school.pk: (42, 42), dash.world.other_school.pk: (1, 0)}


def test_it_groups_the_pipeline_in_one_row_per_combination(dash):
    rows = sel.pipeline_counts(filters(dash))
    frame = pd.DataFrame(rows)
    assert frame["n"].sum() == 43
    hispanic = frame[frame["race_ethnicity"] == "hispanic_latino"]
    assert hispanic["n"].sum() == 30
    assert hispanic.loc[hispanic["at_risk"], "n"].sum() == 10
    assert hispanic.loc[hispanic["placed"], "n"].sum() == 10
    assert frame.loc[frame["flagged"], "n"].sum() == 2
    assert frame.loc[frame["decided"], "n"].sum() == 1
    assert frame.loc[frame["overridden"], "n"].sum() == 1


def test_it_counts_referrals_by_month_location_and_hour(dash):
    rows = sel.referral_aggregates(filters(dash))
    by = {
        (r["dimension"], r["location"] or r["problem_behavior"] or r["hour"] or r["month"]): r["n"]
        for r in rows
    }
    assert by[("total", None)] == 15
    assert by[("month", dt.date(2026, 9, 1))] == 15
    assert by[("location", "classroom")] == 12 and by[("location", "hallway")] == 3
    assert by[("hour", 10)] == 12 and by[("hour", 13)] == 3
    bands = {r["band"]: r["n"] for r in sel.referral_bands(filters(dash))}
    # Liam 12 (6+), Maria 3 (2-5), the other 41 students none.
    assert bands == {1: 41, 2: 1, 3: 1}


def test_it_bands_referrals_on_majors_and_the_districts_thresholds(dash):
    from decisions.models import RuleSet
    from screening.models import Referral

    w = dash.world
    # Four minor referrals for Liam, who has 12 majors.
    Referral.objects.bulk_create(
        Referral(
            student=w.classmate,
            school=w.school,
            school_year=dash.year,
            date=dt.date(2026, 9, 1 + i),
            time=dt.time(9, 0),
            location="classroom",
            problem_behavior="disruption",
            severity="minor",
        )
        for i in range(4)
    )
    bands = {r["band"]: r["n"] for r in sel.referral_bands(filters(dash))}
    # Liam 12 majors (6+), Maria 3 (2-5): his minors change nothing.
    assert bands == {1: 41, 2: 1, 3: 1}
    # The district counts minors (Liam 16, Maria 3) and starts Tier 3 at 17: both Tier 2.
    current = RuleSet.objects.filter(district=w.district, is_active=True)
    version = max([r.version for r in current], default=0) + 1
    current.update(is_active=False)
    RuleSet.objects.create(
        district=w.district,
        version=version,
        thresholds={"odr_count_minors": True, "odr_tier3_at": 17},
    )
    bands = {r["band"]: r["n"] for r in sel.referral_bands(filters(dash))}
    assert bands == {1: 41, 2: 2}


def test_it_lists_top_referred_students_only_among_those_the_user_sees(dash):
    w = dash.world
    top = sel.top_referred_students(user=w.district_admin, f=filters(dash))
    assert [(s["first_name"], s["referral_count"]) for s in top] == [("Liam", 12), ("Maria", 3)]
    # A teacher sees only their own class (never offered the page, but the selector holds).
    top = sel.top_referred_students(user=w.teacher, f=filters(dash))
    assert [s["first_name"] for s in top] == ["Maria"]


def test_it_works_out_plan_progress_as_the_progress_rules_do(dash):
    """The SQL figures per plan against decisions.progress_rules on the same plans."""
    from decimal import Decimal

    from decisions.progress_rules import progress_recommendations
    from interventions.models import (
        Intervention,
        InterventionPlan,
        InterventionSession,
        ProgressScore,
    )
    from screening.models import Measure

    w = dash.world
    errors = Measure.objects.create(
        district=w.district,
        code="errors",
        name="Errors",
        domain="reading",
        min_score=0,
        max_score=50,
        higher_is_better=False,
        lowest_grade=0,
        highest_grade=8,
    )
    boost = Intervention.objects.create(name="Boost", domain="reading")
    start = dt.date(2026, 9, 7)
    ruiz = dash.groups["ruiz_c"]
    # No baseline given (median of the first three), goal met at the end, sessions logged.
    met = InterventionPlan.objects.create(
        student=ruiz[0],
        intervention=boost,
        tier=2,
        domain="reading",
        start_date=start,
        status="completed",
        measure=dash.orf,
        phase_start=start,
        goal=Decimal("60"),
        goal_date=start + dt.timedelta(weeks=10),
        sessions_per_week=3,
    )
    for week, score in enumerate([40, 44, 42, 50, 58, 61, 63, 65]):
        ProgressScore.objects.create(plan=met, date=start + dt.timedelta(weeks=week), score=score)
    for day in range(0, 50, 2):
        InterventionSession.objects.create(
            plan=met, date=start + dt.timedelta(days=day), minutes=30, attended=day % 6 != 0
        )
    # Lower is better: errors falling from 20 by 1.5 a week against an aim of -1 a week.
    fewer = InterventionPlan.objects.create(
        student=ruiz[1],
        intervention=boost,
        tier=3,
        domain="reading",
        start_date=start,
        measure=errors,
        phase_start=start,
        baseline=Decimal("20"),
        goal=Decimal("5"),
        goal_date=start + dt.timedelta(weeks=15),
        sessions_per_week=5,
    )
    for week in range(7):
        ProgressScore.objects.create(
            plan=fewer, date=start + dt.timedelta(weeks=week), score=20 - 1.5 * week
        )
    # Two points only, and a point after the as-of date that must not count.
    short = InterventionPlan.objects.create(
        student=ruiz[2],
        intervention=boost,
        tier=2,
        domain="reading",
        start_date=start,
        measure=dash.orf,
        phase_start=start,
        goal=Decimal("70"),
        goal_date=start + dt.timedelta(weeks=12),
    )
    ProgressScore.objects.create(plan=short, date=start, score=30)
    ProgressScore.objects.create(plan=short, date=start + dt.timedelta(days=10), score=33)
    ProgressScore.objects.create(plan=short, date=TODAY + dt.timedelta(days=3), score=90)

    rows = {r["plan_id"]: r for r in sel.plan_outcomes(filters(dash))}
    assert len(rows) == 13
    plans = [met, fewer, short, *dash.plans]
    frame = pd.DataFrame(
        {
            "plan_id": [p.pk for p in plans],
            "phase_start": [p.phase_start for p in plans],
            "goal": [float(p.goal) for p in plans],
            "goal_date": [p.goal_date for p in plans],
            "baseline": [None if p.baseline is None else float(p.baseline) for p in plans],
            "higher_is_better": [p.measure.higher_is_better for p in plans],
            "tier": [p.tier for p in plans],
            "tolerance": [0.5] * len(plans),
            "sessions_per_week": [
                None if p.sessions_per_week is None else float(p.sessions_per_week) for p in plans
            ],
            "benchmark": [None] * len(plans),
        }
    )
    points = pd.DataFrame(
        list(ProgressScore.objects.filter(plan__in=plans).values("plan_id", "date", "score"))
    )
    sessions = pd.DataFrame(
        list(
            InterventionSession.objects.filter(plan__in=plans).values("plan_id", "date", "attended")
        )
    )
    recs = progress_recommendations(frame, points, sessions, as_of=TODAY).set_index("plan_id")
    for plan in plans:
        got, want = rows[plan.pk], recs.loc[plan.pk]
        for key in ("trend_slope", "aim_slope", "fidelity"):
            if pd.isna(want[key]):
                assert got[key] is None, (plan, key)
            else:
                assert got[key] == pytest.approx(want[key]), (plan, key)
        assert got["goal_met"] == (want["rule"] == "goal_met"), plan
    assert rows[met.pk]["goal_met"] is True and rows[met.pk]["fidelity"] is not None
    assert rows[fewer.pk]["trend_slope"] == pytest.approx(-1.5)
    assert rows[short.pk]["points"] == 2

    # Stored figures (as the nightly refresh writes them) give the same rows.
    from interventions import progress_summary

    assert progress_summary.refresh(district_id=w.district.pk, as_of=TODAY) == 13
    assert {r["plan_id"]: r for r in sel.plan_outcomes(filters(dash))} == rows


def test_it_counts_current_tier_placements_with_everyone_else_in_tier_1(dash):
    from interventions.models import TierPlacement

    TierPlacement.objects.bulk_create(
        TierPlacement(student=s, domain="reading", tier=2, start_date=dt.date(2026, 10, 5))
        for s in dash.groups["lee_a"]
    )
    # An ended placement no longer counts.
    TierPlacement.objects.create(
        student=dash.groups["ruiz_c"][0],
        domain="reading",
        tier=3,
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 30),
    )
    w = dash.world
    got = {(r["school_id"], r["tier"]): r["n"] for r in sel.placement_counts(filters(dash))}
    assert got == {(w.school.pk, 2): 10, (w.school.pk, 1): 32, (w.other_school.pk, 1): 1}


def test_plan_outcomes_read_stored_figures_and_work_out_the_rest_live(dash):
    """A plan's stored row is what the dashboards show (until the services or the nightly
    refresh store it again); a plan without one, or asked about for a day before a point
    its row counts, is worked out from its points."""
    from interventions import progress_summary
    from interventions.models import PlanProgress

    [first, second, *_] = dash.plans
    live = {r["plan_id"]: r for r in sel.plan_outcomes(filters(dash))}
    progress_summary.refresh(plan_ids=[first.pk], as_of=TODAY)
    PlanProgress.objects.filter(plan=first).update(trend_slope=99.0, goal_streak=5)
    assert not PlanProgress.objects.filter(plan=second).exists()

    rows = {r["plan_id"]: r for r in sel.plan_outcomes(filters(dash))}
    assert rows[first.pk]["trend_slope"] == 99.0 and rows[first.pk]["goal_met"] is True
    assert rows[second.pk] == live[second.pk]

    # The first plan's last point is on 23 November (PLAN_START + 7 weeks). A view as of that
    # day counts the same points as the row stored today, so it uses the row; a view as of
    # the day before must leave that point out, so it works the plan out live.
    def as_of(day: dt.date) -> dict:
        return {r["plan_id"]: r for r in sel.plan_outcomes(filters(dash, as_of=day))}

    assert as_of(dt.date(2026, 11, 23))[first.pk]["trend_slope"] == 99.0
    day_before = as_of(dt.date(2026, 11, 22))[first.pk]
    assert day_before["trend_slope"] == pytest.approx(2.0)  # 40, 42, ... 52 a week apart
    assert day_before["points"] == 7
