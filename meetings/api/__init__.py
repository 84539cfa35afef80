"""REST API of the meetings app (docs/meetings.md has examples).

- `meetings`: list / retrieve / create / partial update (send the `version` you read: a stale
  one answers 409 with both texts); `POST /meetings/{id}/prepare/` proposes the agenda,
  `POST /meetings/{id}/close/` closes it and freezes the minutes, `GET /meetings/{id}/minutes/`.
  Only the school's team members and administrators (and district administrators).
- `agenda-items`: list `?meeting=`, create `{meeting, student}`, partial update of `notes`
  with `version` (409 on conflict), `POST /agenda-items/{id}/move/ {"direction": "up"|"down"}`,
  delete (takes the item off the agenda; its flags reopen).
- `decisions`: list (filters `meeting`, `student`), retrieve, create: creating one applies its
  effects (plan, tier, flags) in one transaction. Team members see their schools' decisions;
  a teacher sees the decisions about their own students only.
- `action-items`: list (`?mine=true` for your own), create, partial update of `status` (the
  owner or the team).
- `concerns`: list, create `{student, note}` (for a student you see), `POST
  /concerns/{id}/withdraw/`.
- `classwide-plans`: list (`?section=`), retrieve, `POST /classwide-plans/{id}/checks/
  {date, scores: [{student, score}]}` records one check of the class (the median is stored and
  the exit rule applied). The team's schools only.
"""

from rest_framework.routers import DefaultRouter

from meetings.api.action_items import ActionItemViewSet
from meetings.api.agenda_items import AgendaItemViewSet
from meetings.api.classwide_plans import ClasswidePlanViewSet
from meetings.api.concerns import ConcernViewSet
from meetings.api.decisions import DecisionViewSet
from meetings.api.meetings import MeetingViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("action-items", ActionItemViewSet, basename="action-item")
    router.register("concerns", ConcernViewSet, basename="concern")
    router.register("classwide-plans", ClasswidePlanViewSet, basename="classwide-plan")
