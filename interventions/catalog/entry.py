"""The shape of a catalog entry and the links and criteria the entries share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WWC_PRACTICE_GUIDES = "https://ies.ed.gov/ncee/wwc/PracticeGuides"
WWC_FIND_WHAT_WORKS = "https://ies.ed.gov/ncee/wwc/FWW"
NCII_TOOLS_CHARTS = "https://intensiveintervention.org/tools-charts/overview"

AT_RISK = ["some_risk", "high_risk"]
HIGH_RISK = ["high_risk"]
STANDARD_EXIT = {"goal_met_points": 3, "or_benchmark_at_next_screening": True}


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    domain: str
    tiers: list[int]
    evidence_level: str
    evidence_url: str
    description: str
    skills: list[str]
    minutes_per_session: int
    sessions_per_week: int
    group_size: tuple[int, int]
    weeks: int
    entry_criteria: dict[str, Any]
    exit_criteria: dict[str, Any]
    fidelity_checklist: list[str] = field(default_factory=list)
