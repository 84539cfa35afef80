"""The truthful figures through the pages, the CSV and the API on the test district
(conftest): audiences, the discipline steps, the three-year views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dashboards.suppression import CAUTION, COMPLEMENT
from screening.models import Referral, ScreeningScore, ScreeningWindow
from students.models import SchoolYear
from tests.dashboards.test_views import csv_of, tables_of

pytestmark = pytest.mark.django_db


def test_the_team_page_is_internal_and_its_download_is_published(client, dash):
    w = dash.world
    client.force_login(w.team_member)
    page = tables_of(client.get(reverse("dashboards:behavior")))
    assert page["locations"][2] == ["Hallway", f"3 ({CAUTION})", f"20.0% ({CAUTION})"]
    # Even asked for the internal figures, a download is the published one.
    csv = csv_of(
        client.get(
            reverse("dashboards:behavior"), {"audience": "internal", "download": "locations"}
        )
    )
    assert csv[1:3] == [["Classroom", COMPLEMENT, COMPLEMENT], ["Hallway", "n<10", "n<10"]]


def test_the_api_publishes_unless_asked_for_the_internal_figures(client, dash):
    w = dash.world
    client.force_login(w.principal)
    params = {"step": "at_risk", "school": w.school.pk, "window": dash.fall.pk}
    published = client.get("/api/v1/dashboards/equity/", params).json()
    internal = client.get("/api/v1/dashboards/equity/", {**params, "audience": "internal"}).json()
    pub = {r["group"]: r for r in published["results"]}
    inn = {r["group"]: r for r in internal["results"]}
    assert pub["Race/ethnicity not reported"]["n"] is None
    assert inn["Race/ethnicity not reported"]["n"] == 2 and inn["White"]["x"] == 5
    assert not any(r["suppressed"] for r in internal["results"])
    bad = client.get("/api/v1/dashboards/equity/", {**params, "audience": "everyone"})
    assert bad.status_code == 400 and "audience" in bad.json()


def _referral(student, year, school, day, **fields):
    return Referral(
        student=student,
        school=school,
        school_year=year,
        date=day,
        location="classroom",
        problem_behavior="disruption",
        **fields,
    )


def test_the_discipline_steps_count_students_with_a_major_referral_and_a_suspension(client, dash):
    w = dash.world
    # Two students have major referrals (Liam 12, Maria 3: severity defaults to major); a
    # minor one for a Lee A student does not count; Maria's last referral was a suspension.
    Referral.objects.bulk_create(
        [
            _referral(
                dash.groups["lee_a"][1], dash.year, w.school, dt.date(2026, 10, 1), severity="minor"
            ),
            _referral(
                w.student,
                dash.year,
                w.school,
                dt.date(2026, 10, 2),
                action_taken="out_of_school_suspension",
            ),
        ]
    )
    client.force_login(w.principal)
    tables = tables_of(
        client.get(reverse("dashboards:equity"), {"step": "major_referral", "school": w.school.pk})
    )
    pipeline = {r[0]: r for r in tables["pipeline"][1:]}
    assert pipeline["One or more major office referrals"][1:3] == ["42", f"2 ({CAUTION})"]
    assert pipeline["Suspended (in or out of school)"][1:3] == ["42", f"1 ({CAUTION})"]
    groups = {r[0]: r for r in tables["equity"][1:]}
    # Both are of unreported race/ethnicity.
    assert groups["Race/ethnicity not reported"][1:3] == [f"2 ({CAUTION})", f"2 ({CAUTION})"]
    # Published, the same figures are hidden.
    api = client.get(
        "/api/v1/dashboards/equity/", {"step": "suspended", "school": w.school.pk}
    ).json()
    assert api["all_students"]["n"] == 42 and api["all_students"]["x"] is None


def _past_year(dash, *, years_back: int, at_risk: list) -> SchoolYear:
    start = dt.date(2026 - years_back, 8, 17)
    year = SchoolYear.objects.create(
        district=dash.world.district,
        name=f"{2026 - years_back}-{2027 - years_back}",
        start_date=start,
        end_date=dt.date(2027 - years_back, 6, 4),
        is_current=False,
    )
    fall = ScreeningWindow.objects.create(
        school_year=year,
        season="fall",
        start_date=start + dt.timedelta(days=15),
        end_date=start + dt.timedelta(days=44),
    )
    everyone = [s for g in dash.groups.values() for s in g]
    ScreeningScore.objects.bulk_create(
        ScreeningScore(
            student=s,
            measure=dash.orf,
            window=fall,
            grade=3 - years_back,
            score=50 if s in at_risk else 90,
            risk_level="some_risk" if s in at_risk else "at_or_above",
        )
        for s in everyone
    )
    return year


def test_the_three_year_views_put_each_years_figures_side_by_side(client, dash):
    w = dash.world
    # Two earlier years: the 10 Lee A and 5 Ruiz C students at risk both years (as this
    # fall), so Hispanic students' risk ratio can be worked out every year.
    at_risk = dash.groups["lee_a"] + dash.groups["ruiz_c"]
    _past_year(dash, years_back=2, at_risk=at_risk)
    _past_year(dash, years_back=1, at_risk=at_risk)
    client.force_login(w.district_admin)
    tables = tables_of(
        client.get(reverse("dashboards:tiers"), {"span": "3", "school": w.school.pk})
    )
    years = tables["years"]
    assert years[0][:4] == ["Measure", "Window", "Screened", "At or above benchmark"]
    windows = [r[1] for r in years[1:]]
    assert windows == ["Fall 2024-2025", "Fall 2025-2026", "Fall 2026-2027", "Winter 2026-2027"]
    fall_2024 = years[1]
    # 40 screened, 25 at or above (62.5%), 15 at some risk.
    assert fall_2024[2:6] == ["40", "62.5%", "No", "37.5%"]
    equity = tables_of(
        client.get(
            reverse("dashboards:equity"),
            {"span": "3", "school": w.school.pk, "step": "at_risk", "audience": "published"},
        )
    )["equity_years"]
    assert equity[0] == [
        "Student group",
        "2024-2025",
        "2025-2026",
        "2026-2027",
        "A concern three years in a row",
    ]
    rows = {r[0]: r for r in equity[1:]}
    # Hispanic: 10 of 30 at risk each year, against 5 of 10 (past years) and 6 of 12: the
    # comparison is under 30 students, so no ratio ("not enough students").
    assert rows["Hispanic/Latino"][1:] == ["not enough students"] * 3 + ["No"]
    # The page without span shows no three-year table.
    assert "equity_years" not in tables_of(
        client.get(reverse("dashboards:equity"), {"school": w.school.pk})
    )


def test_the_behavior_page_shows_three_years_of_referrals(client, dash):
    w = dash.world
    past = _past_year(dash, years_back=1, at_risk=[])
    Referral.objects.bulk_create(
        _referral(w.classmate, past, w.school, dt.date(2025, 10, 1 + i)) for i in range(11)
    )
    client.force_login(w.team_member)
    tables = tables_of(client.get(reverse("dashboards:behavior"), {"span": "3"}))
    years = tables["behavior_years"]
    assert years[1:] == [
        ["2025-2026", "11", "11", f"1 ({CAUTION})", f"0 ({CAUTION})"],
        ["2026-2027", "15", "15", f"2 ({CAUTION})", f"0 ({CAUTION})"],
    ]
