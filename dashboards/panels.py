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

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from dashboards import equity, over_time, panel_cache, plan_figures, suppression
from dashboards import panel_reads as reads
from dashboards.analysis.behavior import behavior_tables
from dashboards.analysis.completion import completion_section_table, completion_table
from dashboards.analysis.core import benchmark_table, classwide_summary, growth_table, section_table
from dashboards.analysis.interventions import effectiveness_table
from dashboards.analysis.pipeline import (
    DIMENSIONS,
    equity_step,
    equity_table,
    needs_district_comparison,
    pipeline_overview,
)
from dashboards.analysis.table import Table
from dashboards.analysis.tiers import movement_table, placement_table, tier_tables
from dashboards.filters import Resolved
from dashboards.no_data import NO_INDICATORS, NO_WINDOW, no_data_reason
from dashboards.selectors.behavior import (
    calendar_school_days,
    referral_aggregates,
    referral_bands,
    top_referred_students,
)
from dashboards.selectors.completion import completion_counts, completion_sections
from dashboards.selectors.core import (
    benchmark_counts,
    classwide_flag_counts,
    growth,
    section_benchmarks,
)
from dashboards.selectors.scope import district_school_ids
from dashboards.selectors.tiers import placement_counts, tier_counts, tier_movement
from mtss.lib.thresholds import odr_bands, odr_bands_sentence
from screening.models import Referral
from screening.rule_settings import district_thresholds
from students.models import User


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


