"""A demo plan drafted in memory, filled in step by step before it is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from interventions.models import Intervention, InterventionPlan
from screening.models import Measure


@dataclass
class _Plan:
    student_id: int
    school_id: int
    grade: int
    domain: str
    tier: int
    risk: str
    screen_score: float
    intervention: Intervention | None = None
    measure: Measure | None = None
    interventionist_id: int | None = None
    unit: int = -1
    start: dt.date | None = None
    dates: list[dt.date] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    baseline: float = 0.0
    goal: float = 0.0
    goal_date: dt.date | None = None
    profile: str = ""
    attendance: float = 1.0
    status: str = InterventionPlan.Status.ACTIVE
    end_date: dt.date | None = None
    phase2: tuple[dt.date, float, float, dt.date] | None = None  # start, baseline, goal, date
    group_key: tuple | None = None
    pk: int | None = None
