"""The plan page's other reads: its record lists, the data table beneath the graph, scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from interventions.models import (
    FidelityObservation,
    InterventionPlan,
    SelfRating,
    StudentGoalStatement,
)
from interventions.selectors.plan_analysis import PlanView


@dataclass
class PlanRecord:
    """The plan page's extra lists."""

    observations: list[FidelityObservation] = field(default_factory=list)
    goal_statements: list[StudentGoalStatement] = field(default_factory=list)
    self_ratings: list[SelfRating] = field(default_factory=list)


def plan_record(plan: InterventionPlan) -> PlanRecord:
    return PlanRecord(
        observations=list(FidelityObservation.objects.filter(plan=plan).select_related("observer")),
        goal_statements=list(StudentGoalStatement.objects.filter(plan=plan)),
        self_ratings=list(SelfRating.objects.filter(plan=plan).order_by("date", "pk")),
    )


def score_number(value: Decimal | float | None) -> str:
    """42.00 -> '42', 42.50 -> '42.5' (for pages)."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def progress_rows(view: PlanView) -> list[dict[str, Any]]:
    """The data table beneath the graph: every point with its phase and the aim-line value."""
    from interventions.analysis.lines import aim_value_at

    phases = view.phases
    rows = []
    for point in view.points:
        phase = next((ph for ph in reversed(phases) if ph.start_date <= point.date), None)
        aim = None
        if (
            view.analysis is not None
            and phase is not None
            and phase.number == (phases[-1].number if phases else None)
        ):
            baseline = view.analysis.evidence.get("baseline")
            if baseline is not None:
                aim = aim_value_at(
                    point.date,
                    phase_start=view.phase_start,
                    baseline=baseline,
                    goal=float(view.plan.goal),
                    goal_date=view.plan.goal_date,
                )
        rows.append(
            {
                "date": point.date,
                "score": point.score,
                "phase": phase.number if phase else None,
                "aim": aim,
                "week": round((point.date - view.phase_start).days / 7, 1)
                if point.date >= view.phase_start
                else None,
            }
        )
    return rows
