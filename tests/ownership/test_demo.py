"""The demo district shows the students' words: the demo teacher's classes have a reflection
question most students answered, and some of their plans carry the student's own rating."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from interventions.models import SelfRating
from ownership.models import ReflectionAnswer, ReflectionCheck
from students.models import User

pytestmark = pytest.mark.django_db


def _answers() -> list[tuple[str, int, str]]:
    return list(
        ReflectionAnswer.objects.order_by("student__local_id").values_list(
            "student__local_id", "rating", "text"
        )
    )


def test_the_demo_teachers_classes_answered_a_reflection_question():
    call_command("seed_demo", "--students=120", verbosity=0)
    teacher = User.objects.get(username="teacher")
    checks = ReflectionCheck.objects.all()
    assert checks.exists()
    assert all(teacher in c.section.teachers.all() for c in checks)
    answers = _answers()
    enrolled = sum(c.section.enrollments.count() for c in checks)
    assert 0 < len(answers) <= enrolled
    assert all(1 <= rating <= 5 for _, rating, _ in answers)
    class_students = {
        sid for c in checks for sid in c.section.enrollments.values_list("student_id", flat=True)
    }
    for rated in SelfRating.objects.filter(by_student=True).select_related("plan"):
        assert rated.plan.student_id in class_students and rated.recorded_by is None
