"""What the progress rules read about a plan (facts, points, sessions) and what they return."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models

from interventions.analysis.growth import GrowthNorm


class Recommendation(models.TextChoices):
    INSUFFICIENT_DATA = "insufficient_data", "Not enough data yet"
    CONTINUE = "continue", "Continue the plan"
    RAISE_GOAL = "raise_goal", "Raise the goal"
    CHANGE_INTERVENTION = "change_intervention", "Change the intervention"
    IMPROVE_FIDELITY = "improve_fidelity", "Deliver the plan as written first"
    EXIT = "exit", "Goal met: exit or fade"


class Rule(models.TextChoices):
    NONE = "none", "No rule applied"
    GOAL_MET = "goal_met", "Goal met"
    BENCHMARK_AT_SCREENING = "benchmark_at_screening", "At benchmark at screening"
    TREND_LINE = "trend_line", "Trend-line rule"
    DATA_POINT = "data_point", "Data-point rule"


@dataclass(frozen=True)
class ProgressPoint:
    date: date
    score: float


@dataclass(frozen=True)
class SessionLog:
    """A logged session; `attended` False records a planned session the student missed."""

    date: date
    attended: bool = True


@dataclass(frozen=True)
class PlanFacts:
    """What the rules need to know about one plan's current phase.

    `baseline` None means "the median of the first three points of the phase".
    `tolerance` None means the rule set's default tolerance.
    `benchmark` is the progress measure's benchmark for the student's grade in the current
    season (None when unknown: dual discrepancy cannot be shown then).
    `sessions` are the plan's logged sessions (any dates; the analysis picks the span).

    Exit criteria, from the intervention's catalog entry (None: the entry does not say, the
    rule set's default applies): `exit_goal_met_points` consecutive points at or above the
    goal; `exit_at_benchmark_screening` whether being at benchmark at the next screening
    exits. `screening_at_benchmark`: the student's result in the plan's domain at the latest
    screening window that started after the phase start (True: every classified score there
    at or above benchmark; None: no such screening yet).

    `growth_norm`: peers' growth criterion for the progress measure and the student's grade
    (interventions.analysis.growth); None: no norm, dual discrepancy is not judged.
    """

    phase_start: date
    goal: float
    goal_date: date
    as_of: date
    baseline: float | None = None
    higher_is_better: bool = True
    tier: int = 2
    tolerance: float | None = None
    sessions_per_week: float | None = None
    sessions: Sequence[SessionLog] = field(default_factory=tuple)
    benchmark: float | None = None
    exit_goal_met_points: int | None = None
    exit_at_benchmark_screening: bool | None = None
    screening_at_benchmark: bool | None = None
    growth_norm: GrowthNorm | None = None


@dataclass(frozen=True)
class Analysis:
    """The API fields of `plans/{id}/analysis/` plus the numbers behind them."""

    points: int
    trend_slope: float | None
    aim_slope: float | None
    tolerance: float
    fidelity: float | None
    recommendation: str
    rule: str
    dual_discrepancy: bool
    evidence: dict[str, Any]

    def api_fields(self) -> dict[str, Any]:
        """Exactly the fields the analysis endpoint returns."""
        return {
            "points": self.points,
            "trend_slope": self.trend_slope,
            "aim_slope": self.aim_slope,
            "tolerance": self.tolerance,
            "fidelity": self.fidelity,
            "recommendation": self.recommendation,
            "rule": self.rule,
            "dual_discrepancy": self.dual_discrepancy,
        }
