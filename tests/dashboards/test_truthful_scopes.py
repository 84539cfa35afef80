"""Two rules of issue 16 through the page, the API and the CSV on hand-built schools: the
alternate risk ratio is used when a school's own comparison group fails the gates, and a
yes/no group whose complement is small is hidden alike in all three.

Aspen Elementary: 40 Hispanic students (20 at risk) and 5 White students (2 at risk).
Birch Elementary: 60 White students (12 at risk). One fall window, this school year.

At Aspen, Hispanic students pass the gates (40, 20) but the school's other students (5, 2)
do not, so they are compared with the district's students outside the group: Aspen's 5
and Birch's 60 White students, 65 with 14 at risk. RR = (20/40) / (14/65) = 65/28 = 2.32,
over-represented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.suppression import COMPLEMENT
from screening.models import Measure, ScreeningScore, ScreeningWindow
from students.models import SchoolYear, Student
from tests.dashboards.test_views import csv_of, tables_of
from tests.factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspen(world):
    year = SchoolYear.objects.get(district=world.district, is_current=True)
    window = ScreeningWindow.objects.create(
        school_year=year,
        season="fall",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 30),
    )
    measure = Measure.objects.create(
        district=world.district,
        code="aspen-orf",
        name="Oral reading fluency",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("250"),
        lowest_grade=1,
        highest_grade=6,
    )
    aspen_school = SchoolFactory(district=world.district, name="Aspen Elementary")
    birch = SchoolFactory(district=world.district, name="Birch Elementary")
    groups = [
        (aspen_school, "hispanic_latino", 40, 20),
        (aspen_school, "white", 5, 2),
        (birch, "white", 60, 12),
    ]
    scores = []
    for school, race, n, at_risk in groups:
        for i in range(n):
            s = StudentFactory(school=school, race_ethnicity=race, first_name=f"{race} {i}")
            risky = i < at_risk
            scores.append(
                ScreeningScore(
                    student=s,
                    measure=measure,
                    window=window,
                    grade=3,
                    score=50 if risky else 90,
                    risk_level="some_risk" if risky else "at_or_above",
                )
            )
    ScreeningScore.objects.bulk_create(scores)
    return aspen_school, window


def test_a_school_group_without_a_comparison_is_compared_with_the_district(client, world, aspen):
    school, window = aspen
    client.force_login(world.district_admin)
    params = {"school": school.pk, "window": window.pk, "step": "at_risk"}
    rows = {
        r[0]: r for r in tables_of(client.get(reverse("dashboards:equity"), params))["equity"][1:]
    }
    assert rows["Hispanic/Latino"][1:3] == ["40", "20"]
    assert rows["Hispanic/Latino"][4] == "2.32 (against the district)"
    assert rows["Hispanic/Latino"][-1] == "over-represented"
    # White students at Aspen (5) fail the gates themselves: no ratio at all.
    assert rows["White"][4] == "not enough students"
    api = client.get("/api/v1/dashboards/equity/", params).json()
    hispanic = next(r for r in api["results"] if r["group"] == "Hispanic/Latino")
    assert hispanic["risk_ratio"] == pytest.approx(65 / 28)
    assert hispanic["band"] == "over-represented"


def test_a_yes_group_with_a_small_complement_is_hidden_in_page_api_and_csv(client, world, aspen):
    # Every Aspen student but the 5 White ones is an English learner: All 45 / 22 and
    # English learners 40 / 20 would give away the 5 others (2 at risk).
    school, window = aspen
    Student.objects.filter(school=school, race_ethnicity="hispanic_latino").update(
        english_learner=True
    )
    client.force_login(world.district_admin)
    params = {"school": school.pk, "window": window.pk, "step": "at_risk"}
    page = tables_of(client.get(reverse("dashboards:equity"), {**params, "audience": "published"}))[
        "equity"
    ]
    [el] = [r for r in page if r[0] == "English learners"]
    assert el[1:4] == [COMPLEMENT, COMPLEMENT, COMPLEMENT]
    assert el[-1] == COMPLEMENT
    csv = csv_of(client.get(reverse("dashboards:equity"), {**params, "download": "equity"}))
    assert [r for r in csv if r[0] == "English learners"] == [el]
    api = client.get("/api/v1/dashboards/equity/", params).json()
    [el_api] = [r for r in api["results"] if r["group"] == "English learners"]
    assert el_api["n"] is None and el_api["x"] is None and el_api["risk_ratio"] is None
    assert el_api["band"] == COMPLEMENT and el_api["suppressed"] is True
    assert api["all_students"]["n"] == 45 and api["all_students"]["x"] == 22
