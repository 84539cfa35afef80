"""What the dashboards show on the roster's pages (filled into students.slots)."""

from __future__ import annotations

from typing import Any

from screening.models import ScreeningScore


def district_home_links(*, user: Any, district_ids: set[int]) -> dict[str, Any]:
    """Whether any of the districts has screening scores: until then the dashboards would be
    empty, so the home page says so instead of linking to them."""
    has_scores = ScreeningScore.objects.filter(
        window__school_year__district_id__in=district_ids
    ).exists()
    return {"has_scores": has_scores}
