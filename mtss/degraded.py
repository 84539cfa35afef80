"""Degraded mode: while PostgreSQL is down, say so instead of answering a bare 500.

Every layer of Django turns an exception into a 500 response before an outer middleware
sees it, so this middleware (the outermost) looks at the 500s: when the database cannot be
reached it answers 503 with a Retry-After header, a short JSON body under /api/ and a plain
page elsewhere (rendered without a request, so no context processor touches the database).
Responses that are not 500s cost nothing.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from mtss.health import healthz

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = _("The database is not reachable; nothing was saved. Try again in a minute.")


def database_reachable() -> bool:
    """A fresh connection, so a broken one held by the request does not decide it."""
    probe = connections.create_connection("default")
    try:
        probe.ensure_connection()
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):  # closing a connection that never opened
            probe.close()


def database_down_response(request: HttpRequest) -> HttpResponse:
    if request.path == "/healthz":
        # A probe sending a session cookie failed in the session middleware; it still
        # gets the health answer, which names the service that is down.
        return healthz(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": DATABASE_DOWN, "unavailable": ["database"]}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseDownMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and not database_reachable():
            logger.error("database unreachable: %s %s answered 503", request.method, request.path)
            return database_down_response(request)
        return response
