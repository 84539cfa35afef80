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
from django.utils.translation import gettext_lazy as _

from decisions.models import LIVE_STATUSES, Flag
from interventions import selectors as plan_selectors
from interventions.models import (
    FidelityObservation,
    InterventionPlan,
    SelfRating,
    StudentGoalStatement,
    TierPlacement,
)
from interventions.plan_chart import plan_figure
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
    title=_("Screening history"),
    empty_text=_("No screening scores yet for this student."),
)
FLAGS_FRAME = CardFrame(
    key="run-flags",
    title=_("Flags"),
    empty_text=_("Nothing is waiting for a decision."),
)


def plan_rows(student: Student, *, as_of: dt.date) -> list[dict[str, Any]]:
    """The student's plans, active first, with everything the card shows (constant queries:
    interventions.selectors.plan_views plus three prefetches)."""
    plans = list(
        InterventionPlan.objects.filter(student=student)
        .select_related(*plan_selectors.PLAN_RELATED)
        .prefetch_related(
            Prefetch(
                "fidelity_observations",
                queryset=FidelityObservation.objects.order_by("-date", "-id"),
            ),
            Prefetch(
                "goal_statements", queryset=StudentGoalStatement.objects.order_by("-date", "-id")
            ),
            Prefetch("self_ratings", queryset=SelfRating.objects.order_by("date", "id")),
            Prefetch(
                "context_flags",
                queryset=Flag.objects.filter(status__in=LIVE_STATUSES).order_by("-created_at"),
                to_attr="live_context_flags",
            ),
        )
    )
    plans.sort(
        key=lambda p: (p.status != InterventionPlan.Status.ACTIVE, -p.start_date.toordinal())
    )
    views = plan_selectors.plan_views(plans, as_of=as_of)
    rows = []
    for plan in plans:
        view = views[plan.pk]
        view.served_flags = tuple(
            f"{f.get_kind_display()}, Tier {f.recommended_tier}" for f in plan.live_context_flags
        )
        attended = sum(1 for s in view.sessions if s.attended)
        rows.append(
            {
                "plan": plan,
                "view": view,
                "points": view.points,
                "phases": view.phases,
                "sessions_logged": len(view.sessions),
                "sessions_attended": attended,
                "fidelity": view.analysis.fidelity if view.analysis else None,
                "fidelity_observations": list(plan.fidelity_observations.all())[:3],
                "goal_statement": next(iter(plan.goal_statements.all()), None),
                "self_ratings": list(plan.self_ratings.all())[-5:],
                "analysis": view.analysis,
                "explanation": view.explanation,
                "reconciled": view.reconciled,
                "chart": plan_figure(view, compact=True)
                if view.points or plan.goal is not None
                else None,
                "chart_id": f"plan-chart-{plan.pk}-data",
                # Screening and referral flags this plan already serves (not new referrals).
                "context_flags": plan.live_context_flags,
            }
        )
    return rows


def student_card(*, user: User, student: Student, meeting_id: int) -> dict[str, Any]:
    """Everything on the meeting-mode card of one student. The caller has checked that the
    user runs this meeting (and so sees the student)."""
    from decisions.cards import student_flags_card
    from screening.cards import student_screening_card
    from screening.models import Referral

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
