"""The tables each dashboard panel's figures are read from (dashboards.panels): its cached
figures are worked out again when one of them is written (dashboards.panel_cache).
tests/dashboards/test_panel_cache.py checks each list against the queries the panel runs, so
a query that starts reading another table fails there until the table is named here.

`per_window`: rows noted per window (migration 0001_data_changes: the scores, the classwide
flags) of which the panel reads only those of its window and the one before it (every
window for the three-year views).
"""

from __future__ import annotations

from typing import NamedTuple


class Reads(NamedTuple):
    tables: tuple[str, ...]
    per_window: tuple[str, ...] = ()

    @property
    def every(self) -> set[str]:
        """Every table read, whole or per window."""
        return {*self.tables, *(name.split(":", 1)[0] for name in self.per_window)}


# Who and what every panel counts: the students, their schools, years, windows, measures.
_SCOPE = (
    "students_district",
    "students_school",
    "students_schoolyear",
    "students_student",
    "screening_measure",
    "screening_screeningwindow",
)
SCORES = "screening_screeningscore"
FLAGS = "decisions_flag"
CLASSWIDE_FLAGS = "decisions_flag:classwide"

TIERS = Reads((*_SCOPE, "interventions_tierplacement"), per_window=(SCORES,))
# Classwide flags of the window (selectors.core.classwide_flag_counts).
CORE = Reads(
    (*_SCOPE, "screening_cutscore", "students_enrollment", "students_section"),
    per_window=(SCORES, CLASSWIDE_FLAGS),
)
COMPLETION = Reads((*_SCOPE, "students_enrollment", "students_section"), per_window=(SCORES,))
# Every flag of the year (the pipeline's "flagged" and "decided" steps).
EQUITY = Reads(
    (
        *_SCOPE,
        FLAGS,
        "decisions_ruleset",
        "indicators_attendancesummary",
        "indicators_coursemark",
        "interventions_intervention",
        "interventions_interventionplan",
        "interventions_interventionsession",
        "interventions_plandecision",
        "interventions_planprogress",
        "interventions_progressscore",
        "meetings_decision",
        "screening_referral",
    ),
    per_window=(SCORES,),
)
EARLY_WARNING = Reads(
    (*_SCOPE, "indicators_attendancesummary", "indicators_coursemark", "screening_referral")
)
EFFECTIVENESS = Reads(
    (
        *_SCOPE,
        "decisions_ruleset",
        "interventions_intervention",
        "interventions_interventionplan",
        "interventions_interventionsession",
        "interventions_planprogress",
        "interventions_progressscore",
    )
)
BEHAVIOR = Reads((*_SCOPE, "decisions_ruleset", "indicators_calendarday", "screening_referral"))
