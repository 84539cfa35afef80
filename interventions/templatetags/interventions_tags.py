"""Small template filters of the interventions pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from interventions.analysis.facts import Recommendation
from interventions.selectors.plan_page import score_number

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key, "") if mapping else ""


@register.filter
def recommendation_label(value: str) -> str:
    try:
        return Recommendation(value).label
    except ValueError:
        return value


@register.simple_tag
def rec_badge(rec: str, styles: dict | None) -> str:
    """A recommendation as a badge, in the class `styles` gives its value. A tag, not an
    included template: the caseload and the progress grid show one per plan, and an include
    per row cost more than the rest of the row."""
    return format_html(
        '<span class="rec-badge {}">{}</span>', get_item(styles, rec), recommendation_label(rec)
    )


@register.filter
def score(value: Any) -> str:
    """42.00 -> 42, 42.50 -> 42.5."""
    return score_number(value)


@register.filter
def percent(value: float | None) -> str:
    return "unknown" if value is None else f"{round(float(value) * 100)}%"


@register.filter
def signed(value: float | None) -> str:
    return "none yet" if value is None else f"{float(value):+.2f}"
