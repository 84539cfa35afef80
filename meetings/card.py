"""The meeting-mode card: everything the team needs about one student, in a constant number
of queries whatever the student's history (pinned by tests/meetings/test_views.py).

What it gathers: screening history with bands (the screening app's own card data and
template), live and earlier flags with their "why" (the decisions app's card data), current
and past plans with progress points, phases, sessions, fidelity observations, the student's
own goal and self-ratings and the plan analysis (interventions.analysis), tier history,
office referrals, earlier team decisions, concerns and open action items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from interventions.analysis import PlanFacts, ProgressPoint, SessionLog, analyze_plan
from interventions.models import (
    FidelityObservation,
    InterventionPlan,
    PlanPhase,
    ProgressScore,
    SelfRating,
    StudentGoalStatement,
    TierPlacement,
)
from meetings.models import ActionItem, Concern, Decision
from students.models import Student, User


@dataclass(frozen=True)
class CardFrame:
    """What students/_profile_card.html expects as `card` (key, title, empty text)."""

    key: str
    title: str
    empty_text: str


SCREENING_FRAME = CardFrame(
    key="run-screening",
    title="Screening history",
    empty_text="No screening scores yet for this student.",
)
FLAGS_FRAME = CardFrame(
    key="run-flags",
    title="Flags",
    empty_text="The decision rules have not flagged this student.",
)


def _analysis(plan: InterventionPlan, points: list[ProgressScore], as_of: dt.date) -> Any:
    if plan.goal is None or plan.goal_date is None:
        return None
    start = plan.current_phase_start
    if plan.goal_date <= start:
        return None
    facts = PlanFacts(
        phase_start=start,
        goal=float(plan.goal),
        goal_date=plan.goal_date,
        as_of=as_of,
        baseline=float(plan.baseline) if plan.baseline is not None else None,
        higher_is_better=plan.measure.higher_is_better if plan.measure_id else True,
        tier=plan.tier,
        sessions_per_week=plan.sessions_per_week,
        sessions=tuple(SessionLog(date=s.date, attended=s.attended) for s in plan.sessions.all()),
    )
    return analyze_plan(facts, [ProgressPoint(date=p.date, score=float(p.score)) for p in points])


def plan_rows(student: Student, *, as_of: dt.date) -> list[dict[str, Any]]:
    """The student's plans, newest first, with everything the card shows (8 queries)."""
    plans = list(
        InterventionPlan.objects.filter(student=student)
        .select_related("intervention", "interventionist", "measure")
        .prefetch_related(
            Prefetch("scores", queryset=ProgressScore.objects.order_by("date")),
            "sessions",
            Prefetch("phases", queryset=PlanPhase.objects.select_related("intervention")),
            Prefetch(
                "fidelity_observations",
                queryset=FidelityObservation.objects.order_by("-date", "-id"),
            ),
            Prefetch(
                "goal_statements", queryset=StudentGoalStatement.objects.order_by("-date", "-id")
            ),
            Prefetch("self_ratings", queryset=SelfRating.objects.order_by("date", "id")),
        )
        .order_by("-status", "-start_date", "-id")
    )
    rows = []
    for plan in plans:
        points = list(plan.scores.all())
        sessions = list(plan.sessions.all())
        attended = sum(1 for s in sessions if s.attended)
        try:
            analysis = _analysis(plan, points, as_of)
        except (ValueError, ZeroDivisionError):
            analysis = None
        explanation = ""
        if analysis is not None:
            from interventions.explain import explain_analysis

            try:
                explanation = explain_analysis(
                    analysis, unit=plan.measure.unit if plan.measure_id else ""
                )
            except (KeyError, TypeError, ValueError):
                explanation = ""
        rows.append(
            {
                "plan": plan,
                "points": points,
                "recent_points": points[-8:],
                "phases": list(plan.phases.all()),
                "sessions_logged": len(sessions),
                "sessions_attended": attended,
                "fidelity_observations": list(plan.fidelity_observations.all())[:3],
                "goal_statement": next(iter(plan.goal_statements.all()), None),
                "self_ratings": list(plan.self_ratings.all())[-5:],
                "analysis": analysis,
                "explanation": explanation,
            }
        )
    return rows


def student_card(*, user: User, student: Student, meeting_id: int) -> dict[str, Any]:
    """Everything on the meeting-mode card of one student. The caller has checked that the
    user runs this meeting (and so sees the student)."""
    from decisions.views import student_flags_card
    from screening.models import Referral
    from screening.views import student_screening_card

    today = timezone.localdate()
    return {
        "screening": student_screening_card(user=user, student=student),
        "screening_frame": SCREENING_FRAME,
        "flags": student_flags_card(user=user, student=student),
        "flags_frame": FLAGS_FRAME,
        "plans": plan_rows(student, as_of=today),
        "tiers": list(
            TierPlacement.objects.filter(student=student)
            .select_related("decided_by")
            .order_by("domain", "-start_date", "-id")
        ),
        "referrals": list(Referral.objects.filter(student=student).order_by("-date", "-id")[:10]),
        "decisions": list(
            Decision.objects.filter(student=student)
            .select_related("meeting", "intervention", "recorded_by")
            .order_by("-created_at", "-id")[:20]
        ),
        "concerns": list(
            Concern.objects.filter(student=student)
            .select_related("submitted_by")
            .order_by("-created_at", "-id")[:10]
        ),
        "action_items": list(
            ActionItem.objects.filter(student=student, status=ActionItem.Status.OPEN)
            .select_related("owner", "meeting", "student")
            .order_by("due_date", "id")
        ),
    }
