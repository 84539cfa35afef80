"""What staff see of the students' words: the class view's panel in a fixed number of queries
whatever the number of classes and students, and only the classes' own students."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from decisions.class_view import home_classes, teacher_classes
from ownership import cards
from ownership.models import ReflectionAnswer, ReflectionCheck
from tests.factories import EnrollmentFactory, SectionFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_the_class_panel_runs_four_queries_whatever_the_classes(own, django_assert_num_queries):
    w = own.world
    own.codes()
    check = ReflectionCheck.objects.create(
        section=w.section, question="Q?", closes_at=timezone.now() + dt.timedelta(days=7)
    )
    ReflectionAnswer.objects.create(reflection=check, student=w.student, rating=3, text="ok")
    classes = teacher_classes(user=w.teacher)
    with django_assert_num_queries(4):
        small = cards.class_panels(user=w.teacher, classes=classes)
    second = SectionFactory(school=w.school, school_year=w.section.school_year, name="Lee B")
    second.teachers.add(w.teacher)
    for i in range(5):
        EnrollmentFactory(student=StudentFactory(school=w.school), section=second)
        EnrollmentFactory(
            student=StudentFactory(school=w.school, first_name=f"K{i}"), section=w.section
        )
    classes = teacher_classes(user=w.teacher)
    with django_assert_num_queries(4):
        large = cards.class_panels(user=w.teacher, classes=classes)
    lee = large[w.section.pk]
    assert lee["check"] == check and lee["answered"] == 1 and len(lee["rows"]) == 7
    assert small[w.section.pk]["codes"]["n"] == 2
    # Home's section data carries the panel for each class.
    data = home_classes(user=w.teacher, roles={"teacher"})
    assert [len(c.panels) for c in data["classes"]] == [1, 1]
