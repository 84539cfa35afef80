"""`{% settings_district district %}`: the line "District: …" on every settings page, with a
chooser for whoever keeps more than one district's settings (a superuser: all of them)."""

from __future__ import annotations

from typing import Any

from django import template

from students import access

register = template.Library()


@register.inclusion_tag("students/_settings_district.html", takes_context=True)
def settings_district(context: Any, district) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    choices = access.settings_districts(user) if user is not None and district else []
    return {"district": district, "choices": choices if len(choices) > 1 else []}
