"""What the student's own page shows: only the signed-in student's own plans, words and open
class questions (every read starts from `me.student`, never from an id in the URL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import translation

from families import chart
from families.compose import chart_labels, day
from interventions.models import InterventionPlan, ProgressScore, SelfRating, StudentGoalStatement
from ownership.models import ReflectionAnswer, ReflectionCheck
from ownership.services import my_open_checks
from ownership.session import StudentSession


@dataclass
class MyPlan:
    plan: InterventionPlan
    goal_words: StudentGoalStatement | None
    points: list[ProgressScore]
    ratings: list[SelfRating]  # the student's own, newest first
    # The latest progress check the student has not yet said "How did it go?" about.
    waiting_check: ProgressScore | None = None

    @property
    def latest(self) -> ProgressScore | None:
        return self.points[-1] if self.points else None


@dataclass
class MyCheck:
    check: ReflectionCheck
    answer: ReflectionAnswer | None


@dataclass
class MyPage:
    plans: list[MyPlan] = field(default_factory=list)
    checks: list[MyCheck] = field(default_factory=list)


def my_page(me: StudentSession) -> MyPage:
    plans = list(
        InterventionPlan.objects.filter(
            student_id=me.student.pk, status=InterventionPlan.Status.ACTIVE
        )
        .select_related("intervention", "measure")
        .prefetch_related(
            Prefetch("scores", queryset=ProgressScore.objects.order_by("date")),
            Prefetch(
                "goal_statements", queryset=StudentGoalStatement.objects.order_by("-date", "-id")
            ),
            Prefetch(
                "self_ratings",
                queryset=SelfRating.objects.filter(by_student=True).order_by("-created_at", "-id"),
            ),
        )
        .order_by("start_date", "pk")
    )
    page = MyPage()
    for plan in plans:
        row = MyPlan(
            plan=plan,
            goal_words=next(iter(plan.goal_statements.all()), None),
            points=list(plan.scores.all()),
            ratings=list(plan.self_ratings.all()),
        )
        last_rated = row.ratings[0].created_at if row.ratings else None
        if row.latest and (last_rated is None or last_rated < row.latest.entered_at):
            row.waiting_check = row.latest
        page.plans.append(row)
    checks = my_open_checks(me)
    answers = {
        a.reflection_id: a
        for a in ReflectionAnswer.objects.filter(
            student_id=me.student.pk, reflection__in=[c.pk for c in checks]
        )
    }
    page.checks = [MyCheck(c, answers.get(c.pk)) for c in checks]
    return page


def my_plan_chart(me: StudentSession, plan_id: int) -> str | None:
    """The plan's progress graph as SVG (families' server-side graph: dots are the scores,
    the dashed line the goal), with its words in the page's language; None when the plan is
    not the student's own."""
    plan = InterventionPlan.objects.filter(pk=plan_id, student_id=me.student.pk).first()
    if plan is None:
        return None
    points = list(ProgressScore.objects.filter(plan=plan).order_by("date"))
    language = translation.get_language() or "en"
    last = plan.goal_date or (points[-1].date if points else plan.start_date)
    data: dict[str, Any] = chart.chart_data(
        points=[(p.date, float(p.score)) for p in points],
        goal=float(plan.goal) if plan.goal is not None else None,
        goal_date=plan.goal_date,
        start_date=plan.start_date,
        labels=chart_labels(language),
        date_labels={"first": day(plan.start_date), "last": day(last)},
    )
    return chart.svg(data)
