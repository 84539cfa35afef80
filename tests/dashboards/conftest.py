"""A small district for the dashboard tests, on top of the shared `world`.

Maple Elementary, grade 3, 42 students in two classes; Oak Elementary has only Noah. Oral
reading fluency (the district's measure), grade 3 cut scores fall 70 / 55, winter 86 / 68.

| class           | students                     | fall ORF | fall risk    | winter ORF      |
| --------------- | ---------------------------- | -------- | ------------ | --------------- |
| Grade 3 - Lee   | Maria Garcia (race unknown)  | 38       | high risk    | -               |
|                 | 10 "Lee A" (Hispanic)        | 60       | some risk    | 90 (at/above)   |
|                 | 10 "Lee B" (Hispanic)        | 75       | at or above  | 80 (some risk)  |
| Grade 3 - Ruiz  | Liam Smith (race unknown)    | 80       | at or above  | -               |
|                 | 10 "Ruiz A" (Hispanic)       | 90       | at or above  | -               |
|                 | 5 "Ruiz B" (White)           | 90       | at or above  | -               |
|                 | 5 "Ruiz C" (White)           | 50       | high risk    | -               |

Fall at Maple: 42 screened; Tier 1 26, Tier 2 10, Tier 3 6. Lee's median is 60 (< 70: a
classwide problem), Ruiz's 90. Hispanic students: 30, 10 of them at risk.
The 10 "Lee A" students are in "Read Well" plans (Tier 2, reading) with eight weekly
progress points rising 2 words a week against an aim of 1 a week (all responding).
Two flags: "Lee A 0" open, "Ruiz C 0" dismissed by the team.
Referrals (September): Liam 12 in the classroom at 10 am, Maria 3 in the hallway at 1 pm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from decisions.models import Flag, RuleSet
from interventions.models import Intervention, InterventionPlan, ProgressScore
from screening.models import (
    CutScore,
    CutScoreSet,
    Measure,
    Referral,
    ScreeningScore,
    ScreeningWindow,
)
from students.models import SchoolYear, Student
from tests.factories import EnrollmentFactory, StudentFactory

PLAN_START = dt.date(2026, 10, 5)


@dataclass
class Dash:
    world: object
    year: SchoolYear
    fall: ScreeningWindow
    winter: ScreeningWindow
    orf: Measure
    groups: dict[str, list[Student]] = field(default_factory=dict)
    plans: list[InterventionPlan] = field(default_factory=list)


def _students(world, section, prefix: str, n: int, **fields) -> list[Student]:
    out = []
    for i in range(n):
        s = StudentFactory(
            school=world.school, first_name=f"{prefix} {i}", last_name="Test", grade=3, **fields
        )
        EnrollmentFactory(student=s, section=section)
        out.append(s)
    return out


@pytest.fixture
def dash(world) -> Dash:
    return build_dash(world)


def build_dash(world) -> Dash:
    """The district of the module docstring (a plain function: tests/e2e uses it too)."""
    year = SchoolYear.objects.get(district=world.district, is_current=True)
    fall = ScreeningWindow.objects.create(
        school_year=year,
        season="fall",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 30),
    )
    winter = ScreeningWindow.objects.create(
        school_year=year,
        season="winter",
        start_date=dt.date(2027, 1, 5),
        end_date=dt.date(2027, 1, 29),
    )
    orf = Measure.objects.create(
        district=world.district,
        code="district-orf",
        name="Oral reading fluency",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("250"),
        lowest_grade=1,
        highest_grade=6,
    )
    cut_set = CutScoreSet.objects.create(
        district=world.district, measure=orf, name="ORF cuts", version=1
    )
    for season, bench, cut in (("fall", 70, 55), ("winter", 86, 68)):
        CutScore.objects.create(
            cut_score_set=cut_set, grade=3, season=season, benchmark=bench, high_risk_cut=cut
        )
    for s in (world.student, world.classmate, world.other_student):
        s.grade = 3
        s.save(update_fields=["grade"])

    d = Dash(world=world, year=year, fall=fall, winter=winter, orf=orf)
    d.groups["lee_a"] = _students(
        world, world.section, "Lee A", 10, race_ethnicity="hispanic_latino"
    )
    d.groups["lee_b"] = _students(
        world, world.section, "Lee B", 10, race_ethnicity="hispanic_latino", english_learner=True
    )
    d.groups["ruiz_a"] = _students(
        world, world.other_section, "Ruiz A", 10, race_ethnicity="hispanic_latino"
    )
    d.groups["ruiz_b"] = _students(world, world.other_section, "Ruiz B", 5, race_ethnicity="white")
    d.groups["ruiz_c"] = _students(world, world.other_section, "Ruiz C", 5, race_ethnicity="white")

    def risk(value: int, season: str) -> str:
        bench, cut = (70, 55) if season == "fall" else (86, 68)
        return "at_or_above" if value >= bench else ("some_risk" if value >= cut else "high_risk")

    scores = []

    def add(students, value, window):
        for s in students:
            scores.append(
                ScreeningScore(
                    student=s,
                    measure=orf,
                    window=window,
                    grade=3,
                    score=value,
                    risk_level=risk(value, window.season),
                    cut_score_set=cut_set,
                )
            )

    add([world.student], 38, fall)
    add([world.classmate], 80, fall)
    add(d.groups["lee_a"], 60, fall)
    add(d.groups["lee_b"], 75, fall)
    add(d.groups["ruiz_a"], 90, fall)
    add(d.groups["ruiz_b"], 90, fall)
    add(d.groups["ruiz_c"], 50, fall)
    add(d.groups["lee_a"], 90, winter)
    add(d.groups["lee_b"], 80, winter)
    ScreeningScore.objects.bulk_create(scores)

    read_well = Intervention.objects.create(name="Read Well", domain="reading")
    for s in d.groups["lee_a"]:
        plan = InterventionPlan.objects.create(
            student=s,
            intervention=read_well,
            tier=2,
            domain="reading",
            start_date=PLAN_START,
            measure=orf,
            phase_start=PLAN_START,
            baseline=Decimal("40"),
            goal=Decimal("60"),
            goal_date=PLAN_START + dt.timedelta(weeks=20),
            sessions_per_week=5,
        )
        ProgressScore.objects.bulk_create(
            ProgressScore(plan=plan, date=PLAN_START + dt.timedelta(weeks=w), score=40 + 2 * w)
            for w in range(8)
        )
        d.plans.append(plan)

    rule_set = RuleSet.objects.create(district=world.district, version=1, thresholds={})
    common = {
        "district": world.district,
        "school": world.school,
        "school_year": year,
        "domain": "reading",
        "kind": "screening_risk",
        "recommended_tier": 2,
        "rule": "screening_risk",
        "rule_set": rule_set,
        "evidence": {},
        "evidence_hash": "x",
        "basis_hash": "x",
        "window": fall,
    }
    Flag.objects.create(student=d.groups["lee_a"][0], **common)
    Flag.objects.create(
        student=d.groups["ruiz_c"][0],
        status="dismissed",
        dismissed_reason="New to the school",
        resolved_at=timezone.now(),
        **common,
    )

    referrals = [
        Referral(
            student=world.classmate,
            school=world.school,
            school_year=year,
            date=dt.date(2026, 9, 7 + i),
            time=dt.time(10, 15),
            location="classroom",
            problem_behavior="disruption",
        )
        for i in range(12)
    ] + [
        Referral(
            student=world.student,
            school=world.school,
            school_year=year,
            date=dt.date(2026, 9, 21 + i),
            time=dt.time(13, 5),
            location="hallway",
            problem_behavior="defiance",
        )
        for i in range(3)
    ]
    Referral.objects.bulk_create(referrals)
    return d
