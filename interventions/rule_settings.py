"""The districts' decision-rule thresholds, as interventions reads them: the one reader lives
in screening.rule_settings (the lowest app that needs it); re-exported here."""

from screening.rule_settings import (
    ThresholdsReader,
    district_thresholds,
    register_thresholds_reader,
    thresholds_by_district,
)

__all__ = [
    "ThresholdsReader",
    "district_thresholds",
    "register_thresholds_reader",
    "thresholds_by_district",
]
