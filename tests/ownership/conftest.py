"""The student's own page: on top of the meetings `kit` (world, ORF screening, Phonics), Ana
joins Maria in the teacher's class "Grade 3 - Lee"; Maria has a Phonics plan (goal 72) with
two weekly progress checks, 42 and 48; Liam (another class) has a plan of his own.

`codes(section, hours)` prints codes as the teacher would and returns {student: code};
`sign_in(client, code)` posts a code to the code page. The rate-limit counts live in Redis
(REDIS_URL's database): each test starts with none.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.urls import reverse

from interventions.models import InterventionPlan
from ownership import services
from students.models import Student
from tests.factories import EnrollmentFactory, StudentFactory
from tests.meetings.conftest import Kit, kit  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)


@dataclass
class Own:
    kit: Kit
    ana: Student
    plan: InterventionPlan  # Maria's
    liam_plan: InterventionPlan

    @property
    def world(self):
        return self.kit.world

    def codes(self, section=None, hours: int = 24, actor=None) -> dict[int, str]:
        printed = services.codes_print(
            section=section or self.world.section,
            actor=actor or self.world.teacher,
            hours=hours,
        )
        return {p.student.pk: p.code for p in printed}


def sign_in(client, code: str, **extra):
    return client.post(reverse("ownership:sign_in"), {"code": code}, **extra)


@pytest.fixture(autouse=True)
def _no_rate_limit_counts():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def own(kit) -> Own:  # noqa: F811
    w = kit.world
    ana = StudentFactory(school=w.school, first_name="Ana", last_name="Diaz")
    EnrollmentFactory(student=ana, section=w.section)
    plan = kit.plan(w.student)
    kit.progress(plan, [42, 48])
    liam_plan = kit.plan(w.classmate)
    return Own(kit=kit, ana=ana, plan=plan, liam_plan=liam_plan)
