"""Reads of the dashboards: set-based SQL that returns plain rows (dicts) for the analysis.

Who reads what (docs/dashboards.md):

- the dashboards are for school teams: team members and school administrators read the
  aggregates of their schools, district administrators of every school of their district
  (`dashboard_school_ids`); teachers, interventionists and accounts without a role are
  refused (403), because a school's aggregates describe students they do not see;
- a list of students (the most-referred students, the students missing a score) is read
  through `students.selectors.students_visible_to`, so it never shows a student the user
  could not open elsewhere.

Every query groups in PostgreSQL (GROUP BY, FILTER, percentile_cont) and returns a few
hundred rows at most, whatever the size of the district; none runs per school or per
student. Filters (`Filters`) are applied the same way everywhere: the students counted are
the active students of the chosen schools (their current school and grade), narrowed by
grade and student group. Score panels use the grade a student had when screened.

`scope` says who reads which schools, `conditions` turns the filters into SQL; then one
module per panel (`tiers`, `core`, `completion`, `pipeline` for equity, `interventions`,
`behavior`). The names below are the ones read from outside the package; modules of the
app import from the submodules themselves.
"""

from dashboards.selectors.behavior import referral_aggregates, referral_bands, top_referred_students
from dashboards.selectors.completion import completion_counts, completion_sections
from dashboards.selectors.conditions import FLAG_GROUPS, Filters
from dashboards.selectors.core import (
    benchmark_counts,
    classwide_flag_counts,
    growth,
    section_benchmarks,
)
from dashboards.selectors.interventions import district_thresholds, plan_outcomes
from dashboards.selectors.pipeline import pipeline_counts, pipeline_has_rows, pipeline_sources
from dashboards.selectors.scope import (
    dashboard_school_ids,
    dashboard_schools,
    may_view_dashboards,
    measures_for,
    school_years_for,
    window_before,
    windows_for,
)
from dashboards.selectors.tiers import placement_counts, tier_counts, tier_movement

__all__ = [
    "FLAG_GROUPS",
    "Filters",
    "benchmark_counts",
    "classwide_flag_counts",
    "completion_counts",
    "completion_sections",
    "dashboard_school_ids",
    "dashboard_schools",
    "district_thresholds",
    "growth",
    "may_view_dashboards",
    "measures_for",
    "pipeline_counts",
    "pipeline_has_rows",
    "pipeline_sources",
    "placement_counts",
    "plan_outcomes",
    "referral_aggregates",
    "referral_bands",
    "school_years_for",
    "section_benchmarks",
    "tier_counts",
    "tier_movement",
    "top_referred_students",
    "window_before",
    "windows_for",
]
