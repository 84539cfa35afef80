"""The chronic-absence threshold each district set, as the attendance summaries read it.

Districts keep versioned thresholds in decisions (RuleSet), layers above; decisions registers
the reader here from its AppConfig.ready() (as it does for interventions.rule_settings), and a
district without a rule set gets the defaults.
"""

from __future__ import annotations

from collections.abc import Callable

from mtss.lib.thresholds import DEFAULT_THRESHOLDS, Thresholds

ThresholdsReader = Callable[[set[int]], dict[int, Thresholds]]
_readers: list[ThresholdsReader] = []


def register_thresholds_reader(reader: ThresholdsReader) -> None:
    _readers[:] = [reader]


def thresholds_for(district_id: int) -> Thresholds:
    found = _readers[0]({district_id}) if _readers else {}
    return found.get(district_id, DEFAULT_THRESHOLDS)
