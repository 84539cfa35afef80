"""The three-year equity view on a hand-built school, figures worked out by hand; and the
one-step pipeline (earlier years, the district behind an alternate risk ratio) counting
exactly what the full pipeline counts.

Birch Elementary: 40 Hispanic and 60 White students, the same students all three years,
one fall screening window a year (the chosen window is this fall's, so earlier years use
their fall too).

| year      | at risk: Hispanic | White  | RR Hispanic        | RR White             |
| --------- | ----------------- | ------ | ------------------ | -------------------- |
| 2024-2025 | 20/40             | 12/60  | 0.5/0.2 = 2.50 over | 0.2/0.5 = 0.40 under |
| 2025-2026 | 18/40             | 15/60  | 0.45/0.25 = 1.80 at risk | 0.25/0.45 = 0.56 under |
| 2026-2027 | 16/40             | 12/60  | 0.4/0.2 = 2.00 over | 0.2/0.4 = 0.50 under |

Hispanic students are a concern all three years ("Yes"); White students are under-represented,
which is no concern for an adverse step.

Students with a major referral (a minor one does not count):

| year      | Hispanic | White | RR Hispanic                 | RR White                      |
| --------- | -------- | ----- | --------------------------- | ----------------------------- |
| 2024-2025 | 12/40    | 10/60 | 0.3/(1/6) = 1.80 at risk    | (1/6)/0.3 = 0.56 under        |
| 2025-2026 | 20/40    | 10/60 | 0.5/(1/6) = 3.00 over       | (1/6)/0.5 = 0.33 under        |
| 2026-2027 | 10/40    | 10/60 | 0.25/(1/6) = 1.50 exactly: none | (1/6)/0.25 = 2/3 < 0.67: under |

Not a concern three years in a row: 1.50 is no concern.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards import plan_figures
from dashboards.analysis.pipeline import STEPS, step_counts
from dashboards.selectors.conditions import Filters
from screening.models import Measure, Referral, ScreeningScore, ScreeningWindow
from students.models import SchoolYear
from tests.dashboards.test_views import tables_of
from tests.factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db

# Years back -> (Hispanic at risk, White at risk, Hispanic major, White major).
FIGURES = {2: (20, 12, 12, 10), 1: (18, 15, 20, 10), 0: (16, 12, 10, 10)}


def _year(world, back: int) -> SchoolYear:
    if back == 0:
        return SchoolYear.objects.get(district=world.district, is_current=True)
    return SchoolYear.objects.create(
        district=world.district,
        name=f"{2026 - back}-{2027 - back}",
        start_date=dt.date(2026 - back, 8, 17),
        end_date=dt.date(2027 - back, 6, 4),
        is_current=False,
    )


@pytest.fixture
def birch(world):
    school = SchoolFactory(district=world.district, name="Birch Elementary")
    hispanic = [
        StudentFactory(school=school, race_ethnicity="hispanic_latino", first_name=f"H{i}")
        for i in range(40)
    ]
    white = [
        StudentFactory(school=school, race_ethnicity="white", first_name=f"W{i}") for i in range(60)
    ]
    measure = Measure.objects.create(
        district=world.district,
        code="birch-orf",
        name="Oral reading fluency",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("250"),
        lowest_grade=1,
        highest_grade=6,
    )
    windows = {}
    for back, (h_risk, w_risk, h_major, w_major) in FIGURES.items():
        year = _year(world, back)
        start = dt.date(2026 - back, 9, 1)
        window = ScreeningWindow.objects.create(
            school_year=year, season="fall", start_date=start, end_date=start + dt.timedelta(29)
        )
        windows[back] = window
        at_risk = set(hispanic[:h_risk] + white[:w_risk])
        ScreeningScore.objects.bulk_create(
            ScreeningScore(
                student=s,
                measure=measure,
                window=window,
                grade=3,
                score=50 if s in at_risk else 90,
                risk_level="some_risk" if s in at_risk else "at_or_above",
            )
            for s in hispanic + white
        )
        referred = hispanic[-h_major:] + white[-w_major:]
        Referral.objects.bulk_create(
            Referral(
                student=s,
                school=school,
                school_year=year,
                date=start + dt.timedelta(days=40),
                location="classroom",
                problem_behavior="disruption",
                severity=severity,
            )
            # Every student also has a minor referral: it must not count.
            for s in hispanic + white
            for severity in (["major", "minor"] if s in referred else ["minor"])
        )
    return school, windows


def _years_table(client, world, school, window, step: str) -> dict[str, list[str]]:
    client.force_login(world.district_admin)
    tables = tables_of(
        client.get(
            reverse("dashboards:equity"),
            {
                "span": "3",
                "school": school.pk,
                "window": window.pk,
                "step": step,
                "audience": "published",
            },
        )
    )
    table = tables["equity_years"]
    assert table[0] == [
        "Student group",
        "2024-2025",
        "2025-2026",
        "2026-2027",
        "A concern three years in a row",
    ]
    return {r[0]: r[1:] for r in table[1:]}


def test_the_three_year_at_risk_view_gives_each_years_ratio_and_band(client, world, birch):
    school, windows = birch
    rows = _years_table(client, world, school, windows[0], "at_risk")
    assert rows["Hispanic/Latino"] == [
        "2.50 (over-represented)",
        "1.80 (at risk)",
        "2.00 (over-represented)",
        "Yes",
    ]
    assert rows["White"] == [
        "0.40 (under-represented)",
        "0.56 (under-represented)",
        "0.50 (under-represented)",
        "No",
    ]


def test_the_three_year_discipline_view_counts_major_referrals_only(client, world, birch):
    school, windows = birch
    rows = _years_table(client, world, school, windows[0], "major_referral")
    assert rows["Hispanic/Latino"] == [
        "1.80 (at risk)",
        "3.00 (over-represented)",
        "1.50 (none)",
        "No",
    ]
    assert rows["White"] == [
        "0.56 (under-represented)",
        "0.33 (under-represented)",
        "0.67 (under-represented)",
        "No",
    ]


def _filters(dash, **changes) -> Filters:
    w = dash.world
    base = {
        "district_id": w.district.pk,
        "school_ids": (w.school.pk, w.other_school.pk),
        "year": dash.year,
        "window": dash.fall,
        "previous_window": None,
    }
    return Filters(**{**base, **changes})


@pytest.mark.parametrize("domain", ["", "reading"])
def test_one_steps_pipeline_counts_what_the_full_pipeline_counts(dash, domain):
    # The conftest district has scores, plans with progress, flags (one dismissed) and
    # referrals; a minor referral and a suspension add to the discipline steps.
    w = dash.world
    Referral.objects.create(
        student=dash.groups["lee_b"][0],
        school=w.school,
        school_year=dash.year,
        date=dt.date(2026, 10, 1),
        location="classroom",
        problem_behavior="disruption",
        severity="minor",
        action_taken="in_school_suspension",
    )
    f = _filters(dash, domain=domain)
    full, full_available = plan_figures.pipeline(f)
    for step in STEPS:
        narrow, available = plan_figures.pipeline(f, step=step)
        assert available[step.source] == full_available[step.source], step.key
        assert step_counts(narrow, step) == step_counts(full, step), step.key


def test_a_step_column_that_does_not_exist_is_refused(dash):
    from dashboards.selectors.pipeline import pipeline_counts

    with pytest.raises(ValueError, match="Not a pipeline step column: tier_9"):
        pipeline_counts(_filters(dash), columns=["at_risk", "tier_9"])


def test_the_equity_api_gives_the_three_year_view_with_span_3(client, world, birch):
    school, windows = birch
    client.force_login(world.district_admin)
    params = {"school": school.pk, "window": windows[0].pk, "step": "at_risk"}
    assert "years" not in client.get("/api/v1/dashboards/equity/", params).json()
    body = client.get("/api/v1/dashboards/equity/", {**params, "span": "3"}).json()
    hispanic = next(r for r in body["years"] if r["group"] == "Hispanic/Latino")
    assert hispanic["years"] == [
        {"year": "2024-2025", "risk_ratio": 2.5, "band": "over-represented"},
        {"year": "2025-2026", "risk_ratio": 1.8, "band": "at risk"},
        {"year": "2026-2027", "risk_ratio": 2.0, "band": "over-represented"},
    ]
    assert hispanic["three_years"] is True


def test_plan_outcomes_of_schools_without_plans_are_empty_columns(world, birch):
    from dashboards.selectors.interventions import plan_outcome_columns, plan_outcomes

    school, windows = birch
    f = Filters(
        district_id=world.district.pk,
        school_ids=(school.pk,),
        year=windows[0].school_year,
        window=windows[0],
        previous_window=None,
    )
    columns = plan_outcome_columns(f)
    assert columns["plan_id"] == [] and columns["goal_met"] == []
    assert plan_outcomes(f) == []
