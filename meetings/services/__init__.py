"""Writes of the meetings app. Pages, API, admin and the demo all call these.

Each service is keyword-only, runs in one transaction and writes its record-of-access row in
that transaction. Refusals a person can act on raise ApplicationError (mtss.errors); field
problems raise ValidationError; a user outside the school's team gets PermissionDenied.

Concurrency (docs/meetings.md): meetings, agenda items and action items carry a `version`.
An edit says which version it started from; the UPDATE only applies `WHERE version = n`, so
when a colleague saved first nothing is overwritten and `EditConflict` carries both texts
(the saved one and the one that was typed) back to the person.

Decisions act (`meeting_record_decision`): one transaction creates or changes the plan
through interventions.services (entry criteria checked, an override reason passed through),
records the tier change, accepts or dismisses the flags the decision answers and writes the
Decision row; any failure rolls all of it back.
"""

from meetings.services.action_items import action_item_create, action_item_set_status
from meetings.services.agenda import meeting_prepare_agenda, review_weeks
from meetings.services.agenda_items import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_save_notes,
)
from meetings.services.closing import meeting_close, minutes_for
from meetings.services.concerns import CONCERN_NOT_YOUR_STUDENT, concern_submit, concern_withdraw
from meetings.services.decisions import (
    OVERRIDE_RATIONALE,
    PLACEMENTS,
    PLAN_CHANGES,
    RATIONALE_REQUIRED,
    meeting_record_decision,
)
from meetings.services.guards import MEETING_CLOSED, NOT_ON_THE_TEAM, EditConflict
from meetings.services.scheduling import (
    MEETING_EDITABLE,
    meeting_create,
    meeting_schedule_series,
    meeting_start,
    meeting_update,
)

__all__ = [
    "CONCERN_NOT_YOUR_STUDENT",
    "MEETING_CLOSED",
    "MEETING_EDITABLE",
    "NOT_ON_THE_TEAM",
    "OVERRIDE_RATIONALE",
    "PLACEMENTS",
    "PLAN_CHANGES",
    "RATIONALE_REQUIRED",
    "EditConflict",
    "action_item_create",
    "action_item_set_status",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_save_notes",
    "concern_submit",
    "concern_withdraw",
    "meeting_close",
    "meeting_create",
    "meeting_prepare_agenda",
    "meeting_record_decision",
    "meeting_schedule_series",
    "meeting_start",
    "meeting_update",
    "minutes_for",
    "review_weeks",
]
