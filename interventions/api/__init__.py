"""REST API of the interventions app (docs/interventions.md):

- `interventions/`: the catalog (the shared one plus the user's districts' entries);
- `plans/`: list (filters student, school, status, domain), retrieve, create, update;
- `plans/{id}/progress/`: GET the scores, POST `{date, score}`;
- `plans/{id}/sessions/`: GET the sessions, POST `{date, minutes, attended}`;
- `plans/{id}/analysis/`: exactly `points, trend_slope, aim_slope, tolerance, fidelity,
  recommendation, rule, dual_discrepancy` (interventions/analysis/).

Scoped like everything else: a plan is visible when its student is (`students_visible_to`),
otherwise 404. Writes go through interventions/services/, which decides who may write
(the school's team and administrators; the plan's interventionist for its data and phases);
a user with no role that ever writes plans gets 403 before the payload is read.

One module per endpoint group (catalog.py, plans.py with plan_serializers.py); `register`
(routes.py) adds them to the /api/v1/ router.
"""

from interventions.api.catalog import (
    InterventionFilterSerializer,
    InterventionOutputSerializer,
    InterventionViewSet,
)
from interventions.api.plan_serializers import (
    AnalysisOutputSerializer,
    PlanCreateSerializer,
    PlanFilterSerializer,
    PlanOutputSerializer,
    PlanUpdateSerializer,
    ProgressInputSerializer,
    ProgressOutputSerializer,
    SessionInputSerializer,
    SessionOutputSerializer,
)
from interventions.api.plans import NO_PLAN_ROLE, PLAN_WRITER_ROLES, PlanViewSet
from interventions.api.routes import register

__all__ = [
    "NO_PLAN_ROLE",
    "PLAN_WRITER_ROLES",
    "AnalysisOutputSerializer",
    "InterventionFilterSerializer",
    "InterventionOutputSerializer",
    "InterventionViewSet",
    "PlanCreateSerializer",
    "PlanFilterSerializer",
    "PlanOutputSerializer",
    "PlanUpdateSerializer",
    "PlanViewSet",
    "ProgressInputSerializer",
    "ProgressOutputSerializer",
    "SessionInputSerializer",
    "SessionOutputSerializer",
    "register",
]
