"""The demo's families: guardians for the demo students (some preferring Spanish) and a few
sent letters, drafted from the demo meetings' decisions. Deterministic and set-based."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from families import letters
from families.models import FamilyLetter
from meetings.models import Decision
from students.models import Guardian, Student, StudentGuardian

PARENT_NAMES = ["Rosa", "Carlos", "Ana", "Luis", "Mei", "James", "Fatima", "Olga", "Sam", "Ngozi"]


def seed(ctx: Any) -> None:
    district = ctx.district
    students = list(
        Student.objects.filter(district=district).order_by("id").values_list("id", "last_name")
    )
    guardians = [
        Guardian(
            district=district,
            first_name=PARENT_NAMES[i % len(PARENT_NAMES)],
            last_name=last,
            relationship="parent",
            email=f"family{sid}@example.org" if i % 3 else "",
            phone=f"555-{sid % 10000:04d}",
            # About a third of the demo families read letters in Spanish.
            preferred_language="es" if i % 3 == 0 else ("en" if i % 3 == 1 else ""),
        )
        for i, (sid, last) in enumerate(students)
    ]
    Guardian.objects.bulk_create(guardians, batch_size=2000)
    StudentGuardian.objects.bulk_create(
        [
            StudentGuardian(student_id=sid, guardian_id=g.pk)
            for (sid, _), g in zip(students, guardians, strict=True)
        ],
        batch_size=2000,
    )
    # Letters of the demo decisions; about half of them sent (printed) already.
    decisions = Decision.objects.filter(student__district=district).order_by("id")[:60]
    sent_ids = []
    for i, decision in enumerate(decisions):
        letter = letters.letter_draft_for_decision(decision=decision)
        if letter is not None and i % 2 == 0:
            sent_ids.append(letter.pk)
    FamilyLetter.objects.filter(pk__in=sent_ids).update(
        status=FamilyLetter.Status.SENT,
        sent_at=timezone.now(),
        sent_via=FamilyLetter.SentVia.PRINT,
    )
