"""One error vocabulary: services raise ValidationError (field problems) or ApplicationError
(business refusals); this module turns both into clear API responses.

- Django `ValidationError` with fields -> 400 `{"field": ["message", ...]}`; errors that
  belong to no field go under `non_field_errors`, as DRF's own serializers put them.
- `ApplicationError` -> 400 `{"detail": "message", ...extra}`.
- Django `PermissionDenied` / `Http404` -> 403 / 404 (DRF's handler already does this).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A refusal by a business rule, with a message a teacher can read."""

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


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
    elif isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=400)
    return exception_handler(exc, context)
