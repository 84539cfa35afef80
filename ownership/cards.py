"""What the student wrote, shown to staff: the profile card "In the student's own words"
(students.slots.PROFILE_CARDS) and each class's panel on the teacher's class view
(students.slots.CLASS_PANELS): sign-in codes, the class reflection check and the students'
answers beside their screening results. (Meeting mode shows the goal and self-ratings from
the plan itself: they are interventions rows.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from interventions.models import SelfRating, StudentGoalStatement
from interventions.selectors import plans_visible_to
from ownership.models import ReflectionAnswer, ReflectionCheck, SignInCode
from students.models import Student, User


def student_words_card(*, user: User, student: Student) -> dict[str, Any]:
    """The student's own goal words, ratings and class reflections (the latest few of each),
    on the plans the user may see."""
    plans = plans_visible_to(user).filter(student=student)
    goals = list(
        StudentGoalStatement.objects.filter(plan__in=plans, by_student=True)
        .select_related("plan__intervention")
        .order_by("-created_at", "-id")[:3]
    )
    ratings = list(
        SelfRating.objects.filter(plan__in=plans, by_student=True)
        .select_related("plan__intervention")
        .order_by("-created_at", "-id")[:5]
    )
    answers = list(
        ReflectionAnswer.objects.filter(student=student)
        .select_related("reflection")
        .order_by("-updated_at", "-id")[:5]
    )
    if not (goals or ratings or answers):
        return {}
    return {"goals": goals, "ratings": ratings, "answers": answers}


@dataclass
class PanelRow:
    student: Student
    results: list  # the class view's screening results of the student
    answer: ReflectionAnswer | None
    rating: SelfRating | None  # their latest "How did it go?" on a plan


def class_panels(*, user: User, classes: list) -> dict[int, dict[str, Any]]:
    """Per class: live codes, the latest reflection check and each student's answer and
    latest plan self-rating. Five queries whatever the number of classes."""
    section_ids = [c.section.pk for c in classes]
    student_ids = {s.pk for c in classes for s in c.students}
    if not section_ids:
        return {}
    now = timezone.now()
    live = {
        row["section_id"]: row
        for row in SignInCode.objects.filter(
            section__in=section_ids, ended_at__isnull=True, expires_at__gt=now
        )
        .values("section_id")
        .annotate(n=Count("id"), until=Max("expires_at"))
        .order_by()
    }
    latest = {
        c.section_id: c
        for c in ReflectionCheck.objects.filter(section__in=section_ids)
        .order_by("section_id", "-opened_at", "-id")
        .distinct("section_id")
    }
    answers = {
        (a.reflection_id, a.student_id): a
        for a in ReflectionAnswer.objects.filter(
            reflection__in=[c.pk for c in latest.values()], student_id__in=student_ids
        )
    }
    ratings = {
        r.plan.student_id: r
        for r in SelfRating.objects.filter(
            by_student=True,
            plan__student_id__in=student_ids,
            plan__in=plans_visible_to(user).values("pk"),
        )
        .select_related("plan")
        .order_by("plan__student_id", "-created_at", "-id")
        .distinct("plan__student_id")
    }
    out = {}
    for c in classes:
        check = latest.get(c.section.pk)
        rows = [
            PanelRow(
                s,
                c.results.get(s.pk, []),
                answers.get((check.pk, s.pk)) if check else None,
                ratings.get(s.pk),
            )
            for s in c.students
        ]
        out[c.section.pk] = {
            "codes": live.get(c.section.pk),
            "check": check,
            "check_open": bool(check and check.is_open(now)),
            "answered": sum(1 for r in rows if r.answer),
            "rows": rows,
            "rated": [r for r in rows if r.rating],
        }
    return out
