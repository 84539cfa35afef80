"""The shared intervention catalog (district NULL) that `seed_demo` and
`manage.py load_intervention_catalog` load.

Entries describe common, generic intervention approaches in our own words (no commercial
programme is named or described). Evidence levels follow the ESSA tiers as the research
summaries behind each approach support them; a district should check them against its own
review before relying on them. Links point to the general review pages of the What Works
Clearinghouse (practice guides, intervention reports) and the National Center on Intensive
Intervention (tools charts), where a team can look up specific programmes of each kind.

Dosage follows the IES practice guides' typical ranges (domain.md section 4): Tier 2 groups of
3-5 students, 20-45 minutes most days, at least 10-12 weeks; Tier 3 groups of 1-3, 40-60
minutes daily.
"""

from interventions.catalog.entry import (
    AT_RISK,
    HIGH_RISK,
    NCII_TOOLS_CHARTS,
    STANDARD_EXIT,
    WWC_FIND_WHAT_WORKS,
    WWC_PRACTICE_GUIDES,
    CatalogEntry,
)
from interventions.catalog.loading import CATALOG, entry_fields, load_catalog

__all__ = [
    "AT_RISK",
    "CATALOG",
    "HIGH_RISK",
    "NCII_TOOLS_CHARTS",
    "STANDARD_EXIT",
    "WWC_FIND_WHAT_WORKS",
    "WWC_PRACTICE_GUIDES",
    "CatalogEntry",
    "entry_fields",
    "load_catalog",
]
