"""seed_demo gives the demo families: guardians for every student (about a third preferring
Spanish) and sent letters drafted from the demo meetings' decisions, quickly."""

from __future__ import annotations

import io

from django.core.management import call_command

from families.models import FamilyLetter
from students.models import Guardian, Student, StudentGuardian


def test_the_demo_has_families_some_in_spanish_and_sent_letters(db):
    out = io.StringIO()
    call_command("seed_demo", "--students=900", "--seed=7", stdout=out)
    students = Student.objects.count()
    assert StudentGuardian.objects.count() == students
    spanish = Guardian.objects.filter(preferred_language="es").count()
    assert 0.25 * students < spanish < 0.45 * students
    sent = FamilyLetter.objects.filter(status="sent")
    assert sent.exists()
    assert sent.filter(language="es").exists() and sent.filter(language="en").exists()
    assert FamilyLetter.objects.filter(status="draft").exists()
    step = next(line for line in out.getvalue().splitlines() if "families:" in line)
    assert float(step.split(":")[1].strip().split()[0]) < 10  # seconds
    print(step)
