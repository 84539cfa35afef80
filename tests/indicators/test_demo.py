"""seed_demo's attendance, calendars, marks and CICO cards."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from decisions.models import Flag
from indicators.models import AttendanceSummary, CalendarDay, CourseMark
from interventions.models import CicoCard, ProgressScore

pytestmark = pytest.mark.django_db


def test_demo_has_realistic_attendance_marks_and_cards():
    call_command("seed_demo", "--students=600", "--seed=7", stdout=io.StringIO())
    assert CalendarDay.objects.filter(kind="holiday", note="Labor Day").exists()
    summaries = AttendanceSummary.objects.all()
    chronic = summaries.filter(chronic=True).count() / summaries.count()
    assert 0.05 < chronic < 0.3
    assert CourseMark.objects.filter(passing=False).exists()
    card = CicoCard.objects.select_related("plan").first()
    assert card is not None
    # The card's percentage is the plan's progress score of that day.
    assert ProgressScore.objects.get(plan=card.plan, date=card.date).score == card.percent
    assert Flag.objects.filter(kind="chronic_absence").exists()
    assert Flag.objects.filter(kind="course_failure").exists()
