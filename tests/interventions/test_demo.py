"""The interventions part of seed_demo: plans for most at-risk students with 6-20 points of
varied response, sessions of varied fidelity, groups, and a caseload for the demo
interventionist at the first elementary school."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from interventions import selectors
from interventions.models import (
    Intervention,
    InterventionGroup,
    InterventionPlan,
    InterventionSession,
    ProgressScore,
    TierPlacement,
)
from screening.models import ScreeningScore
from students.models import School, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_district(db):
    call_command("seed_demo", "--students=900", "--seed=11", stdout=io.StringIO())


def test_it_ships_the_catalog_and_plans_for_most_at_risk_students(demo_district):
    assert Intervention.objects.filter(district=None).count() >= 12
    assert {"reading", "math", "behavior", "sel"} <= set(
        Intervention.objects.values_list("domain", flat=True)
    )
    assert Intervention.objects.filter(name="Check-in/Check-out").exists()
    at_risk = set(
        ScreeningScore.objects.filter(
            window__season="fall", risk_level__in=["some_risk", "high_risk"]
        ).values_list("student_id", flat=True)
    )
    planned = set(InterventionPlan.objects.values_list("student_id", flat=True))
    assert planned <= at_risk
    assert len(planned) > 0.7 * len(at_risk)
    tiers = Counter(InterventionPlan.objects.values_list("tier", flat=True))
    assert tiers[2] > tiers[3] > 0
    # Every plan's tier is on record, with an open placement per student and domain.
    assert TierPlacement.objects.filter(end_date=None).count() == (
        InterventionPlan.objects.values("student_id", "domain").distinct().count()
    )


def test_it_gives_every_plan_6_to_20_points_within_its_dates(demo_district):
    counts = (
        ProgressScore.objects.values("plan_id")
        .annotate(n=Count("id"), first=Min("date"), last=Max("date"))
        .order_by()
    )
    starts = dict(InterventionPlan.objects.values_list("pk", "start_date"))
    assert {c["plan_id"] for c in counts} == set(starts)
    assert min(c["n"] for c in counts) >= 6
    assert max(c["n"] for c in counts) <= 20
    assert all(c["first"] >= starts[c["plan_id"]] for c in counts)
    assert max(c["last"] for c in counts) <= timezone.localdate()
    assert InterventionSession.objects.filter(date__gt=timezone.localdate()).count() == 0


def test_it_varies_the_response_and_fidelity_and_fills_the_demo_caseload(demo_district):
    today = timezone.localdate()
    plans = list(
        InterventionPlan.objects.select_related(*selectors.PLAN_RELATED).filter(status="active")
    )
    views = selectors.plan_views(plans, as_of=today)
    recommendations = Counter(v.analysis.recommendation for v in views.values())
    for wanted in ("continue", "raise_goal", "change_intervention", "improve_fidelity", "exit"):
        assert recommendations[wanted] > 0, recommendations
    fidelity = [v.analysis.fidelity for v in views.values()]
    assert any(f is None for f in fidelity)
    assert any(f is not None and f < 0.8 for f in fidelity)
    assert any(f is not None and f >= 0.95 for f in fidelity)
    assert InterventionPlan.objects.filter(status="completed").exists()

    sizes = Counter(InterventionPlan.objects.exclude(group=None).values_list("group_id", flat=True))
    assert InterventionGroup.objects.count() == len(sizes)
    assert all(2 <= n <= 6 for n in sizes.values())

    interventionist = User.objects.get(username="interventionist")
    first_elementary = School.objects.filter(level="elementary").order_by("pk").first()
    load = selectors.caseload(interventionist, as_of=today)
    assert len(load.views) >= 5
    assert {v.plan.student.school_id for v in load.views} == {first_elementary.pk}
    assert load.waiting and load.groups
