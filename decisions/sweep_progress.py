"""Progress-monitoring rule module of the sweep (domain.md section 3).

The rules are decisions/progress_rules.py (`progress_recommendations`, vectorised over
every active plan). This module turns its output into the sweep's wanted flags: for every
judged plan, one row per progress kind, firing for the plan's current recommendation (and
for dual discrepancy when it holds), not firing for the others, so a plan whose
recommendation moves from "change the intervention" to "continue" has its flag resolved.

Loading, five queries (points and sessions of the current phase only, as the rules count
them): the scope's active plans with a goal (current phase, goal, baseline, the
intervention's exit criteria,
the progress measure's direction and tolerance, and that measure's benchmark for the
student's grade in the season under way, from the district's active cut-score set, else the
reference set), their progress points, their session logs, the latest screening in the plan's
domain since its phase start, and the district's normative growth table
(interventions.selectors.rule_inputs, the readers the plan pages use too).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from decisions.models import FlagKind
from decisions.progress_rules import PLAN_INPUT, PLAN_OPTIONAL, progress_recommendations
from decisions.sweep_scope import RuleModule, SweepScope, empty_wanted, read_frame
from interventions.analysis import Recommendation
from interventions.analysis.growth import growth_norms, norm_for
from interventions.selectors.rule_inputs import (
    exit_criteria_values,
    growth_rates,
    screening_at_benchmark,
)

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


def _tiers(kind: str, plan_tiers: pd.Series) -> np.ndarray:
    """`recommended_tier` for a whole column at once."""
    tiers = plan_tiers.to_numpy(dtype="int64")
    if kind == FlagKind.PROGRESS_EXIT.value:
        return np.maximum(1, tiers - 1)
    if kind == FlagKind.DUAL_DISCREPANCY.value:
        return np.full(len(tiers), 3, dtype="int64")
    return tiers


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
                    "recommended_tier": _tiers(kind, merged["tier"]),
                    "rule": rule,
                    "flag": fires.to_numpy(),
                    "evidence": merged["evidence"],
                    "classwide_context": False,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


_SEASON_SQL = """
SELECT season FROM screening_screeningwindow
WHERE school_year_id = %(year_id)s AND start_date <= %(as_of)s
ORDER BY start_date DESC LIMIT 1
"""

_PLANS_SQL = """
SELECT p.id AS plan_id, p.student_id, st.school_id, p.domain, p.tier, p.measure_id, st.grade,
       i.exit_criteria,
       COALESCE(p.phase_start, p.start_date) AS phase_start, p.goal::float8 AS goal,
       p.goal_date, p.baseline::float8 AS baseline, m.higher_is_better,
       m.slope_tolerance::float8 AS tolerance, p.sessions_per_week::float8 AS sessions_per_week,
       c.benchmark::float8 AS benchmark
FROM interventions_interventionplan p
JOIN students_student st ON st.id = p.student_id
JOIN screening_measure m ON m.id = p.measure_id
JOIN interventions_intervention i ON i.id = p.intervention_id
LEFT JOIN LATERAL (
    SELECT cs.id FROM screening_cutscoreset cs
    WHERE cs.measure_id = p.measure_id AND cs.is_active
      AND (cs.district_id = st.district_id OR cs.district_id IS NULL)
    ORDER BY cs.district_id NULLS LAST LIMIT 1
) cs ON TRUE
LEFT JOIN screening_cutscore c
       ON c.cut_score_set_id = cs.id AND c.grade = st.grade AND c.season = %(season)s
WHERE p.status = 'active' AND p.goal IS NOT NULL AND p.goal_date IS NOT NULL AND {students}
"""

_POINTS_SQL = """
SELECT ps.plan_id, ps.date, ps.score::float8 AS score
FROM interventions_progressscore ps
JOIN interventions_interventionplan p ON p.id = ps.plan_id
JOIN students_student st ON st.id = p.student_id
WHERE p.status = 'active' AND ps.date <= %(as_of)s
  AND ps.date >= COALESCE(p.phase_start, p.start_date) AND {students}
ORDER BY ps.plan_id, ps.date
"""

_SESSIONS_SQL = """
SELECT s.plan_id, s.date, s.attended
FROM interventions_interventionsession s
JOIN interventions_interventionplan p ON p.id = s.plan_id
JOIN students_student st ON st.id = p.student_id
WHERE p.status = 'active' AND s.date <= %(as_of)s
  AND s.date >= COALESCE(p.phase_start, p.start_date) AND {students}
