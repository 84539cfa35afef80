"""Plan analysis (pure: no ORM, clock or settings): the progress rules and their parts.

The names other apps, pages and tests use are re-exported here; code inside the app imports
from the submodules.
"""

from interventions.analysis.facts import (
    Analysis,
    PlanFacts,
    ProgressPoint,
    Recommendation,
    Rule,
    SessionLog,
)
from interventions.analysis.fidelity import fidelity_of
from interventions.analysis.goals import GROWTH_RATES, goal_from_growth, growth_rate
from interventions.analysis.growth import (
    DualStatus,
    GrowthNorm,
    GrowthNormTable,
    dual_discrepancy,
    growth_norms,
    norm_for,
)
from interventions.analysis.lines import (
    aim_slope_of,
    aim_value_at,
    baseline_median,
    ols,
    weeks_between,
)
from interventions.analysis.rules import EPS, analyze_plan, is_responding, points_needed

__all__ = [
    "EPS",
    "GROWTH_RATES",
    "Analysis",
    "DualStatus",
    "GrowthNorm",
    "GrowthNormTable",
    "PlanFacts",
    "ProgressPoint",
    "Recommendation",
    "Rule",
    "SessionLog",
    "aim_slope_of",
    "aim_value_at",
    "analyze_plan",
    "baseline_median",
    "dual_discrepancy",
    "fidelity_of",
    "goal_from_growth",
    "growth_norms",
    "growth_rate",
    "is_responding",
    "norm_for",
    "ols",
    "points_needed",
    "weeks_between",
]
