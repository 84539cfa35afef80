"""Meeting pages: list and scheduling, the meeting with its agenda (reorder, remove, add),
meeting mode (one student at a time, decisions, notes, action items), minutes (page, print,
CSV), concerns from teachers, and action items.

Reads go through meetings.selectors (only the school's team members and administrators see
a meeting; anyone else gets a 404), writes through meetings.services. The agenda renders as
a whole page or, for htmx, as the page's `agenda` partial.
"""

from meetings.views.action_items import action_item_add, action_item_status
from meetings.views.agenda import (
    item_add,
    item_move,
    item_remove,
    meeting_detail,
    meeting_edit,
    meeting_prepare,
    meeting_recur,
)
from meetings.views.concerns import concern_list, concern_new, concern_withdraw
from meetings.views.minutes import meeting_minutes, meeting_minutes_csv
from meetings.views.run import (
    item_decide,
    item_notes,
    meeting_close,
    meeting_run,
    meeting_run_item,
    meeting_start,
)
from meetings.views.scheduling import meeting_list, meeting_new

__all__ = [
    "action_item_add",
    "action_item_status",
    "concern_list",
    "concern_new",
    "concern_withdraw",
    "item_add",
    "item_decide",
    "item_move",
    "item_notes",
    "item_remove",
    "meeting_close",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_minutes",
    "meeting_minutes_csv",
    "meeting_new",
    "meeting_prepare",
    "meeting_recur",
    "meeting_run",
    "meeting_run_item",
    "meeting_start",
]
