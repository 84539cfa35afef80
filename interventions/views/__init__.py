"""Interventions pages: caseload, the progress grid, groups and their sessions, the plan page
(graph, data table, analysis in plain words, forms), starting a plan, the plan list and the
catalog; plus the "Intervention plans" and "Tiers" cards of the student profile.

Function views, one per action: a selector reads (interventions/selectors/), a service
writes (interventions/services/), a template renders. A plan whose student the user may not
see is a 404. A refused write re-renders the page with the message beside the field and
status 400; nothing is saved.

One module per page or group of pages. The student profile names its cards by dotted path
("interventions.views.student_tiers_card"), so the views are re-exported here; the app's own
URLconf imports the submodules.
"""

from interventions.views.groups import (
    RECENT_SESSION_DAYS,
    group_create,
    group_detail,
    group_session,
)
from interventions.views.home import CASELOAD_VIEW_OBJECT, caseload, index
from interventions.views.lists import PLANS_PER_PAGE, catalog, catalog_detail, plan_list
from interventions.views.new_plan import plan_entry_check, plan_start
from interventions.views.plan_actions import (
    plan_close,
    plan_fidelity_add,
    plan_goal_statement_add,
    plan_phase_change,
    plan_progress_add,
    plan_self_rating_add,
    plan_session_add,
)
from interventions.views.plan_page import PLAN_VIEW_OBJECT, plan_detail
from interventions.views.profile_cards import student_plans_card, student_tiers_card
from interventions.views.progress_grid import progress_cell, progress_entry, progress_grid_save
from interventions.views.rendering import RECOMMENDATION_STYLE

__all__ = [
    "CASELOAD_VIEW_OBJECT",
    "PLANS_PER_PAGE",
    "PLAN_VIEW_OBJECT",
    "RECENT_SESSION_DAYS",
    "RECOMMENDATION_STYLE",
    "caseload",
    "catalog",
    "catalog_detail",
    "group_create",
    "group_detail",
    "group_session",
    "index",
    "plan_close",
    "plan_detail",
    "plan_entry_check",
    "plan_fidelity_add",
    "plan_goal_statement_add",
    "plan_list",
    "plan_phase_change",
    "plan_progress_add",
    "plan_self_rating_add",
    "plan_session_add",
    "plan_start",
    "progress_cell",
    "progress_entry",
    "progress_grid_save",
    "student_plans_card",
    "student_tiers_card",
]
