"""The tables each dashboard panel's figures are read from (dashboards.panels): its cached
figures are worked out again when one of them is written (dashboards.panel_cache).
tests/dashboards/test_panel_cache.py checks each list against the queries the panel runs, so
a query that starts reading another table fails there until the table is named here."""

_SCOPE = (
    "students_district",
    "students_school",
    "students_schoolyear",
    "students_student",
    "screening_measure",
    "screening_screeningwindow",
)
_SCORES = ("screening_screeningscore",)
TIERS = (*_SCOPE, *_SCORES, "interventions_tierplacement")
CORE = (
    *_SCOPE,
    *_SCORES,
    "decisions_flag",
    "screening_cutscore",
    "students_enrollment",
    "students_section",
)
COMPLETION = (*_SCOPE, *_SCORES, "students_enrollment", "students_section")
EQUITY = (
    *_SCOPE,
    *_SCORES,
    "decisions_flag",
    "decisions_ruleset",
    "indicators_attendancesummary",
    "indicators_coursemark",
    "interventions_intervention",
    "interventions_interventionplan",
    "interventions_plandecision",
    "interventions_planprogress",
    "meetings_decision",
    "screening_referral",
)
EARLY_WARNING = (
    *_SCOPE,
    "indicators_attendancesummary",
    "indicators_coursemark",
    "screening_referral",
)
EFFECTIVENESS = (
    *_SCOPE,
    "decisions_ruleset",
    "interventions_intervention",
    "interventions_interventionplan",
    "interventions_planprogress",
)
BEHAVIOR = (*_SCOPE, "decisions_ruleset", "indicators_calendarday", "screening_referral")
