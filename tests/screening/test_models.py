"""Shipped reference data, database constraints and the read-only admin for reference sets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from screening import reference_data
from screening.models import CutScore, CutScoreSet, Measure, ScreeningScore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_ships_the_hasbrouck_tindal_norms_as_a_reference_set():
    cut_set = CutScoreSet.objects.get(district=None, measure__code="orf-wcpm")
    assert (cut_set.version, cut_set.is_active, cut_set.method) == (1, True, "criterion")
    assert cut_set.rows.count() == 17  # 6 grades x 3 seasons, minus grade 1 fall
    assert not cut_set.rows.filter(grade=1, season="fall").exists()
    row = cut_set.rows.get(grade=4, season="spring")  # 184/160/133/105/83
    assert (row.benchmark, row.high_risk_cut) == (Decimal("105"), Decimal("83"))
    assert (row.p90, row.p75, row.p50, row.p25, row.p10) == (184, 160, 133, 105, 83)


@pytest.mark.parametrize(
    ("code", "higher_is_better", "grades", "benchmark", "high_risk_cut", "rows"),
    [
        ("srss-e7", False, (0, 12), 3, 8, 39),
        ("srss-i5", False, (0, 8), 1, 3, 27),
        ("srss-i6", False, (5, 12), 3, 5, 24),
        ("acadience-orf", True, (1, 6), 70, 55, 6),
    ],
)
def test_it_ships_the_other_reference_sets(
    code, higher_is_better, grades, benchmark, high_risk_cut, rows
):
    measure = Measure.objects.get(district=None, code=code)
    assert measure.higher_is_better is higher_is_better
    assert (measure.lowest_grade, measure.highest_grade) == grades
    cut_set = measure.cut_score_sets.get()
    assert cut_set.rows.count() == rows
    sample = cut_set.rows.get(grade=grades[0] if code != "acadience-orf" else 3, season="fall")
    assert (sample.benchmark, sample.high_risk_cut) == (benchmark, high_risk_cut)


def test_it_loads_the_reference_data_only_once():
    from django.apps import apps

    reference_data.load(apps)
    assert CutScoreSet.objects.filter(district=None).count() == 5
    assert Measure.objects.filter(district=None).count() == 5


def test_it_keeps_one_score_per_student_measure_and_window(world, screening):
    values = {
        "student": world.student,
        "measure": screening.orf,
        "window": screening.fall,
        "grade": 3,
        "score": 50,
    }
    ScreeningScore.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreeningScore.objects.create(**values)


def test_it_keeps_one_active_set_per_district_and_measure(world, screening):
    with pytest.raises(IntegrityError), transaction.atomic():
        CutScoreSet.objects.create(
            district=world.district, measure=screening.orf, name="Second", version=2
        )


def test_it_refuses_a_measure_whose_range_is_empty(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(
            district=world.district,
            code="empty",
            name="Empty",
            domain="math",
            min_score=10,
            max_score=10,
            lowest_grade=1,
            highest_grade=2,
        )


def test_it_keeps_reference_sets_read_only_in_the_admin(client):
    admin = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client.force_login(admin)
    cut_set = CutScoreSet.objects.get(district=None, measure__code="srss-e7")
    row = cut_set.rows.get(grade=3, season="fall")
    page = client.get(f"/admin/screening/cutscoreset/{cut_set.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # a view page, no Save button
    response = client.post(
        f"/admin/screening/cutscoreset/{cut_set.pk}/change/",
        {"name": "Changed", "measure": cut_set.measure_id, "method": "criterion"},
    )
    assert response.status_code == 403
    cut_set.refresh_from_db()
    assert cut_set.name == "SRSS-E7 cut scores"
    assert CutScore.objects.get(pk=row.pk).benchmark == 3
