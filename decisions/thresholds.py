"""The decision rules' thresholds; the value itself lives in mtss.lib.thresholds, below every
app, because screening and interventions read it too."""

from mtss.lib.thresholds import DEFAULT_THRESHOLDS, Thresholds, odr_tier

__all__ = ["DEFAULT_THRESHOLDS", "Thresholds", "odr_tier"]
