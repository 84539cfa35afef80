"""The whole shared catalog, in order, and loading it into the database."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from interventions.catalog.behavior import BEHAVIOR
from interventions.catalog.entry import CatalogEntry
from interventions.catalog.evidence import shipped_evidence
from interventions.catalog.math import MATH
from interventions.catalog.reading import READING
from interventions.catalog.sel import SEL
from interventions.criteria import (
    validate_checklist,
    validate_entry_criteria,
    validate_exit_criteria,
)

CATALOG: tuple[CatalogEntry, ...] = (*READING, *MATH, *BEHAVIOR, *SEL)


def entry_fields(entry: CatalogEntry) -> dict[str, Any]:
    """Model field values of one entry, with its criteria checked."""
    low, high = entry.group_size
    return {
        "domain": entry.domain,
        "tiers": sorted(entry.tiers),
        "evidence_level": entry.evidence_level,
        "evidence_url": entry.evidence_url,
        "description": entry.description,
        "skills": list(entry.skills),
        "minutes_per_session": entry.minutes_per_session,
        "sessions_per_week": entry.sessions_per_week,
        "group_size_min": low,
        "group_size_max": high,
        "weeks": entry.weeks,
        "entry_criteria": validate_entry_criteria(entry.entry_criteria),
        "exit_criteria": validate_exit_criteria(entry.exit_criteria),
        "fidelity_checklist": validate_checklist(entry.fidelity_checklist),
        "active": True,
        # The entries' own evidence_level predates issue 17; what is stored is the practice
        # guide's level (interventions/catalog/evidence.py), never an ESSA tier.
        **shipped_evidence(entry.name, entry.evidence_url),
    }


@transaction.atomic
def load_catalog() -> dict[str, int]:
    """Create or update the shared catalog (district NULL); returns name -> id. Idempotent."""
    from interventions.models import Intervention

    ids = {}
    for entry in CATALOG:
        obj, _ = Intervention.objects.update_or_create(
            district=None, name=entry.name, defaults=entry_fields(entry)
        )
        ids[entry.name] = obj.pk
    return ids
