"""The plan verdicts and the equity pipeline's frame for a set of filters: shared by the
panels (this year, the district for the alternate risk ratio) and the three-year views."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from dashboards import panel_cache, panel_reads
from dashboards.analysis.interventions import plan_outcomes, student_plan_flags
from dashboards.analysis.pipeline import Step, pipeline_frame, step_columns
from dashboards.pipeline_columns import PLAN_SETS
from dashboards.selectors.conditions import Filters
from dashboards.selectors.interventions import district_thresholds, plan_outcome_columns
from dashboards.selectors.pipeline import (
    pipeline_count_columns,
    pipeline_has_rows,
    pipeline_sources,
)
from dashboards.suppression import current_audience


def plan_outcome_frame(f: Filters) -> pd.DataFrame:
    """Per plan: trend, aim, fidelity, goal met (selectors.interventions.plan_outcome_columns),
    then the dashboard's verdicts (analysis.interventions.plan_outcomes) with the
    district's thresholds: its fidelity minimum, and its default tolerance for a plan whose
    progress measure gives none."""
    t = district_thresholds(f.district_id)
    columns = plan_outcome_columns(f, goal_points=t.goal_met_points)
    if not columns["plan_id"]:
        return pd.DataFrame()
    frame = pd.DataFrame(columns)
    recs = frame[["plan_id", "trend_slope", "aim_slope", "fidelity", "tolerance"]].assign(
        rule=frame["goal_met"].map({True: "goal_met", False: ""})
    )
    plans = frame[
        ["plan_id", "student_id", "school_id", "intervention", "status", "higher_is_better", "unit"]
    ]
    return plan_outcomes(
        plans,
        recs,
        fidelity_minimum=float(t.fidelity_minimum),
        default_tolerance=float(t.default_tolerance),
    )


def pipeline(f: Filters, *, step: Step | None = None) -> tuple[pd.DataFrame, dict[str, bool]]:
    """`pipeline_uncached`, kept in the dashboards' cache: the same schools, year and window
    give the same frame whatever step and groups the equity page shows (choosing another step
    reads it again instead of working it out)."""
    return panel_cache.remember(
        "pipeline",
        (panel_cache.filters_material(f), step.key if step else None, current_audience()),
        reads=panel_reads.EQUITY,
        windows=[f.window.pk] if f.window else [],
        build=lambda: pipeline_uncached(f, step=step),
    )


def plan_step_students(f: Filters) -> dict[str, np.ndarray]:
    """The students of each plan-derived step (analysis.interventions.student_plan_flags) as
    sorted id arrays, kept in the dashboards' cache while the plans' tables are unchanged: a
    saved score or a sweep's flag leaves them as they were (~0.2 s of a district's equity
    page worked out again)."""

    def build() -> dict[str, np.ndarray]:
        outcomes = plan_outcome_frame(f)
        sets = student_plan_flags(outcomes) if not outcomes.empty else {}
        return {k: np.array(sorted(v), dtype=np.int64) for k, v in sets.items()}

    return panel_cache.remember(
        "pipeline-plan-steps",
        # Not the windows: the verdicts are the year's (choosing another window reads them).
        (panel_cache.filters_material(dataclasses.replace(f, window=None, previous_window=None)),),
        reads=panel_reads.EFFECTIVENESS,
        windows=[],
        build=build,
    )


def pipeline_uncached(
    f: Filters, *, step: Step | None = None
) -> tuple[pd.DataFrame, dict[str, bool]]:
    """The pipeline frame of the filters, and which steps' sources have data (a step without
    says "no data yet" rather than 0). With `step`, the frame holds only that step's columns
    (an earlier year of the three-year view, the district behind an alternate risk ratio):
    the plans' verdicts are worked out only for a plan-derived step, and the query reads
    only the step's sources."""
    sources = pipeline_sources()
    present = pipeline_has_rows(f)
    columns = None if step is None else step_columns(step)
    wants_plans = columns is None or bool(set(columns) & set(PLAN_SETS))
    plan_sets = plan_step_students(f) if present["plans"] and wants_plans else {}
    frame = pipeline_frame(pipeline_count_columns(f, plan_sets=plan_sets, columns=columns))
    available = {
        "screened": f.window is not None,
        "at_risk": f.window is not None,
        "flagged": sources["flagged"] and present["flags"],
        "placed": sources["placed"] and present["plans"] and f.window is not None,
        "fidelity": sources["fidelity"] and len(plan_sets.get("fidelity_known", ())) > 0,
        "responding": sources["responding"] and len(plan_sets.get("trend_known", ())) > 0,
        "exited": sources["exited"] and present["plans"],
        "referred": sources["referred"],
        "overridden": present["decisions"] or sources["meetings"],
        "discipline": sources["discipline"] and present["referrals"],
        "attendance": sources["attendance"] and present["attendance"],
        "marks": sources["marks"] and present["marks"],
    }
    if not wants_plans:
        # Not worked out for this step: say nothing about the plan-derived steps.
        available["fidelity"] = available["responding"] = False
    return frame, available
