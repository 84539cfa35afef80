"""The screening part of seed_demo: windows, cut-score sets, score distributions, referrals."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from screening import selectors, services
from screening.models import (
    BehaviorRating,
    CutScoreSet,
    Referral,
    ScreeningScore,
    ScreeningWindow,
)
from students.models import Section, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_district(db):
    call_command("seed_demo", "--students=900", "--seed=11", stdout=io.StringIO())


def test_it_builds_three_windows_fall_closed_winter_open_spring_waiting(demo_district):
    windows = {w.season: w for w in ScreeningWindow.objects.all()}
    assert (windows["fall"].is_open, windows["winter"].is_open, windows["spring"].is_open) == (
        False,
        True,
        False,
    )
    assert str(windows["fall"].start_date) == "2026-09-08"
    assert not ScreeningScore.objects.filter(window=windows["spring"]).exists()


def test_it_gives_the_district_its_own_active_sets(demo_district):
    own = CutScoreSet.objects.filter(district__isnull=False, is_active=True)
    codes = sorted(own.values_list("measure__code", flat=True))
    assert codes == ["math-comp", "orf-wcpm", "srss-e7", "srss-i5", "srss-i6"]
    orf = own.get(measure__code="orf-wcpm")
    assert orf.based_on.district is None and orf.rows.count() == 17


def test_it_screens_almost_everyone_in_fall_with_realistic_risk_shares(demo_district):
    fall = ScreeningWindow.objects.get(season="fall")
    scores = ScreeningScore.objects.filter(window=fall, measure__code="math-comp")
    students_k8 = 900  # every demo student is in K-8
    assert 0.93 * students_k8 <= scores.count() <= students_k8
    shares = Counter(scores.values_list("risk_level", flat=True))
    total = sum(shares.values())
    assert 0.65 <= shares["at_or_above"] / total <= 0.9
    assert 0.05 <= shares["some_risk"] / total <= 0.2
    assert 0.02 <= shares["high_risk"] / total <= 0.15
    assert not ScreeningScore.objects.filter(percentile_rank__isnull=True).exists()


def test_it_stores_the_same_percentile_ranks_the_services_compute(demo_district):
    # The demo ranks with the vectorised pure function; the services with one SQL UPDATE.
    changed = 0
    for window in ScreeningWindow.objects.exclude(season="spring"):
        groups = set(
            ScreeningScore.objects.filter(window=window).values_list("measure_id", "grade")
        )
        for measure_id, _grade in sorted(groups):
            from screening.models import Measure

            changed += services.percentile_ranks_refresh(
                measure=Measure.objects.get(pk=measure_id), window=window
            )
    assert changed == 0


def test_it_leaves_the_demo_teachers_class_to_enter_winter_scores(demo_district):
    teacher = User.objects.get(username="teacher")
    winter = ScreeningWindow.objects.get(season="winter")
    mine = selectors.scores_for_students(user=teacher, window=winter)
    assert not mine.exists()
    section = Section.objects.filter(teachers=teacher).first()
    rows = selectors.completion_by_section(user=teacher, window=winter)
    assert rows and all(r.section_id == section.pk and r.scored == 0 for r in rows)


def test_it_rates_behavior_in_fall_and_records_referrals_with_a_tail(demo_district):
    assert BehaviorRating.objects.count() >= 850
    per_student = Counter(Referral.objects.values_list("student_id", flat=True))
    with_two_or_more = sum(1 for n in per_student.values() if n >= 2)
    assert 0.03 * 900 <= with_two_or_more <= 0.2 * 900
    assert max(per_student.values()) <= 10
