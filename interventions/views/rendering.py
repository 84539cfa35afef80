"""What the interventions pages share: recommendation styles, htmx fragments, today, scores."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from interventions.analysis.facts import Recommendation
from interventions.selectors.plan_page import score_number
from mtss.lib.htmx import render_fragment

RECOMMENDATION_STYLE = {
    Recommendation.INSUFFICIENT_DATA: "rec-neutral",
    Recommendation.CONTINUE: "rec-ok",
    Recommendation.RAISE_GOAL: "rec-good",
    Recommendation.CHANGE_INTERVENTION: "rec-act",
    Recommendation.IMPROVE_FIDELITY: "rec-warn",
    Recommendation.EXIT: "rec-good",
    "tier3": "rec-act",  # the reconciled "consider Tier 3" (interventions.analysis.reconcile)
    "cico_fade": "rec-good",
    "cico_adjust": "rec-act",
    "none": "rec-neutral",
}


def _fragment(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render_fragment(request, template, context)


def _today():
    return timezone.localdate()


def _decimal_text(value: Any) -> str:
    return score_number(value) if value is not None else ""
