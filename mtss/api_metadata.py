"""OPTIONS on /api/: the view's name, description, formats and allowed methods.

DRF's default also lists the fields of the serializer for POST/PUT, which needs a serializer
class on the view; viewsets that pick one per action have none for OPTIONS and answered 500.
The schema at /api/schema/ describes every request body instead.
"""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request: Any, view: Any) -> dict[str, Any]:
        return {}
