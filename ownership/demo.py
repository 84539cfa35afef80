"""The demo district's student words (a `seed_demo` step, after interventions): the demo
teacher's classes were asked "How well did I use my strategies this week?" three days ago and
most students answered; about a third of the active plans with progress checks carry the
student's own "How did it go?" after the latest check. Deterministic (the context's seed),
bulk inserts only, and bounded by the demo teacher's classes, whatever the district's size."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from interventions.models import InterventionPlan, ProgressScore, SelfRating
from ownership.models import ReflectionAnswer, ReflectionCheck
from ownership.services import DEFAULT_QUESTION

WORDS = {
    1: ["I forgot to use my strategy.", "It was hard to focus."],
    2: ["I used it once.", "I needed reminders."],
    3: ["Some days I remembered.", ""],
    4: ["I reread when it did not make sense.", "I used my finger to track."],
    5: ["I used my strategies every day!", "Sounding out helped a lot."],
}


def seed(ctx) -> None:
    rng = ctx.rng("ownership")
    teacher_id = ctx.logins.get("teacher")
    now = timezone.now()
    sections = [s for s in ctx.sections if teacher_id in s.teacher_ids]
    checks = ReflectionCheck.objects.bulk_create(
        ReflectionCheck(
            section_id=s.id,
            question=DEFAULT_QUESTION,
            opened_by_id=teacher_id,
            opened_at=now - dt.timedelta(days=3),
            closes_at=now + dt.timedelta(days=4),
        )
        for s in sections
    )
    answers = []
    for section, check in zip(sections, checks, strict=True):
        for student_id in section.student_ids:
            if rng.random() < 0.7:
                rating = rng.choice([2, 3, 3, 4, 4, 4, 5, 5])
                answers.append(
                    ReflectionAnswer(
                        reflection=check,
                        student_id=student_id,
                        rating=rating,
                        text=rng.choice(WORDS[rating]),
                    )
                )
    ReflectionAnswer.objects.bulk_create(answers)

    student_ids = sorted({sid for s in sections for sid in s.student_ids})
    latest = {
        p.plan_id: p
        for p in ProgressScore.objects.filter(
            plan__status=InterventionPlan.Status.ACTIVE, plan__student_id__in=student_ids
        )
        .order_by("plan_id", "-date")
        .distinct("plan_id")
    }
    SelfRating.objects.bulk_create(
        SelfRating(
            plan_id=plan_id,
            date=point.date,
            rating=(rating := rng.choice([2, 3, 4, 4, 5])),
            note=rng.choice(WORDS[rating]),
            by_student=True,
        )
        for plan_id, point in sorted(latest.items())
        if rng.random() < 0.35
    )
