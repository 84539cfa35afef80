"""What the screening pages share: error text, htmx fragments, ids from requests, the class 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from mtss.lib.htmx import render_fragment
from screening.forms import EntryPickForm


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _fragment(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render_fragment(request, template, context)


def _404_if_not_their_section(form: EntryPickForm) -> None:
    """A class that is not the user's is "not found", as everywhere else, not a form error:
    the page must not tell a teacher that another teacher's class exists."""
    if form.is_bound and not form.is_valid() and form.has_error("section", "invalid_choice"):
        raise Http404("No such class among yours.")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
