"""Reads of the interventions app, with the access check built in.

Every plan read starts from `students_visible_to(user)`: a plan is visible exactly when its
student is (visibility.py). `plan_views` (plan_analysis.py) turns plans into what the pages and
the API show (phases, points, sessions, the analysis of interventions/analysis/) in a constant
number of queries, whatever the number of plans and points. Other apps and tests use the names
re-exported here; code inside the app imports from the submodules.
"""

from interventions.selectors.caseloads import Caseload, caseload, caseload_plans
from interventions.selectors.plan_analysis import (
    OVERDUE_DAYS_DEFAULT,
    PlanView,
    facts_of,
    overdue_days,
    plan_view,
    plan_views,
)
from interventions.selectors.plan_page import PlanRecord, plan_record, progress_rows, score_number
from interventions.selectors.student_profile import current_tiers, student_plans, tier_history
from interventions.selectors.visibility import (
    PLAN_RELATED,
    district_ids_of,
    group_get_for_user,
    group_plans,
    groups_of,
    interventions_visible_to,
    plan_get_for_user,
    plans_visible_to,
)

__all__ = [
    "OVERDUE_DAYS_DEFAULT",
    "PLAN_RELATED",
    "Caseload",
    "PlanRecord",
    "PlanView",
    "caseload",
    "caseload_plans",
    "current_tiers",
    "district_ids_of",
    "facts_of",
    "group_get_for_user",
    "group_plans",
    "groups_of",
    "interventions_visible_to",
    "overdue_days",
    "plan_get_for_user",
    "plan_record",
    "plan_view",
    "plan_views",
    "plans_visible_to",
    "progress_rows",
    "score_number",
    "student_plans",
    "tier_history",
]
