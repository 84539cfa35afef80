"""Each dashboard panel as tables: the selectors' rows through the analysis package.

Pages (views/), CSV downloads and the API (api.py) all call these, so the three always
publish the same, equally suppressed, figures. A part whose data does not exist yet (no
earlier window, no plans recorded, the meetings app's decisions) is named in `empty` with
a sentence that says what would fill it, instead of showing zeros.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboards import equity, suppression
from dashboards.analysis.behavior import behavior_tables
from dashboards.analysis.completion import completion_section_table, completion_table
from dashboards.analysis.core import benchmark_table, classwide_summary, growth_table, section_table
from dashboards.analysis.interventions import effectiveness_table, plan_outcomes, student_plan_flags
from dashboards.analysis.pipeline import (
    DIMENSIONS,
    equity_step,
    equity_table,
    needs_district_comparison,
    pipeline_frame,
    pipeline_overview,
)
from dashboards.analysis.table import Table
from dashboards.analysis.tiers import movement_table, placement_table, tier_tables
from dashboards.filters import Resolved
from dashboards.selectors.behavior import referral_aggregates, referral_bands, top_referred_students
from dashboards.selectors.completion import completion_counts, completion_sections
from dashboards.selectors.conditions import Filters
from dashboards.selectors.core import (
    benchmark_counts,
    classwide_flag_counts,
    growth,
    section_benchmarks,
)
from dashboards.selectors.interventions import district_thresholds
from dashboards.selectors.interventions import plan_outcomes as plan_outcome_rows
from dashboards.selectors.pipeline import pipeline_counts, pipeline_has_rows, pipeline_sources
from dashboards.selectors.scope import district_school_ids
from dashboards.selectors.tiers import placement_counts, tier_counts, tier_movement
from screening.models import Referral
from students.models import User

NO_WINDOW = "No screening window yet: your district administrator sets the windows up."


@dataclass
class Panel:
    tables: dict[str, Table] = field(default_factory=dict)
    empty: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    audience: str = suppression.PUBLISHED


def for_audience(build: Callable[..., Panel]) -> Callable[..., Panel]:
    """Work the panel's figures out for the audience the request chose (`Resolved.audience`):
    internal figures for the team's own page, published ones for exports and the API."""

    @functools.wraps(build)
    def wrapper(r: Resolved, *args: Any, **kwargs: Any) -> Panel:
        with suppression.audience(r.audience):
            panel = build(r, *args, **kwargs)
        panel.audience = r.audience
        return panel

    return wrapper


