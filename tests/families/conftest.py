"""Families fixtures on top of the meetings kit: a Spanish-speaking mother for Maria, and a
helper that records a team decision and runs what follows its commit (the letter, the
referral)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from meetings import services
from students.models import Guardian, StudentGuardian
from tests.meetings.conftest import kit, today  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)


@pytest.fixture
def rosa(world):
    g = Guardian.objects.create(
        district=world.district,
        first_name="Rosa",
        last_name="Garcia",
        email="rosa@example.org",
        preferred_language="es",
    )
    StudentGuardian.objects.create(student=world.student, guardian=g)
    return g


def placement(kit, **extra) -> dict:  # noqa: F811
    values = dict(
        intervention=kit.fluency,
        interventionist=kit.world.interventionist,
        measure=kit.orf,
        goal=Decimal("90"),
        goal_date=today() + dt.timedelta(weeks=12),
        sessions_per_week=4,
        minutes_per_session=30,
        planned_weeks=10,
    )
    values.update(extra)
    return values


@pytest.fixture
def decide(kit, django_capture_on_commit_callbacks):  # noqa: F811
    """decide(type, student=..., **kwargs): the team records it; on-commit work runs."""

    def run(type: str, *, student=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.meeting_record_decision(
                meeting=kit.meeting,
                item=None,
                student=student or kit.world.student,
                type=type,
                actor=kit.world.team_member,
                **kwargs,
            )

    return run
