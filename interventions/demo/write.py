"""Writing the drafted plans with COPY: plans, phases, points, sessions, placements, ownership."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils import timezone

from interventions import progress_summary
from interventions.criteria import entry_check
from interventions.demo.bulk_copy import _copy, _copy_lines
from interventions.demo.drafts import _Plan
from interventions.models import (
    FidelityObservation,
    InterventionGroup,
    InterventionPlan,
    InterventionSession,
    PlanPhase,
    ProgressScore,
    SelfRating,
    StudentGoalStatement,
    TierPlacement,
)
from interventions.schedule import WEEKDAYS
from mtss.lib.vocabulary import Domain

GOAL_WORDS = {
    "reading": [
        "Read a chapter book by myself",
        "Read faster so I can finish my library book",
        "Read my sister a bedtime story",
    ],
    "math": ["Know my facts without counting on fingers", "Finish the math warm-up in time"],
    "behavior": ["Earn 80% of my points every day", "Stay in class for the whole lesson"],
    "sel": ["Use my calm-down plan when I feel worried", "Ask a teacher for help when I'm stuck"],
}


def _entry_json(plan: _Plan) -> tuple[str, bool]:
    check = entry_check(
        plan.intervention.entry_criteria or {},
        grade=plan.grade,
        risk_level=plan.risk,
        domain_label=Domain(plan.domain).label,
    )
    return json.dumps(check.as_json()), check.met


def _dec(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _write(
    ctx: Any,
    plans: list[_Plan],
    groups: list[InterventionGroup],
    today: dt.date,
    rng: np.random.Generator,
) -> None:
    now = timezone.now()
    plan_columns = (
        "student_id",
        "intervention_id",
        "tier",
        "domain",
        "interventionist_id",
        "start_date",
        "status",
        "measure_id",
        "planned_weeks",
        "sessions_per_week",
        "minutes_per_session",
        "group_id",
        "phase_start",
        "baseline",
        "goal",
        "goal_date",
        "end_date",
        "exit_reason",
        "entry_criteria_met",
        "entry_check",
        "entry_override_reason",
        "created_by_id",
        "created_at",
        "updated_at",
    )

    def plan_rows() -> Iterable[tuple]:
        for p in plans:
            check, met = _entry_json(p)
            iv = p.intervention
            current = p.phase2
            yield (
                p.student_id,
                iv.pk,
                p.tier,
                p.domain,
                p.interventionist_id,
                p.start,
                p.status,
                p.measure.pk,
                iv.weeks,
                iv.sessions_per_week,
                iv.minutes_per_session,
                groups[p.group_key[0]].pk if p.group_key else None,
                current[0] if current else p.start,
                _dec(current[1] if current else p.baseline),
                _dec(current[2] if current else p.goal),
                current[3] if current else p.goal_date,
                p.end_date,
                "Goal met on 3 consecutive points" if p.end_date else "",
                met,
                check,
                "" if met else "Placed by the team from the fall screening",
                None,
                now,
                now,
            )

    _copy(InterventionPlan, plan_columns, plan_rows())
    pk_of = {
        (sid, dom): pk
        for pk, sid, dom in InterventionPlan.objects.filter(
            student__district=ctx.district
        ).values_list("pk", "student_id", "domain")
    }
    for p in plans:
        p.pk = pk_of[(p.student_id, p.domain)]

    def phase_rows() -> Iterable[tuple]:
        for p in plans:
            yield (
                p.pk,
                1,
                p.start,
                p.intervention.pk,
                _dec(p.baseline),
                _dec(p.goal),
                p.goal_date,
                "Plan started after the fall screening",
                None,
                now,
            )
            if p.phase2:
                start, base, goal, goal_date = p.phase2
                yield (
                    p.pk,
                    2,
                    start,
                    p.intervention.pk,
                    _dec(base),
                    _dec(goal),
                    goal_date,
                    "Goal raised: growth well above the aim line",
                    None,
                    now,
                )

    _copy(
        PlanPhase,
        (
            "plan_id",
            "number",
            "start_date",
            "intervention_id",
            "baseline",
            "goal",
            "goal_date",
            "reason",
            "created_by_id",
            "created_at",
        ),
        phase_rows(),
    )

    stamp = now.isoformat()

    def score_lines() -> Iterable[str]:
        for p in plans:
            tail = f"\t{p.interventionist_id}\t{stamp}\t{stamp}"
            head = f"{p.pk}\t"
            for day, value in zip(p.dates, p.scores, strict=True):
                yield f"{head}{day.isoformat()}\t{value:.2f}{tail}"

    _copy_lines(
        ProgressScore,
        ("plan_id", "date", "score", "entered_by_id", "entered_at", "updated_at"),
        score_lines(),
    )

    # Sessions on the plan's schedule from its start to its last day (today or its end);
    # members of a group share their days, so the day lists are computed once per group.
    day_lists: dict[tuple, list[str]] = {}

    def scheduled(start: dt.date, last: dt.date, per_week: int) -> list[str]:
        key = (start, last, per_week)
        if key not in day_lists:
            weekdays = WEEKDAYS.get(per_week, ())
            day_lists[key] = [
                (start + dt.timedelta(days=k)).isoformat()
                for k in range((last - start).days + 1)
                if (start + dt.timedelta(days=k)).weekday() in weekdays
            ]
        return day_lists[key]

    def session_lines() -> Iterable[str]:
        for p in plans:
            if p.attendance < 0:
                continue  # never logged: fidelity unknown
            days = scheduled(p.start, p.end_date or today, p.intervention.sessions_per_week or 0)
            present = rng.random(len(days)) < p.attendance
            group_pk = groups[p.group_key[0]].pk if p.group_key else "\\N"
            head = f"{p.pk}\t"
            tail = f"\t{group_pk}\t{p.interventionist_id}\t{stamp}"
            minutes = f"\t{p.intervention.minutes_per_session or 30}\t"
            for day, came in zip(days, present.tolist(), strict=True):
                yield head + day + minutes + ("t" if came else "f") + tail

    _copy_lines(
        InterventionSession,
        ("plan_id", "date", "minutes", "attended", "group_id", "logged_by_id", "created_at"),
        session_lines(),
    )

    def placement_rows() -> Iterable[tuple]:
        for p in plans:
            yield (
                p.student_id,
                p.domain,
                p.tier,
                p.start,
                p.end_date,
                p.pk,
                None,
                f"Started {p.intervention.name} (Tier {p.tier}) after the fall screening.",
                now,
            )
            if p.end_date:
                yield (
                    p.student_id,
                    p.domain,
                    1,
                    p.end_date,
                    None,
                    p.pk,
                    None,
                    f"{p.intervention.name} completed: goal met.",
                    now,
                )

    _copy(
        TierPlacement,
        (
            "student_id",
            "domain",
            "tier",
            "start_date",
            "end_date",
            "plan_id",
            "decided_by_id",
            "decision_note",
            "created_at",
        ),
        placement_rows(),
    )

    # Student ownership and fidelity observations for some plans.
    statements, ratings, observations = [], [], []
    for p in plans:
        if rng.random() < 0.3:
            words = GOAL_WORDS[p.domain]
            text = words[int(rng.integers(0, len(words)))]
            statements.append((p.pk, p.dates[0], text, p.interventionist_id, now))
            levels = np.clip(rng.normal(3.4, 0.9, size=len(p.dates[1::2])), 1, 5).round()
            for day, level in zip(p.dates[1::2], levels.tolist(), strict=True):
                ratings.append((p.pk, day, int(level), "", p.interventionist_id, now))
        checklist = list(p.intervention.fidelity_checklist or [])
        if checklist and rng.random() < 0.2:
            done = (rng.random(len(checklist)) < max(p.attendance, 0.6)).tolist()
            answers = [{"item": i, "done": a} for i, a in zip(checklist, done, strict=True)]
            percent = (Decimal(100 * sum(done)) / len(checklist)).quantize(Decimal("0.01"))
            observations.append(
                (
                    p.pk,
                    p.dates[len(p.dates) // 2],
                    None,
                    json.dumps(answers),
                    percent,
                    "Observed by the school's MTSS coach.",
                    now,
                )
            )
    _copy(
        StudentGoalStatement,
        ("plan_id", "date", "text", "recorded_by_id", "created_at"),
        statements,
    )
    _copy(
        SelfRating,
        ("plan_id", "date", "rating", "note", "recorded_by_id", "created_at"),
        ratings,
    )
    _copy(
        FidelityObservation,
        ("plan_id", "date", "observer_id", "answers", "percentage", "notes", "created_at"),
        observations,
    )
    # The dashboards read each plan's stored progress figures.
    progress_summary.refresh(district_id=ctx.district.pk)
