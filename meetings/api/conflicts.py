"""The 409 answer when someone saved first: what is stored and what was sent both go back.

The conflict itself and its OpenAPI description live in mtss.errors (every app's API answers
it the same way); meetings' endpoints still build the answer here where they catch it.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from mtss.errors import CONFLICT_RESPONSE as CONFLICT_RESPONSE  # re-exported
from mtss.errors import EditConflict


def conflict_response(exc: EditConflict) -> Response:
    return Response({"detail": exc.message, **exc.extra}, status=status.HTTP_409_CONFLICT)
