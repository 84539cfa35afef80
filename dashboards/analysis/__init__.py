"""Dashboard analysis: plain rows from the selectors in, suppressed tables out.

Pure (no ORM, no request, no clock): every function takes the rows a selector returned and
names or dates as arguments, and returns `Table`s. A `Table` is the one thing pages, CSV
downloads and the API all read: `rows` hold the strings a page shows (and a CSV writes,
cell for cell), `data` the same figures as numbers for the API, with None wherever small-
cell suppression hides a figure. Charts (charts.py) are drawn from `data`, so a chart never
shows a figure its table hides.

Suppression rules (dashboards.suppression): a count of students is a cell, hidden below 10
with complementary cells along every line whose total is shown; a rate (percent at
benchmark, percent screened) describes a group, hidden when the group has fewer than 10
students, with complementary groups when the groups' sizes add up to a shown total.

One module per panel (`tiers`, `core`, `completion`, `pipeline` for equity,
`interventions`, `behavior`), all built on `table`. The names below are the ones read from
outside the package; modules of the app import from the submodules themselves.
"""

from dashboards import equity  # the arithmetic behind the pipeline tables, read as analysis.equity
from dashboards.analysis.behavior import behavior_tables, month_spans, school_days
from dashboards.analysis.completion import completion_section_table, completion_table
from dashboards.analysis.core import (
    BENCHMARK_GOAL,
    benchmark_table,
    classwide_summary,
    growth_table,
    section_table,
)
from dashboards.analysis.interventions import effectiveness_table, plan_outcomes, student_plan_flags
from dashboards.analysis.pipeline import (
    DIMENSIONS,
    RACE_LABELS,
    SEX_LABELS,
    STEP_BY_KEY,
    STEPS,
    Step,
    equity_step,
    equity_table,
    pipeline_frame,
    pipeline_overview,
)
from dashboards.analysis.table import DOMAIN_LABELS, Column, Table, grade_label
from dashboards.analysis.tiers import movement_table, placement_table, tier_tables

__all__ = [
    "BENCHMARK_GOAL",
    "DIMENSIONS",
    "DOMAIN_LABELS",
    "RACE_LABELS",
    "SEX_LABELS",
    "STEPS",
    "STEP_BY_KEY",
    "Column",
    "Step",
    "Table",
    "behavior_tables",
    "benchmark_table",
    "classwide_summary",
    "completion_section_table",
    "completion_table",
    "effectiveness_table",
    "equity",
    "equity_step",
    "equity_table",
    "grade_label",
    "growth_table",
    "month_spans",
    "movement_table",
    "pipeline_frame",
    "pipeline_overview",
    "placement_table",
    "plan_outcomes",
    "school_days",
    "section_table",
    "student_plan_flags",
    "tier_tables",
]