@panel_cache.cached("tiers", reads=reads.TIERS)
@for_audience
def tiers(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None or f.window is None:
        panel.empty["tiers"] = gettext(NO_WINDOW)
        return panel
    if r.tier_source == "placements":
        rows = placement_counts(f)
        if rows:
            panel.tables["tiers"] = placement_table(rows, by=r.by, school_names=r.school_names)
        else:
            panel.empty["tiers"] = gettext(
                "No tier placements recorded yet for these students. Placements are written "
                "when a team starts an intervention plan or places a student in a tier."
            )
    else:
        rows = tier_counts(f)
        table = tier_tables(rows, by=r.by, school_names=r.school_names)
        if table.empty:
            panel.empty["tiers"] = gettext(
                "No classified screening scores in %(window)s for these students yet."
            ) % {"window": f.window}
        else:
            panel.tables["tiers"] = table
    if f.previous_window is None:
        panel.empty["movement"] = gettext(
            "No screening window before %(window)s: movement starts with the second window."
        ) % {"window": f.window}
    else:
        rows = tier_movement(f)
        if rows:
            panel.tables["movement"] = movement_table(
                rows, window_from=str(f.previous_window), window_to=str(f.window)
            )
        else:
            panel.empty["movement"] = gettext(
                "No student has classified scores in both %(start)s and %(end)s yet."
            ) % {"start": f.previous_window, "end": f.window}
    if r.span > 1:
        _add_years(panel, over_time.levels(r))
    return panel


@panel_cache.cached("core", reads=reads.CORE)
@for_audience
def core(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None or f.window is None:
        panel.empty["benchmark"] = gettext(NO_WINDOW)
        return panel
    names = {m.pk: m.name for m in r.measures}
    rows = benchmark_counts(f)
    table = benchmark_table(rows, by=r.by, school_names=r.school_names, measure_names=names)
    if table.empty:
        panel.empty["benchmark"] = gettext(
            "No screening scores in %(window)s for these students yet."
        ) % {"window": f.window}
    else:
        panel.tables["benchmark"] = table
    if r.school is not None:
        table = section_table(section_benchmarks(f), measure_names=names)
        if table.empty:
            panel.empty["sections"] = gettext("No class has screening scores in this window yet.")
        else:
            panel.tables["sections"] = table
    else:
        table = classwide_summary(
            classwide_flag_counts(f), school_names=r.school_names, measure_names=names
        )
        if table.empty:
            panel.empty["classwide"] = gettext(
                "No class flagged with a classwide problem in this window (the decision rules "
                "run nightly and after scores are saved). Choose a school to see its classes."
            )
        else:
            panel.tables["classwide"] = table
    if f.previous_window is None:
        panel.empty["growth"] = gettext(
            "No screening window before %(window)s: growth starts with the second window."
        ) % {"window": f.window}
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
            panel.empty["growth"] = gettext(
                "No student has scores in both %(start)s and %(end)s yet."
            ) % {"start": f.previous_window, "end": f.window}
        else:
            panel.tables["growth"] = table
    if r.span > 1:
        _add_years(panel, over_time.levels(r))
    return panel


def _missing_students_url(
    window_id: int,
    measure_id: int,
    school_id: int | None,
    section_id: int | None,
    grade: int | None,
) -> str:
    """The screening app's list of the students missing a score (the dashboards' users are
    school-wide staff of these schools or district administrators, who may list them)."""
    params: dict[str, Any] = {"window": window_id, "measure": measure_id}
    for key, value in (("school", school_id), ("section", section_id), ("grade", grade)):
        if value is not None:
            params[key] = value
    return reverse("screening:completion_missing") + "?" + urlencode(params)


@panel_cache.cached("completion", reads=reads.COMPLETION)
@for_audience
def completion(r: Resolved) -> Panel:
    """Screened shares per measure, each row linking to its missing students; a grade row,
    or the grade filter, narrows the link."""
    f = r.filters
    panel = Panel()
    if f is None or f.window is None:
        panel.empty["completion"] = gettext(NO_WINDOW)
        return panel
    missing_url = functools.partial(_missing_students_url, f.window.pk)
    measures = [m for m in r.measures if not f.measure_id or m.pk == f.measure_id]
    names = {m.pk: m.name for m in measures}
    rows = completion_counts(f, measures)
    table = completion_table(
        rows,
        by=r.by,
        school_names=r.school_names,
        measure_names=names,
        missing_link=lambda m, s, g: missing_url(
            m,
            s if s is not None else (r.school.pk if r.school else None),
            None,
            g if g is not None else f.grade,
        ),
    )
    if table.empty:
        panel.empty["completion"] = gettext("No screening measure serves these students' grades.")
    else:
        panel.tables["completion"] = table
    if r.school is not None:
        rows = completion_sections(f, measures)
        table = completion_section_table(
            rows,
            measure_names=names,
            missing_link=lambda m, s, sec: missing_url(m, s, sec, f.grade),
        )
        if not table.empty:
            panel.tables["completion_sections"] = table
    return panel


@panel_cache.cached("equity", reads=reads.EQUITY)
@for_audience
def equity_panel(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None:
        panel.empty["equity"] = gettext(NO_WINDOW)
        return panel
    frame, available = plan_figures.pipeline(f)
    panel.tables["pipeline"] = pipeline_overview(frame, available=available)
    step = r.step
    dims = [d for d in DIMENSIONS if not r.dimension or d.key == r.dimension]
    if not available.get(step.source):
        panel.empty["equity"] = no_data_reason(step.key)
    else:
        district = None
        if set(f.school_ids) != set(every := district_school_ids(f.district_id)) and (
            needs_district_comparison(frame, step, dims)
        ):
            district, _ = plan_figures.pipeline(dataclasses.replace(f, school_ids=every), step=step)
        total, rows = equity_step(frame, step, dims=dims, district=district)
        panel.tables["equity"] = equity_table(total, rows, step)
        if r.span > 1:
            panel.tables["equity_years"] = over_time.equity_years(r, rows, dims)
    panel.extra["available"] = available
    panel.extra["thresholds"] = equity.DEFAULT_THRESHOLDS
    return panel


@panel_cache.cached("early_warning", reads=reads.EARLY_WARNING)
@for_audience
def early_warning(r: Resolved) -> Panel:
    """The ABCs (attendance, behavior, course performance) by school, grade and group."""
    f = r.filters
    panel = Panel()
    if f is None:
        panel.empty["ew_school_id"] = gettext("No school year yet.")
        return panel
    from dashboards.analysis.early_warning import early_warning_tables
    from dashboards.analysis.steps import RACE_LABELS
    from dashboards.selectors.early_warning import early_warning_counts

    counts = early_warning_counts(f)
    if counts and not any(row["with_attendance"] or row["with_marks"] for row in counts):
        # Tables of zeros would read as "nobody is chronically absent": say what is missing.
        panel.empty["ew_school_id"] = gettext(NO_INDICATORS)
        return panel
    tables = early_warning_tables(
        counts,
        school_names=r.school_names,
        race_labels={v: gettext(label) for v, label in RACE_LABELS},
    )
    if not tables:
        panel.empty["ew_school_id"] = gettext("No students to count for these choices.")
    panel.tables.update(tables)
    return panel


def _add_years(panel: Panel, table: Table) -> None:
    if table.empty:
        panel.empty[table.key] = gettext("No stored figures for these years yet.")
    else:
        panel.tables[table.key] = table


@panel_cache.cached("effectiveness", reads=reads.EFFECTIVENESS)
@for_audience
def effectiveness(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None:
        panel.empty["effectiveness"] = gettext(NO_WINDOW)
        return panel
    outcomes = plan_figures.plan_outcome_frame(f)
    if outcomes.empty:
        panel.empty["effectiveness"] = gettext(
            "No intervention plans recorded yet this school year for these students. Plans "
            "appear here once a team starts them."
        )
        return panel
    panel.tables["effectiveness"] = effectiveness_table(outcomes, school_names=r.school_names)
    return panel


def behavior(r: Resolved, *, user: User) -> Panel:
    panel = _behavior_figures(r)
    if r.filters is not None:
        # The reader's own list (students they may open): outside the cached figures.
        panel.extra["top_students"] = top_referred_students(user=user, f=r.filters)
    return panel


@panel_cache.cached("behavior", reads=reads.BEHAVIOR)
@for_audience
def _behavior_figures(r: Resolved) -> Panel:
    f = r.filters
    panel = Panel()
    if f is None:
        panel.empty["months"] = gettext("No school year yet.")
        return panel
    aggregates = referral_aggregates(f)
    thresholds = district_thresholds(f.district_id)
    bands = referral_bands(f, thresholds)
    tables = behavior_tables(
        aggregates,
        bands,
        year_start=f.year.start_date,
        year_end=f.year.end_date,
        as_of=f.as_of or f.year.end_date,
        location_labels=dict(Referral.Location.choices),
        behavior_labels=dict(Referral.ProblemBehavior.choices),
        band_labels=odr_bands(thresholds),
        calendar_days=calendar_school_days(f),
    )
    panel.extra["bands_sentence"] = odr_bands_sentence(thresholds)
    has_referrals = any(r["dimension"] == "total" and r["n"] for r in aggregates)
    for key, table in tables.items():
        if key != "bands" and not has_referrals:
            panel.empty[key] = gettext(
                "No office discipline referrals recorded this school year yet."
            )
        elif table.empty:
            panel.empty[key] = gettext("No students to count.")
        else:
            panel.tables[key] = table
    if r.span > 1:
        _add_years(panel, over_time.behavior_years(r))
    return panel
