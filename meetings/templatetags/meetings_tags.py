"""Template tags of the meetings app, for pages other apps own (the home page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from meetings.selectors import meeting_school_ids, open_action_items_of

register = template.Library()


@register.simple_tag(takes_context=True)
def my_open_action_items(context: dict[str, Any]) -> dict[str, Any]:
    """The signed-in user's open action items (two queries), each marked with whether the
    user may open its meeting (an action item's owner need not be on the team)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"list": [], "today": timezone.localdate()}
    items = open_action_items_of(user)
    schools = meeting_school_ids(user) if items else set()
    for a in items:
        a.meeting_visible = a.meeting.school_id in schools
    return {"list": items, "today": timezone.localdate()}


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    """`mapping[key]`, or "" when missing (for dictionaries keyed by a variable)."""
    return mapping.get(str(key), "") if isinstance(mapping, dict) else ""
