"""The small pieces the "why" sentences share (interventions.explain, explain_progress):
numbers as the active language writes them, and the tier recommendation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mtss.lib import wording


def num(value: float | int | None) -> str:
    """A score as people write it: 38, 72.5, 1.75 (at most two decimals)."""
    if value is None:
        return "?"
    return wording.trimmed(value, 2)


def rate(value: float) -> str:
    """A slope with two decimals."""
    return wording.fixed(value, 2)


def signed(value: float) -> str:
    """A trend: the sign is always shown."""
    return wording.fixed(value, 2, signed=True)


def signed_or_unknown(value: Any) -> str:
    return signed(float(value)) if value is not None else _("unknown")


def percent(share: float) -> str:
    """0.75 -> 75%."""
    return wording.percent(wording.localized(str(round(share * 100))))


def tier_phrase(tier: int) -> str:
    if tier <= 1:
        return _("no extra support recommended (Tier 1)")
    return _("Tier %(tier)s recommended") % {"tier": tier}
