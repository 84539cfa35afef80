"""CICO: the point-card percentage, the fade / adjust rule (hand-computed), the card service
(the day's % becomes the plan's progress score), the card page and the school report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interventions.analysis.cico import card_percent, cico_judgement
from interventions.models import CicoCard, CicoSetup, ProgressScore
from interventions.services.cico import cico_card_record, cico_cards_bulk_record
from screening.models import Measure
from tests.interventions.conftest import days_ago, start_plan

D = dt.date(2026, 10, 16)  # a Friday


def test_card_percent():
    # 4 periods x 3 expectations, 0-2: 20 of 24 points = 83.33%.
    assert card_percent([[2, 2, 1], [2, 1, 2], [2, 2, 2], [1, 2, 1]], 2) == Decimal("83.33")
    # A period not rated (absent) does not count: 10 of the 12 points of the rated cells.
    assert card_percent([[2, 2, 1], [None, None, None], [2, 1, 2]], 2) == Decimal("83.33")
    assert card_percent([[None, None]], 2) is None
    assert card_percent([[0, 0]], 2) == Decimal("0.00")


def test_cico_rule_fade_and_adjust():
    # 10 school days in the two weeks up to Fri 16 Oct; 8 at or above 80% -> 8/10 = 80%: fade.
    days = [D - dt.timedelta(days=n) for n in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
    fade = [(d, p) for d, p in zip(days, [80, 90, 85, 100, 79.99, 80, 95, 88, 70, 82], strict=True)]
    j = cico_judgement(fade, as_of=D)
    assert (j.recommendation, j.days_recorded, j.days_at_goal) == ("fade", 10, 8)
    # One more day below goal: 7 of 10 -> adjust.
    adjust = [(d, 60 if i == 0 else p) for i, (d, p) in enumerate(fade)]
    assert cico_judgement(adjust, as_of=D).recommendation == "adjust"
    # A card 14 days back is outside the window; 4 cards are too few.
    few = [(D, 90), (D - dt.timedelta(days=1), 90), (D - dt.timedelta(days=2), 90),
           (D - dt.timedelta(days=3), 90), (D - dt.timedelta(days=14), 90)]  # fmt: skip
    j = cico_judgement(few, as_of=D)
    assert (j.recommendation, j.days_recorded) == ("insufficient_data", 4)


@pytest.fixture
def cico_plan(world, kit):
    card = Measure.objects.create(
        district=world.district,
        code="dpr",
        name="Daily point card (% of points earned)",
        domain="behavior",
        area="behavior",
        purpose=Measure.Purpose.PROGRESS,
        unit="percent of points",
        min_score=Decimal("0"),
        max_score=Decimal("100"),
        higher_is_better=True,
        lowest_grade=0,
        highest_grade=12,
    )
    CicoSetup.objects.create(
        school=world.school, periods=["AM", "PM"], expectations=["Safe", "Kind"], max_points=2
    )
    return start_plan(
        world, kit, intervention=kit.cico, domain="behavior", measure=card, baseline=Decimal("50"),
        goal=Decimal("80"),
    )  # fmt: skip


@pytest.mark.django_db
def test_card_becomes_the_progress_score(world, cico_plan):
    day = days_ago(1)
    card = cico_card_record(
        plan=cico_plan, date=day, points=[[2, 1], ["2", None]], checked_in=True,
        checked_out=True, home_copy_returned=False, actor=world.interventionist,
    )  # fmt: skip
    assert card.percent == Decimal("83.33")  # 5 of 6 points
    assert ProgressScore.objects.get(plan=cico_plan, date=day).score == Decimal("83.33")
    with pytest.raises(ValidationError) as err:
        cico_card_record(
            plan=cico_plan, date=day, points=[[3, 1], [2, 2]], checked_in=True,
            checked_out=True, home_copy_returned=False, actor=world.interventionist,
        )  # fmt: skip
    assert "AM, Safe: 3 is not a rating from 0 to 2." in err.value.messages


@pytest.mark.django_db
def test_bulk_is_all_or_nothing(world, cico_plan):
    good = dict(plan=cico_plan, date=days_ago(2), points=[[2, 2], [2, 2]], checked_in=True,
                checked_out=True, home_copy_returned=True)  # fmt: skip
    bad = {**good, "date": days_ago(3), "points": [[2, 2]]}
    with pytest.raises(ValidationError):
        cico_cards_bulk_record(rows=[good, bad], actor=world.interventionist)
    assert not CicoCard.objects.exists()


@pytest.mark.django_db
def test_card_page_and_report(client, world, cico_plan):
    client.force_login(world.interventionist)
    url = reverse("interventions:cico_card", args=[cico_plan.pk])
    day = days_ago(1).isoformat()
    page = client.get(f"{url}?date={day}")
    assert page.status_code == 200 and "Daily point card" in page.content.decode()
    saved = client.post(
        url, {"date": day, "p0_0": "2", "p0_1": "2", "p1_0": "1", "p1_1": "2", "checked_in": "on"}
    )
    assert saved.status_code == 302
    assert CicoCard.objects.get().percent == Decimal("87.50")
    client.force_login(world.principal)
    report = client.get(reverse("interventions:cico_report"))
    text = report.content.decode()
    assert report.status_code == 200 and "Garcia, Maria" in text
    client.force_login(world.other_teacher)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_cards_api_bulk(world, cico_plan):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.interventionist)
    rows = [
        {"plan": cico_plan.pk, "date": days_ago(d).isoformat(), "points": [[2, 2], [2, 1]],
         "checked_in": True}
        for d in (1, 2)
    ]  # fmt: skip
    response = api.post("/api/v1/cico-cards/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 200, response.json()
    assert [c["percent"] for c in response.json()["cards"]] == ["87.50", "87.50"]
    assert api.get(f"/api/v1/cico-cards/?plan={cico_plan.pk}").json()["count"] == 2
    api.force_authenticate(world.other_teacher)
    refused = api.post("/api/v1/cico-cards/bulk/", {"rows": rows}, format="json")
    assert refused.status_code == 400


def _cards(plan, actor, ratings):
    """One card a day from yesterday back: [[2, 2], [2, 1]] earns 7 of 8 = 87.5% (at goal),
    [[1, 1], [1, 1]] earns 4 of 8 = 50% (not)."""
    for n, points in enumerate(ratings, start=1):
        cico_card_record(
            plan=plan, date=days_ago(n), points=points, checked_in=True, checked_out=True,
            home_copy_returned=True, actor=actor,
        )  # fmt: skip


AT_GOAL, BELOW = [[2, 2], [2, 1]], [[1, 1], [1, 1]]


@pytest.mark.django_db
def test_the_cico_rule_is_the_plans_one_recommendation(world, cico_plan):
    from rest_framework.test import APIClient

    from interventions.selectors.plan_analysis import plan_view

    cico_plan.goal = Decimal("95")  # the trend rule's goal is not met: CICO's rule decides
    cico_plan.save()
    # 8 of 10 days at goal (80%) -> fade, ahead of the unknown fidelity (no sessions logged).
    _cards(cico_plan, world.interventionist, [AT_GOAL] * 4 + [BELOW] * 2 + [AT_GOAL] * 4)
    view = plan_view(cico_plan, as_of=days_ago(0))
    r = view.reconciled
    assert (r.key, r.label) == ("cico_fade", "CICO: fade toward self-monitoring")
    assert r.reasons[0].startswith("At goal (80% of points) on 8 of 10 days")
    api = APIClient()
    api.force_authenticate(world.interventionist)
    body = api.get(f"/api/v1/plans/{cico_plan.pk}/analysis/").json()
    assert body["reconciled"]["recommendation"] == "cico_fade"


@pytest.mark.django_db
def test_cico_adjust_waits_for_the_plan_to_be_delivered(world, cico_plan, client):
    cico_plan.goal = Decimal("95")
    cico_plan.save()
    # 7 of 10 days at goal (70%) -> adjust; with no session logged fidelity is unknown, so
    # the reconciled recommendation is "deliver as written first", the CICO rule a reason.
    _cards(cico_plan, world.interventionist, [AT_GOAL] * 7 + [BELOW] * 3)
    client.force_login(world.interventionist)
    text = client.get(reverse("interventions:plan_detail", args=[cico_plan.pk])).content.decode()
    assert "Deliver the plan as written first" in text
    assert "on 7 of 10 days" in text and "adjust CICO" in text
