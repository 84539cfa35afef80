"""Progress-monitoring rule module of the sweep (domain.md section 3).

The rules are decisions/progress_rules.py (`progress_recommendations`, vectorised over
every active plan). This module turns its output into the sweep's wanted flags: for every
judged plan, one row per progress kind, firing for the plan's current recommendation (and
for dual discrepancy when it holds), not firing for the others, so a plan whose
recommendation moves from "change the intervention" to "continue" has its flag resolved.

Loading: the plan, progress-point and session tables belong to the interventions app, which
is growing them (issue 5). When `interventions.models` has them, the loader is three queries
(active plans of the scope with their current phase, goal and the progress measure's
benchmark this season; their points; their sessions) shaped as `progress_recommendations`
documents, and `MODULES` registers it. Until then the sweep runs the screening modules alone
and `apply_progress` is exercised by its own tests.
"""

from __future__ import annotations

import pandas as pd

from decisions.models import FlagKind
from decisions.sweep import RuleModule, empty_wanted
from interventions.analysis import Recommendation

KIND_OF_RECOMMENDATION = {
    Recommendation.RAISE_GOAL.value: FlagKind.PROGRESS_RAISE_GOAL.value,
    Recommendation.CHANGE_INTERVENTION.value: FlagKind.PROGRESS_CHANGE_INTERVENTION.value,
    Recommendation.IMPROVE_FIDELITY.value: FlagKind.PROGRESS_IMPROVE_FIDELITY.value,
    Recommendation.EXIT.value: FlagKind.PROGRESS_EXIT.value,
}
PROGRESS_KINDS = (*KIND_OF_RECOMMENDATION.values(), FlagKind.DUAL_DISCREPANCY.value)


def recommended_tier(kind: str, plan_tier: int) -> int:
    """The tier a progress flag points to: exit fades one tier, dual discrepancy asks for
    Tier 3, the others keep the plan's tier (the team adjusts the plan, not the tier)."""
    if kind == FlagKind.PROGRESS_EXIT.value:
        return max(1, plan_tier - 1)
    if kind == FlagKind.DUAL_DISCREPANCY.value:
        return 3
    return plan_tier


def apply_progress(recs: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Wanted flags from `progress_recommendations` output.

    `plans`: plan_id, student_id, school_id, domain, tier (one row per judged plan).
    Plans with `insufficient_data` give no rows at all: no data to judge, so an existing
    flag stays as it is.
    """
    if recs.empty:
        return empty_wanted()
    judged = recs.loc[recs["recommendation"] != Recommendation.INSUFFICIENT_DATA.value]
    merged = judged.merge(
        plans[["plan_id", "student_id", "school_id", "domain", "tier"]], on="plan_id"
    )
    frames = []
    for kind in PROGRESS_KINDS:
        if kind == FlagKind.DUAL_DISCREPANCY.value:
            fires = merged["dual_discrepancy"].astype(bool)
            rule = "dual_discrepancy"
        else:
            fires = merged["recommendation"].map(KIND_OF_RECOMMENDATION) == kind
            rule = merged["rule"]
        frames.append(
            pd.DataFrame(
                {
                    "student_id": merged["student_id"],
                    "section_id": 0,
                    "measure_id": 0,
                    "plan_id": merged["plan_id"],
                    "domain": merged["domain"],
                    "kind": kind,
                    "school_id": merged["school_id"],
                    "window_id": 0,
                    "recommended_tier": [
                        recommended_tier(kind, int(t)) for t in merged["tier"].tolist()
                    ],
                    "rule": rule,
                    "flag": fires.to_numpy(),
                    "evidence": merged["evidence"],
                    "classwide_context": False,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# The registered slot: empty until the interventions app has its progress tables (see the
# module docstring); the sweep then runs `load_progress` + `apply_progress` like the
# screening modules.
MODULES: list[RuleModule] = []
