"""The 409 answer when someone saved first: what is stored and what was sent both go back."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from meetings.services.guards import EditConflict

CONFLICT_RESPONSE = OpenApiResponse(
    description="Someone saved first: `saved` (stored now) and `yours` (sent) are both returned."
)


def conflict_response(exc: EditConflict) -> Response:
    return Response({"detail": exc.message, **exc.extra}, status=status.HTTP_409_CONFLICT)
