"""Interventions fixtures on top of `world` and the screening fixture: a progress measure
with the grade 3 ORF cut scores (fall benchmark 70), a behavior progress measure (lower is
better), two catalog entries with entry criteria and checklists, a group of the world's
interventionist, and `start_plan` to start plans through the service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from interventions import services
from interventions.models import Intervention, InterventionGroup, InterventionPlan
from screening.models import Measure, ScreeningScore
from tests.screening.conftest import Screening, screening  # noqa: F401  (the fixture)


@dataclass
class Kit:
    screening: Screening
    orf: Measure  # reading, 0-250, higher is better, purpose "both"
    dbr: Measure  # behavior, 0-10, lower is better, progress only
    phonics: Intervention  # reading, tiers 2 and 3, for some/high risk in grades 1-5
    fluency: Intervention  # reading, tier 2 only, no entry criteria
    cico: Intervention  # behavior, tier 2
    group: InterventionGroup  # the world interventionist's, at the world school


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


@pytest.fixture
def kit(world, screening) -> Kit:  # noqa: F811
    orf = screening.orf
    orf.purpose = Measure.Purpose.BOTH
    orf.unit = "words correct per minute"
    orf.save()
    dbr = Measure.objects.create(
        district=world.district,
        code="dbr-disruptive",
        name="Daily behavior rating: disruption",
        domain="behavior",
        area="behavior",
        purpose=Measure.Purpose.PROGRESS,
        unit="rating 0-10",
        min_score=Decimal("0"),
        max_score=Decimal("10"),
        higher_is_better=False,
        lowest_grade=0,
        highest_grade=12,
    )
    phonics = Intervention.objects.create(
        name="Phonics small group",
        domain="reading",
        tiers=[2, 3],
        evidence_level="strong",
        minutes_per_session=30,
        sessions_per_week=5,
        group_size_min=3,
        group_size_max=5,
        weeks=12,
        entry_criteria={"domain_risk_in": ["some_risk", "high_risk"], "grades": [1, 5]},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=["Reviewed sounds", "Modelled", "Each student read", "Corrected"],
    )
    fluency = Intervention.objects.create(name="Repeated reading", domain="reading", tiers=[2])
    cico = Intervention.objects.create(name="Check-in/Check-out", domain="behavior", tiers=[2])
    group = InterventionGroup.objects.create(
        school=world.school, name="Grade 3 phonics, 9:00", interventionist=world.interventionist
    )
    return Kit(
        screening=screening,
        orf=orf,
        dbr=dbr,
        phonics=phonics,
        fluency=fluency,
        cico=cico,
        group=group,
    )


def at_risk(student, kit: Kit, level: str = "some_risk") -> ScreeningScore:
    """A fall ORF score with the given risk level (what the entry criteria read)."""
    return ScreeningScore.objects.create(
        student=student,
        measure=kit.orf,
        window=kit.screening.fall,
        grade=student.grade,
        score=Decimal("60"),
        risk_level=level,
    )


def start_plan(world, kit: Kit, student=None, **overrides) -> InterventionPlan:
    """A Tier 2 phonics plan for `student` (default: the world's Maria), started by the team
    member 10 weeks ago, delivered by the world's interventionist; baseline 42, goal 72."""
    student = student or world.student
    values = dict(
        student=student,
        intervention=kit.phonics,
        tier=2,
        domain="reading",
        measure=kit.orf,
        interventionist=world.interventionist,
        start_date=days_ago(70),
        baseline=Decimal("42"),
        goal=Decimal("72"),
        goal_date=days_ago(70) + dt.timedelta(weeks=20),
        sessions_per_week=5,
        minutes_per_session=30,
        actor=world.team_member,
        entry_override_reason="",
    )
    values.update(overrides)
    if (
        not values["entry_override_reason"]
        and values["intervention"].entry_criteria
        and not ScreeningScore.objects.filter(student=values["student"]).exists()
    ):
        at_risk(values["student"], kit)
    return services.plan_start(**values)
