"""A small district for the sweep tests, on top of the shared `world`, built through the
screening services (so scores are classified and ranked as in production).

Grade 3 oral reading fluency, fall cut scores 70 (benchmark) / 55 (cut point for risk),
winter 86 / 68 (the Acadience example of domain.md):

| student              | section (school)          | fall ORF | risk      |
| -------------------- | ------------------------- | -------- | --------- |
| Maria Garcia         | Grade 3 - Lee (Maple)     | 38       | high risk |
| Ana Diaz             | Grade 3 - Lee (Maple)     | 60       | some risk |
| Ben Cole             | Grade 3 - Lee (Maple)     | 72       | at/above  |
| Liam Smith           | Grade 3 - Ruiz (Maple)    | 80       | at/above  |
| Noah Jones           | Grade 3 - Park (Oak)      | 50       | high risk |

Section medians: Lee 60 < 70 (classwide problem), Ruiz 80 (none), Park 50 (problem).
Liam has two office referrals in September (ODR Tier 2 and the October catch); Maria one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from screening import services as screening_services
from screening.models import CutScore, CutScoreSet, Measure, ScreeningWindow
from screening.services import ScoreInput
from students.models import SchoolYear, Student
from tests.factories import EnrollmentFactory, StudentFactory

AS_OF = dt.date(2026, 10, 15)


@dataclass
class SweepWorld:
    world: object
    year: SchoolYear
    fall: ScreeningWindow
    winter: ScreeningWindow
    orf: Measure
    orf_set: CutScoreSet
    maria: Student
    ana: Student
    ben: Student
    liam: Student
    noah: Student

    def score(self, student: Student, value: int, window: ScreeningWindow | None = None) -> None:
        screening_services.scores_bulk_record(
            rows=[
                ScoreInput(
                    student=student, measure=self.orf, window=window or self.fall, value=value
                )
            ],
            entered_by=None,
        )

    def referral(self, student: Student, day: dt.date) -> None:
        screening_services.referral_create(
            student=student,
            date=day,
            location="classroom",
            problem_behavior="disruption",
            reported_by=None,
        )


@pytest.fixture
def sweep_world(world) -> SweepWorld:
    year = SchoolYear.objects.get(district=world.district, is_current=True)
    fall = ScreeningWindow.objects.create(
        school_year=year,
        season="fall",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 30),
        is_open=True,
    )
    winter = ScreeningWindow.objects.create(
        school_year=year,
        season="winter",
        start_date=dt.date(2027, 1, 5),
        end_date=dt.date(2027, 1, 29),
        is_open=True,
    )
    orf = Measure.objects.create(
        district=world.district,
        code="orf",
        name="Oral reading fluency",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("250"),
        lowest_grade=1,
        highest_grade=6,
    )
    orf_set = CutScoreSet.objects.create(
        district=world.district, measure=orf, name="District ORF cuts", version=1
    )
    for season, bench, cut in (("fall", 70, 55), ("winter", 86, 68)):
        CutScore.objects.create(
            cut_score_set=orf_set, grade=3, season=season, benchmark=bench, high_risk_cut=cut
        )
    ana = StudentFactory(school=world.school, first_name="Ana", last_name="Diaz")
    ben = StudentFactory(school=world.school, first_name="Ben", last_name="Cole")
    EnrollmentFactory(student=ana, section=world.section)
    EnrollmentFactory(student=ben, section=world.section)
    sw = SweepWorld(
        world=world,
        year=year,
        fall=fall,
        winter=winter,
        orf=orf,
        orf_set=orf_set,
        maria=world.student,
        ana=ana,
        ben=ben,
        liam=world.classmate,
        noah=world.other_student,
    )
    screening_services.scores_bulk_record(
        rows=[
            ScoreInput(student=s, measure=orf, window=fall, value=v)
            for s, v in ((sw.maria, 38), (ana, 60), (ben, 72), (sw.liam, 80), (sw.noah, 50))
        ],
        entered_by=None,
    )
    sw.referral(sw.liam, dt.date(2026, 9, 10))
    sw.referral(sw.liam, dt.date(2026, 9, 24))
    sw.referral(sw.maria, dt.date(2026, 9, 15))
    return sw
