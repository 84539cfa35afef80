"""Intervention catalog, plans with their phases, progress scores, sessions, fidelity
observations, student ownership, and every student's tier history per domain.

Writes go through interventions/services/. The plan keeps its *current* intervention, goal,
goal date, baseline and phase start (so lists and the district sweep read one row per plan);
PlanPhase keeps every phase, the current one included, so earlier phases stay on the record.
Integrity lives in the database: tiers 2/3 on plans and 1-3 on placements, one open placement
per student and domain, one progress score and one session per plan and day, ratings 1-5.
"""

from interventions.models.catalog import (
    EvidenceKind,
    EvidenceLevel,
    Intervention,
    default_tiers,
)
from interventions.models.fields import SCORE_DIGITS, SCORE_PLACES
from interventions.models.judgements import PlanDecision
from interventions.models.monitoring import (
    FidelityObservation,
    InterventionSession,
    PlanProgress,
    ProgressScore,
)
from interventions.models.ownership import SelfRating, StudentGoalStatement
from interventions.models.plans import InterventionGroup, InterventionPlan, PlanPhase
from interventions.models.tiers import TierPlacement

__all__ = [
    "SCORE_DIGITS",
    "SCORE_PLACES",
    "EvidenceKind",
    "EvidenceLevel",
    "FidelityObservation",
    "Intervention",
    "InterventionGroup",
    "InterventionPlan",
    "InterventionSession",
    "PlanDecision",
    "PlanPhase",
    "PlanProgress",
    "ProgressScore",
    "SelfRating",
    "StudentGoalStatement",
    "TierPlacement",
    "default_tiers",
]
