"""One error vocabulary: services raise ValidationError (field problems) or ApplicationError
(business refusals); this module turns both into clear API responses.

- Django `ValidationError` with fields -> 400 `{"field": ["message", ...]}`; errors that
  belong to no field go under `non_field_errors`, as DRF's own serializers put them.
- `ApplicationError` -> 400 `{"detail": "message", ...extra}`.
- `EditConflict` (someone saved first) -> 409 `{"detail", "conflict", "saved", "yours",
  "current_version"}`.
- Django `PermissionDenied` / `Http404` -> 403 / 404 (DRF's handler already does this).
- A value PostgreSQL cannot hold (an id beyond bigint) -> 404; a NUL byte -> 400.
- Paths under /api/ that no view answers (Django's 404 and 500 handlers) -> JSON too.
- OPTIONS: see mtss/api_metadata.py.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback


class ApplicationError(Exception):
    """A refusal by a business rule, with a message a teacher can read."""

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class EditConflict(ApplicationError):
    """Someone saved the same thing first (optimistic locking: the save named the version it
    was made from, and the stored version is newer). `saved` is what is stored now, `yours`
    what this person sent; both are shown so nothing is lost. `version` is the stored version,
    which a second save (after comparing) names to replace it."""

    def __init__(self, *, what: str, saved: dict[str, Any], yours: dict[str, Any], version: int):
        super().__init__(
            gettext(
                "Someone else saved this %(what)s while you were editing it. Yours was not "
                "saved: compare it with the saved version, then save again."
            )
            % {"what": what},
            extra={"conflict": True, "saved": saved, "yours": yours, "current_version": version},
        )
        self.saved = saved
        self.yours = yours
        self.version = version

    @property
    def rows(self) -> list[tuple[str, Any, Any]]:
        """(label, saved, yours) per value, for the page that shows both side by side."""
        keys = list(self.yours) + [k for k in self.saved if k not in self.yours]
        return [
            (k.replace("_", " ").capitalize(), self.saved.get(k, ""), self.yours.get(k, ""))
            for k in keys
        ]


CONFLICT_RESPONSE = OpenApiResponse(
    description="Someone saved first: `saved` (stored now, theirs) and `yours` (sent) are both "
    "returned, with `current_version` to send when saving yours over theirs."
)


def validation_error_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as DRF's field-error dictionary."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, EditConflict):
        set_rollback()
        return Response({"detail": exc.message, **exc.extra}, status=409)
    elif isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=400)
    elif isinstance(exc, DataError) and "out of range" in str(exc):
        set_rollback()
        return Response({"detail": gettext("Not found.")}, status=404)
    elif isinstance(exc, ValueError) and "NUL" in str(exc):
        set_rollback()
        return Response({"detail": gettext("A value contains a NUL byte (0x00).")}, status=400)
    return exception_handler(exc, context)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": gettext("Something went wrong on our side; the error has been logged.")},
            status=500,
        )
    return defaults.server_error(request)
