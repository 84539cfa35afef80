"""Template filters of the flag pages."""

from __future__ import annotations

from django import template

register = template.Library()

RISK_WORDS = {"high_risk": "High risk", "some_risk": "Some risk", "at_or_above": "At or above"}


@register.filter
def words(value: object) -> str:
    """'change_intervention' -> 'change intervention'; risk levels in their own words."""
    text = "" if value is None else str(value)
    return RISK_WORDS.get(text, text.replace("_", " "))
