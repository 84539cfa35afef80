"""The decision-rule thresholds each district set, as every app below decisions reads them.

Districts keep versioned thresholds in decisions (RuleSet), a layer above screening and
interventions, so decisions registers the reader here from its AppConfig.ready() and the lower
apps never import it. A district without a rule set (or a process where decisions is not
installed) gets the defaults. Screening is the lowest app that needs them (the referral bands),
so the one reader lives here; interventions.rule_settings re-exports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mtss.lib.thresholds import DEFAULT_THRESHOLDS, Thresholds

ThresholdsReader = Callable[[set[int]], dict[int, Thresholds]]
_readers: list[ThresholdsReader] = []


def register_thresholds_reader(reader: ThresholdsReader) -> None:
    """`reader(district_ids)` returns {district_id: Thresholds} for the districts that have
    thresholds of their own, in one query."""
    _readers[:] = [reader]


def thresholds_by_district(district_ids: Iterable[int]) -> dict[int, Thresholds]:
    ids = set(district_ids)
    found = _readers[0](ids) if _readers else {}
    return {d: found.get(d, DEFAULT_THRESHOLDS) for d in ids}


def district_thresholds(district_id: int) -> Thresholds:
    """One district's active thresholds (the defaults when it has no rule set)."""
    return thresholds_by_district({district_id})[district_id]
