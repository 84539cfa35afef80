"""Completion counts, missing students, score history and referral counts, all scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from screening import selectors, services
from screening.models import ScreeningScore
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _score(world, screening, student, value, by=None):
    return services.score_record(
        student=student,
        measure=screening.orf,
        window=screening.fall,
        value=value,
        entered_by=by,
    )


def test_it_counts_completion_per_section_for_the_teacher_only(world, screening):
    # The teacher's section: world.student + 2 more grade 3, one kindergartner (not ORF grades).
    extra = [StudentFactory(school=world.school, grade=3) for _ in range(2)]
    kinder = StudentFactory(school=world.school, grade=0)
    for s in [*extra, kinder]:
        EnrollmentFactory(student=s, section=world.section)
    _score(world, screening, world.student, "80")
    _score(world, screening, extra[0], "40")
    _score(world, screening, world.classmate, "70")  # other section: not the teacher's
    rows = selectors.completion_by_section(
        user=world.teacher, window=screening.fall, measures=[screening.orf]
    )
    assert [(r.section_name, r.enrolled, r.scored, r.missing) for r in rows] == [
        ("Grade 3 - Lee", 3, 2, 1)
    ]
    assert rows[0].share == pytest.approx(2 / 3)


def test_it_counts_completion_per_school_for_the_district_admin(
    world, screening, django_assert_max_num_queries
):
    _score(world, screening, world.student, "80")
    with django_assert_max_num_queries(2):
        rows = selectors.completion_by_school(
            user=world.district_admin,
            window=screening.fall,
            measures=[screening.orf, screening.errors],
        )
    got = {(r.school_name, r.measure_id): (r.enrolled, r.scored) for r in rows}
    assert got == {
        ("Maple Elementary", screening.orf.pk): (2, 1),
        ("Maple Elementary", screening.errors.pk): (2, 0),
        ("Oak Elementary", screening.orf.pk): (1, 0),
        ("Oak Elementary", screening.errors.pk): (1, 0),
    }


def test_it_lists_the_students_still_missing_a_score(world, screening):
    _score(world, screening, world.student, "80")
    missing = selectors.students_missing_score(
        user=world.principal, window=screening.fall, measure=screening.orf
    )
    assert list(missing) == [world.classmate]
    assert (
        not selectors.students_missing_score(
            user=world.other_teacher, window=screening.fall, measure=screening.orf
        )
        .filter(school=world.school)
        .exists()
    )


def test_it_gives_a_score_history_with_the_cut_scores_that_were_used(world, screening):
    _score(world, screening, world.student, "60")
    history = selectors.score_history(user=world.teacher, student_id=world.student.pk)
    assert [(h["score"].score, h["benchmark"], h["high_risk_cut"]) for h in history] == [
        (60, 70, 55)
    ]
    assert selectors.score_history(user=world.other_teacher, student_id=world.student.pk) == []


def test_it_counts_referrals_per_student_for_the_year(world):
    for day, severity in ((1, "major"), (2, "minor"), (3, "major")):
        services.referral_create(
            student=world.student,
            date=dt.date(2026, 10, day),
            location="classroom",
            problem_behavior="defiance",
            severity=severity,
            reported_by=world.teacher,
        )
    year_id = world.section.school_year_id
    counts = list(selectors.referral_counts(user=world.principal, school_year_id=year_id))
    assert counts == [{"student_id": world.student.pk, "total": 3, "major": 2, "minor": 1}]
    assert not selectors.referral_counts(user=world.other_teacher, school_year_id=year_id)


def test_it_finds_the_active_cut_score_row(world, screening):
    row = selectors.cut_score_row(
        district_id=world.district.pk, measure=screening.orf, grade=3, season="winter"
    )
    assert (row.benchmark, row.high_risk_cut) == (86, 68)
    assert ScreeningScore.objects.count() == 0