@for_audience
def tiers(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None or f.window is None:
        panel.empty["tiers"] = NO_WINDOW
        return panel
    if r.tier_source == "placements":
        rows = placement_counts(f)
        if rows:
            panel.tables["tiers"] = placement_table(rows, by=r.by, school_names=r.school_names)
        else:
            panel.empty["tiers"] = (
                "No tier placements recorded yet for these students. Placements are written "
                "when a team starts an intervention plan or places a student in a tier."
            )
    else:
        rows = tier_counts(f)
        table = tier_tables(rows, by=r.by, school_names=r.school_names)
        if table.empty:
            panel.empty["tiers"] = (
                f"No classified screening scores in {f.window} for these students yet."
            )
        else:
            panel.tables["tiers"] = table
    if f.previous_window is None:
        panel.empty["movement"] = (
            f"No screening window before {f.window}: movement starts with the second window."
        )
    else:
        rows = tier_movement(f)
        if rows:
            panel.tables["movement"] = movement_table(
                rows, window_from=str(f.previous_window), window_to=str(f.window)
            )
        else:
            panel.empty["movement"] = (
                f"No student has classified scores in both {f.previous_window} and {f.window} yet."
            )
    return panel


@for_audience
def core(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None or f.window is None:
        panel.empty["benchmark"] = NO_WINDOW
        return panel
    names = {m.pk: m.name for m in r.measures}
    rows = benchmark_counts(f)
    table = benchmark_table(rows, by=r.by, school_names=r.school_names, measure_names=names)
    if table.empty:
        panel.empty["benchmark"] = f"No screening scores in {f.window} for these students yet."
    else:
        panel.tables["benchmark"] = table
    if r.school is not None:
        table = section_table(section_benchmarks(f), measure_names=names)
        if table.empty:
            panel.empty["sections"] = "No class has screening scores in this window yet."
        else:
            panel.tables["sections"] = table
    else:
        table = classwide_summary(
            classwide_flag_counts(f), school_names=r.school_names, measure_names=names
        )
        if table.empty:
            panel.empty["classwide"] = (
                "No class flagged with a classwide problem in this window (the decision rules "
                "run nightly and after scores are saved). Choose a school to see its classes."
            )
        else:
            panel.tables["classwide"] = table
    if f.previous_window is None:
        panel.empty["growth"] = (
            f"No screening window before {f.window}: growth starts with the second window."
        )
    else:
        rows = growth(f)
        table = growth_table(
            rows,
            by=r.by,
            school_names=r.school_names,
            measure_names=names,
            window_from=str(f.previous_window),
            window_to=str(f.window),
        )
        if table.empty:
            panel.empty["growth"] = (
                f"No student has scores in both {f.previous_window} and {f.window} yet."
            )
        else:
            panel.tables["growth"] = table
    return panel


@for_audience
def completion(r: Resolved, *, missing_url: Any) -> Panel:
    """`missing_url(measure_id, school_id, section_id)`: the screening app's list of missing
    students (the dashboards' users are school-wide staff of these schools or district
    administrators, who may list them)."""
    f = r.filters
    panel = Panel()
    if f is None or f.window is None:
        panel.empty["completion"] = NO_WINDOW
        return panel
    measures = [m for m in r.measures if not f.measure_id or m.pk == f.measure_id]
    names = {m.pk: m.name for m in measures}
    rows = completion_counts(f, measures)
    table = completion_table(
        rows,
        by=r.by,
        school_names=r.school_names,
        measure_names=names,
        missing_link=lambda m, s: missing_url(
            m, s if s is not None else (r.school.pk if r.school else None), None
        ),
    )
    if table.empty:
        panel.empty["completion"] = "No screening measure serves these students' grades."
    else:
        panel.tables["completion"] = table
    if r.school is not None:
        rows = completion_sections(f, measures)
        table = completion_section_table(
            rows, measure_names=names, missing_link=lambda m, s, sec: missing_url(m, s, sec)
        )
        if not table.empty:
            panel.tables["completion_sections"] = table
    return panel


def _plan_outcomes(f: Filters) -> pd.DataFrame:
    """Per plan: trend, aim, fidelity, goal met (selectors.interventions.plan_outcomes),
    then the dashboard's verdicts (analysis.interventions.plan_outcomes) with the
    district's thresholds."""
    t = district_thresholds(f.district_id)
    rows = plan_outcome_rows(f, goal_points=t.goal_met_points)
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    recs = frame[["plan_id", "trend_slope", "aim_slope", "fidelity", "tolerance"]].assign(
        rule=frame["goal_met"].map({True: "goal_met", False: ""})
    )
    plans = frame[
        [
            "plan_id",
            "student_id",
            "school_id",
            "intervention",
            "status",
            "higher_is_better",
            "unit",
        ]
    ]
    return plan_outcomes(
        plans,
        recs,
        fidelity_minimum=float(t.fidelity_minimum),
        default_tolerance=float(t.default_tolerance),
    )


def _pipeline_frame(f: Filters, *, present: bool) -> pd.DataFrame:
    """The pipeline frame of other filters (the district, another year)."""
    outcomes = _plan_outcomes(f) if present else pd.DataFrame()
    plan_sets = student_plan_flags(outcomes) if not outcomes.empty else {}
    return pipeline_frame(pipeline_counts(f, plan_sets=plan_sets))


@for_audience
def equity_panel(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None:
        panel.empty["equity"] = NO_WINDOW
        return panel
    sources = pipeline_sources()
    present = pipeline_has_rows(f)
    outcomes = _plan_outcomes(f) if present["plans"] else pd.DataFrame()
    plan_sets = student_plan_flags(outcomes) if not outcomes.empty else {}
    frame = pipeline_frame(pipeline_counts(f, plan_sets=plan_sets))
    available = {
        "screened": f.window is not None,
        "at_risk": f.window is not None,
        "flagged": sources["flagged"] and present["flags"],
        "placed": sources["placed"] and present["plans"] and f.window is not None,
        "fidelity": sources["fidelity"] and bool(plan_sets.get("fidelity_known")),
        "responding": sources["responding"] and bool(plan_sets.get("trend_known")),
        "exited": sources["exited"] and present["plans"],
        "referred": sources["referred"],
        "overridden": present["decisions"] or sources["meetings"],
        "discipline": sources["discipline"] and present["referrals"],
    }
    panel.tables["pipeline"] = pipeline_overview(frame, available=available)
    step = r.step
    dims = [d for d in DIMENSIONS if not r.dimension or d.key == r.dimension]
    if not available.get(step.source):
        panel.empty["equity"] = no_data_reason(step.key)
    else:
        district = None
        if f.school_ids != (every := district_school_ids(f.district_id)) and (
            needs_district_comparison(frame, step, dims)
        ):
            district = _pipeline_frame(dataclasses.replace(f, school_ids=every), present=True)
        total, rows = equity_step(frame, step, dims=dims, district=district)
        panel.tables["equity"] = equity_table(total, rows, step)
    panel.extra["available"] = available
    panel.extra["thresholds"] = equity.DEFAULT_THRESHOLDS
    return panel


NO_DATA = {
    "screened": NO_WINDOW,
    "at_risk": NO_WINDOW,
    "flagged": "No flags yet this school year: the decision rules run nightly and after scores are saved.",
    "placed": "No intervention plans recorded yet this school year.",
    "fidelity": "No sessions logged yet for this year's plans, so fidelity cannot be worked out.",
    "responding": "No plan has enough progress points for a trend yet.",
    "exited": "No intervention plans recorded yet this school year.",
    "referred": "Referrals for evaluation come from team meeting decisions, which are not recorded yet.",
    "overridden": "No team decisions on flags yet this school year.",
    "major_referral": "No office discipline referrals recorded this school year yet.",
    "suspended": "No office discipline referrals recorded this school year yet.",
}


def no_data_reason(step: str) -> str:
    return NO_DATA.get(step, "No data yet.")


@for_audience
def effectiveness(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None:
        panel.empty["effectiveness"] = NO_WINDOW
        return panel
    outcomes = _plan_outcomes(f)
    if outcomes.empty:
        panel.empty["effectiveness"] = (
            "No intervention plans recorded yet this school year for these students. Plans "
            "appear here once a team starts them."
        )
        return panel
    panel.tables["effectiveness"] = effectiveness_table(outcomes, school_names=r.school_names)
    return panel


@for_audience
def behavior(r: Resolved, *, user: User) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None:
        panel.empty["months"] = "No school year yet."
        return panel
    aggregates = referral_aggregates(f)
    bands = referral_bands(f)
    tables = behavior_tables(
        aggregates,
        bands,
        year_start=f.year.start_date,
        year_end=f.year.end_date,
        as_of=f.as_of or f.year.end_date,
        location_labels=dict(Referral.Location.choices),
        behavior_labels=dict(Referral.ProblemBehavior.choices),
    )
    has_referrals = any(r["dimension"] == "total" and r["n"] for r in aggregates)
    for key, table in tables.items():
        if key != "bands" and not has_referrals:
            panel.empty[key] = "No office discipline referrals recorded this school year yet."
        elif table.empty:
            panel.empty[key] = "No students to count."
        else:
            panel.tables[key] = table
    top = top_referred_students(user=user, f=f)
    panel.extra["top_students"] = top
    return panel
