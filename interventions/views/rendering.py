"""What the interventions pages share: recommendation styles, htmx fragments, today, scores."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from interventions.analysis.facts import Recommendation
from interventions.selectors.plan_page import score_number

RECOMMENDATION_STYLE = {
    Recommendation.INSUFFICIENT_DATA: "rec-neutral",
    Recommendation.CONTINUE: "rec-ok",
    Recommendation.RAISE_GOAL: "rec-good",
    Recommendation.CHANGE_INTERVENTION: "rec-act",
    Recommendation.IMPROVE_FIDELITY: "rec-warn",
    Recommendation.EXIT: "rec-good",
}


def _fragment(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _today():
    return timezone.localdate()


def _decimal_text(value: Any) -> str:
    return score_number(value) if value is not None else ""
