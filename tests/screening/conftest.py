"""Screening fixtures on top of the shared `world`: windows of its school year, a district
measure with hand-made cut scores, and the shipped reference measures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from screening.models import CutScore, CutScoreSet, Measure, ScreeningWindow
from students.models import SchoolYear


@dataclass
class Screening:
    fall: ScreeningWindow
    winter: ScreeningWindow
    spring: ScreeningWindow
    orf: Measure  # the district's own: grades 1-6, 0-250, criterion set below
    orf_set: CutScoreSet
    errors: Measure  # lower is better: 0-50 errors, benchmark 5, high-risk cut 12


@pytest.fixture
def screening(world) -> Screening:
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
        is_open=False,
    )
    spring = ScreeningWindow.objects.create(
        school_year=year,
        season="spring",
        start_date=dt.date(2027, 4, 26),
        end_date=dt.date(2027, 5, 21),
        is_open=False,
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
    orf_set = CutScoreSet.objects.create(
        district=world.district, measure=orf, name="District ORF cuts", version=1
    )
    # Grade 3: the Acadience example (fall 70/55, winter 86/68, spring 100/80).
    for season, bench, cut in (("fall", 70, 55), ("winter", 86, 68), ("spring", 100, 80)):
        CutScore.objects.create(
            cut_score_set=orf_set, grade=3, season=season, benchmark=bench, high_risk_cut=cut
        )
    errors = Measure.objects.create(
        district=world.district,
        code="reading-errors",
        name="Reading errors",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("50"),
        higher_is_better=False,
        lowest_grade=0,
        highest_grade=5,
    )
    errors_set = CutScoreSet.objects.create(
        district=world.district, measure=errors, name="Errors cuts", version=1
    )
    CutScore.objects.create(
        cut_score_set=errors_set, grade=3, season="fall", benchmark=5, high_risk_cut=12
    )
    return Screening(
        fall=fall, winter=winter, spring=spring, orf=orf, orf_set=orf_set, errors=errors
    )
