"""Writes of the interventions app. Pages, API, the meetings app, admin and demo call these.

Every service is keyword-only, runs in one transaction and writes its AccessLog row(s) in it.
Field problems raise Django's ValidationError keyed by field (400 with field errors in the
API, messages beside the field on pages); business refusals (a closed plan, a duplicate plan)
raise ApplicationError; a user who may not act gets PermissionDenied. A refused write saves
nothing. `actor=None` is the platform itself (the demo, a command run by an operator).

Who may do what is in permissions.py. One module per sub-domain: plans, phases, tiers,
entry, groups, progress, sessions, fidelity, ownership. Other apps and tests use the names
re-exported here; code inside the app imports from the submodules.
"""

from interventions.services.catalog import CATALOG_FIELDS, intervention_save
from interventions.services.checks import MAX_SESSION_MINUTES, PLAN_CLOSED
from interventions.services.entry import latest_domain_risk, plan_entry_check
from interventions.services.fidelity import FIDELITY_OBJECT, fidelity_observation_record
from interventions.services.groups import group_create
from interventions.services.judging import (
    OVERRIDE_REASON_NEEDED,
    current_plan,
    plan_decision_judge,
    plan_evidence,
    plan_evidences,
)
from interventions.services.ownership import (
    OWNERSHIP_OBJECT,
    goal_statement_record,
    self_rating_record,
)
from interventions.services.permissions import (
    NOT_A_MANAGER,
    NOT_YOUR_PLAN,
    is_interventionist_at,
    may_manage_plans,
    may_record_for_plan,
    may_start_plan,
)
from interventions.services.phases import plan_change_phase
from interventions.services.plans import PLAN_OBJECT, UNSET, plan_close, plan_start, plan_update
from interventions.services.progress import PROGRESS_OBJECT, progress_record
from interventions.services.sessions import SESSION_OBJECT, session_log
from interventions.services.tiers import PLACEMENT_OBJECT, tier_place

__all__ = [
    "CATALOG_FIELDS",
    "intervention_save",
    "FIDELITY_OBJECT",
    "MAX_SESSION_MINUTES",
    "NOT_A_MANAGER",
    "NOT_YOUR_PLAN",
    "OVERRIDE_REASON_NEEDED",
    "OWNERSHIP_OBJECT",
    "PLACEMENT_OBJECT",
    "PLAN_CLOSED",
    "PLAN_OBJECT",
    "PROGRESS_OBJECT",
    "SESSION_OBJECT",
    "UNSET",
    "current_plan",
    "fidelity_observation_record",
    "goal_statement_record",
    "group_create",
    "is_interventionist_at",
    "latest_domain_risk",
    "may_manage_plans",
    "may_record_for_plan",
    "may_start_plan",
    "plan_change_phase",
    "plan_decision_judge",
    "plan_evidence",
    "plan_evidences",
    "plan_close",
    "plan_entry_check",
    "plan_start",
    "plan_update",
    "progress_record",
    "self_rating_record",
    "session_log",
    "tier_place",
]