"""


def _filter(scope: SweepScope, student_ids: list[int] | None) -> tuple[str, dict[str, Any]]:
    students, params = scope.student_filter("st")
    if student_ids is not None:
        students += " AND st.id = ANY(%(student_ids)s)"
        params["student_ids"] = list(student_ids)
    params = {**params, "year_id": scope.school_year_id, "as_of": scope.as_of}
    season = read_frame(_SEASON_SQL, params)
    params["season"] = season["season"].iloc[0] if len(season) else "fall"
    return students, params


def load_plans(scope: SweepScope) -> tuple[pd.DataFrame, str]:
    """The scope's judged plans as the load reads them (before their facts), and the season
    whose benchmarks they carry: what a cut-score what-if needs to find the plans it moves."""
    students, params = _filter(scope, None)
    return read_frame(_PLANS_SQL.format(students=students), params), params["season"]


def load_progress(
    scope: SweepScope, *, student_ids: list[int] | None = None
) -> dict[str, pd.DataFrame]:
    """The module's rows; `student_ids`: those students' only (a cut-score what-if)."""
    students, params = _filter(scope, student_ids)
    plans = read_frame(_PLANS_SQL.format(students=students), params)
    ids = pd.to_numeric(plans["plan_id"]).astype("int64").tolist() if len(plans) else []
    # The same readers as the plan pages (interventions.selectors.rule_inputs).
    at_benchmark = screening_at_benchmark(ids, as_of=scope.as_of)
    return {
        "plans": plan_facts(plans, at_benchmark) if len(plans) else plans,
        "points": read_frame(_POINTS_SQL.format(students=students), params),
        "sessions": read_frame(_SESSIONS_SQL.format(students=students), params),
        # Rates, not the table: the percentile is applied in `apply_loaded`, so a what-if
        # preview of another rule set (decisions.whatif_rules) applies its own percentile to
        # the same rows.
        "growth_rates": growth_rates(district_id=scope.district_id, as_of=scope.as_of),
        # The season whose benchmarks the plans carry (a cut-score what-if looks up its own).
        "season": params["season"],
    }


def plan_facts(plans: pd.DataFrame, at_benchmark: dict[int, bool]) -> pd.DataFrame:
    """The optional plan columns of decisions.progress_rules (PLAN_OPTIONAL) that no threshold
    changes: the intervention's exit criteria, the latest screening since the phase start.
    Made once per load (a what-if applies the rules twice to the same rows)."""
    out = plans.copy()
    exits = [exit_criteria_values(c) for c in out["exit_criteria"].tolist()]
    out["exit_goal_met_points"] = pd.Series(
        [points for points, _ in exits], index=out.index, dtype="float64"
    )
    out["exit_at_benchmark_screening"] = pd.Series(
        [at_screening for _, at_screening in exits], index=out.index, dtype=object
    )
    out["screening_at_benchmark"] = pd.Series(
        [at_benchmark.get(int(i)) for i in out["plan_id"].tolist()],
        index=out.index,
        dtype=object,
    )
    return out


def growth_inputs(plans: pd.DataFrame, data: dict[str, Any], percentile: int) -> pd.DataFrame:
    """The growth columns of PLAN_OPTIONAL: peers' growth at the rule set's `percentile`."""
    out = plans.copy()
    rates = data["growth_rates"]
    table = growth_norms(rates, percentile=percentile) if len(rates) else {}
    norms = [
        norm_for(table, measure_id=m, grade=g)
        for m, g in zip(out["measure_id"].tolist(), out["grade"].tolist(), strict=True)
    ]
    out["growth_norm"] = [n.growth if n else float("nan") for n in norms]
    out["growth_norm_peers"] = [n.peers if n else float("nan") for n in norms]
    return out


def apply_loaded(scope: SweepScope, data: dict[str, Any]) -> pd.DataFrame:
    plans = data["plans"]
    if plans.empty:
        return empty_wanted()
    points = data["points"]
    if points.empty:
        points = pd.DataFrame({"plan_id": [], "date": [], "score": []})
    sessions = data["sessions"]
    if sessions.empty:
        sessions = None
    plans = growth_inputs(plans, data, scope.thresholds.dual_discrepancy_growth_percentile)
    recs = progress_recommendations(
        plans[[*PLAN_INPUT, *PLAN_OPTIONAL]],
        points,
        sessions,
        as_of=scope.as_of,
        thresholds=scope.thresholds,
    )
    return apply_progress(recs, plans)


MODULES: list[RuleModule] = [
    RuleModule(
        name="progress",
        kinds=PROGRESS_KINDS,
        load=load_progress,
        apply=apply_loaded,
        thresholds=frozenset(
            {
                "min_points_trend",
                "min_points_data_point",
                "data_point_run",
                "default_tolerance",
                "goal_met_points",
                "exit_at_benchmark_screening",
                "fidelity_minimum",
                "dual_discrepancy_growth_percentile",
            }
        ),
    )
]
