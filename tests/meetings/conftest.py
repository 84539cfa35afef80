"""Meetings fixtures on top of `world` and the screening fixture.

`kit` gives: the district's ORF measure made usable for progress monitoring, two catalog
interventions (Phonics: Tier 2 and 3, entry for some/high reading risk; Repeated reading:
Tier 2, no entry criteria), a problem-solving meeting at the world's school scheduled today,
and helpers: `flag(...)` makes a live flag as the sweep would, `plan(...)` starts a plan
through the interventions service, `at_risk(...)` gives a student a fall ORF risk level.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from decisions.models import Flag
from decisions.services import rule_set_ensure
from interventions import services as plan_services
from interventions.models import (
    Intervention,
    InterventionPlan,
    InterventionSession,
    ProgressScore,
)
from meetings import services
from meetings.models import Meeting
from screening.models import Measure, ScreeningScore
from students.models import SchoolYear, Student
from tests.screening.conftest import Screening, screening  # noqa: F401  (the fixture)


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


@dataclass
class Kit:
    world: object
    screening: Screening
    year: SchoolYear
    orf: Measure
    phonics: Intervention
    fluency: Intervention
    meeting: Meeting
    counter: list[int] = field(default_factory=lambda: [0])

    def flag(
        self,
        student: Student,
        *,
        kind: str = "screening_risk",
        tier: int = 2,
        domain: str = "reading",
        created_at: dt.datetime | None = None,
        classwide_context: bool = False,
        plan: InterventionPlan | None = None,
        status: str = "open",
        window=None,
        section=None,
        measure=None,
    ) -> Flag:
        self.counter[0] += 1
        digest = hashlib.sha256(str(self.counter[0]).encode()).hexdigest()
        flag = Flag.objects.create(
            district=student.district if student else section.school.district,
            school=student.school if student else section.school,
            school_year=self.year,
            student=student,
            section=section,
            measure=measure,
            plan=plan,
            window=window,
            domain=domain,
            kind=kind,
            recommended_tier=tier,
            status=status,
            rule=kind,
            rule_set=rule_set_ensure(district_id=self.world.district.pk),
            evidence={"kind": "screening", "scores": []},
            evidence_hash=digest,
            basis_hash=digest,
            classwide_context=classwide_context,
        )
        if created_at is not None:
            Flag.objects.filter(pk=flag.pk).update(created_at=created_at)
            flag.refresh_from_db()
        return flag

    def at_risk(self, student: Student, level: str = "some_risk") -> ScreeningScore:
        return ScreeningScore.objects.create(
            student=student,
            measure=self.orf,
            window=self.screening.fall,
            grade=student.grade,
            score=Decimal("60") if level == "some_risk" else Decimal("40"),
            risk_level=level,
        )

    def plan(self, student: Student, **overrides) -> InterventionPlan:
        """A Tier 2 Phonics plan started 70 days ago (baseline 42, goal 72), delivered by the
        world's interventionist, 4x30 min a week."""
        values = dict(
            student=student,
            intervention=self.phonics,
            tier=2,
            domain="reading",
            measure=self.orf,
            interventionist=self.world.interventionist,
            start_date=days_ago(70),
            baseline=Decimal("42"),
            goal=Decimal("72"),
            goal_date=days_ago(70) + dt.timedelta(weeks=20),
            sessions_per_week=4,
            minutes_per_session=30,
            actor=None,
            entry_override_reason="Test set-up",
        )
        values.update(overrides)
        return plan_services.plan_start(**values)

    def progress(
        self, plan: InterventionPlan, scores: list[float], *, delivered: float = 1.0
    ) -> None:
        """Weekly progress points from the plan's start (the last one no later than today)
        and attended sessions for `delivered` of the planned ones up to the last point."""
        start = plan.start_date
        ProgressScore.objects.bulk_create(
            ProgressScore(plan=plan, date=start + dt.timedelta(weeks=i), score=Decimal(str(s)))
            for i, s in enumerate(scores)
        )
        span = (len(scores) - 1) * 7 + 1
        planned = plan.sessions_per_week * span / 7
        InterventionSession.objects.bulk_create(
            InterventionSession(plan=plan, date=start + dt.timedelta(days=d), minutes=30)
            for d in range(math.ceil(planned * delivered - 1e-9))
        )


@pytest.fixture
def kit(world, screening) -> Kit:  # noqa: F811
    orf = screening.orf
    orf.purpose = Measure.Purpose.BOTH
    orf.unit = "words correct per minute"
    orf.save()
    phonics = Intervention.objects.create(
        name="Phonics small group",
        domain="reading",
        tiers=[2, 3],
        minutes_per_session=30,
        sessions_per_week=5,
        weeks=12,
        entry_criteria={"domain_risk_in": ["some_risk", "high_risk"]},
    )
    fluency = Intervention.objects.create(
        name="Read Naturally",
        domain="reading",
        tiers=[2],
        sessions_per_week=4,
        minutes_per_session=30,
    )
    meeting = services.meeting_create(
        school=world.school,
        kind="problem_solving",
        scheduled_at=timezone.now(),
        actor=world.team_member,
        facilitator=world.team_member,
        note_taker=world.principal,
        attendees=[world.team_member, world.principal, world.interventionist],
    )
    return Kit(
        world=world,
        screening=screening,
        year=SchoolYear.objects.get(district=world.district, is_current=True),
        orf=orf,
        phonics=phonics,
        fluency=fluency,
        meeting=meeting,
    )
