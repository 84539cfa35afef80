"""What each demo plan looks like: its response and fidelity profiles, probe dates, scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from interventions.analysis.goals import goal_from_growth
from interventions.demo.drafts import _Plan

OVERDUE_SHARE = 0.08  # groups and plans whose data stopped two to three weeks ago
MIN_POINTS, MAX_POINTS = 6, 20


# Response profiles: (name, share, slope as a multiple of the aim, extra noise factor).
PROFILES = (
    ("responder", 0.33, (0.9, 1.3), 1.0),
    ("strong", 0.12, (1.9, 2.5), 1.0),
    ("non_responder", 0.18, (-0.1, 0.3), 1.0),
    ("flat", 0.09, (-0.05, 0.05), 0.6),
    ("noisy", 0.16, (0.6, 1.2), 3.0),
    ("goal_met", 0.12, (1.6, 2.2), 0.8),
)
# Fidelity profiles: (name, share, attendance probability range).
FIDELITY = (
    ("full", 0.6, (0.9, 1.0)),
    ("most", 0.2, (0.8, 0.9)),
    ("low", 0.15, (0.45, 0.72)),
    ("unlogged", 0.05, (0.0, 0.0)),
)


def _pick(rng: np.random.Generator, table: Sequence[tuple]) -> tuple:
    """A row of `table` drawn with the shares in its second column."""
    draw = rng.random() * sum(row[1] for row in table)
    for row in table:
        draw -= row[1]
        if draw < 0:
            return row
    return table[-1]


def _point_dates(
    rng: np.random.Generator, earliest: dt.date, today: dt.date
) -> tuple[dt.date, list[dt.date]]:
    """A start day and 6-20 probe days ending by `today`: weekly when it fits, else twice
    a week (alternately 3 and 4 days apart). A few series stop two to three weeks early
    (overdue for data)."""
    n = int(rng.integers(MIN_POINTS, MAX_POINTS + 1))
    gap = int(rng.integers(15, 24)) if rng.random() < OVERDUE_SHARE else int(rng.integers(0, 5))
    last = today - dt.timedelta(days=gap)
    available = (last - earliest).days
    if (n - 1) * 7 <= available:
        offsets = [7 * i for i in range(n)]
    else:
        while n > MIN_POINTS and (n - 1) * 3.5 > available:
            n -= 1
        offsets = [(i // 2) * 7 + (3 if i % 2 else 0) for i in range(n)]
    first = last - dt.timedelta(days=offsets[-1])
    first = max(first, earliest)
    return first, [first + dt.timedelta(days=o) for o in offsets]


def _scores(plan: _Plan, rng: np.random.Generator) -> None:
    """Baseline, goal, goal date and the scores of a plan, by its response profile."""
    measure = plan.measure
    lo, hi = float(measure.min_score), float(measure.max_score)
    higher = measure.higher_is_better
    d = 1.0 if higher else -1.0
    weeks_to_goal = int(plan.intervention.weeks or 12) + 4
    start = plan.start
    if plan.domain == "reading":
        baseline = float(plan.screen_score)
        grade = min(max(plan.grade, 1), 6)
        goal = goal_from_growth(baseline=baseline, grade=grade, weeks=weeks_to_goal)
        noise = 5.0
        step = 1.0
    elif plan.domain == "math":
        baseline = float(plan.screen_score)
        goal = baseline + 0.6 * weeks_to_goal
        noise = 1.6
        step = 1.0
    elif plan.domain == "behavior":
        baseline = float(rng.integers(38, 68))
        goal = 80.0
        weeks_to_goal = 10
        noise = 6.0
        step = 1.0
    else:
        baseline = float(rng.integers(12, 17)) / 2  # 6.0 to 8.0
        goal = 3.0
        weeks_to_goal = 10
        noise = 0.6
        step = 0.5
    goal = round(min(max(goal, lo), hi) / step) * step
    aim = (goal - baseline) / weeks_to_goal  # signed: negative on lower-is-better measures
    name, _, (low, high), noise_factor = _pick(rng, PROFILES)
    plan.profile = name
    slope = aim * float(rng.uniform(low, high))
    weeks = np.array([(day - start).days / 7 for day in plan.dates])
    values = baseline + slope * weeks + rng.normal(scale=noise * noise_factor, size=len(weeks))
    values[0] = baseline + rng.normal(scale=noise * 0.3)
    goal_date = start + dt.timedelta(weeks=weeks_to_goal)
    if name == "goal_met":
        # The last three probes reach the goal, ahead of the goal date.
        values[-3:] = goal + d * np.abs(rng.normal(loc=noise * 0.6, scale=noise * 0.4, size=3))
    values = np.clip(np.round(values / step) * step, lo, hi)
    plan.baseline = round(min(max(baseline, lo), hi) / step) * step
    plan.goal = goal
    plan.goal_date = goal_date
    plan.scores = [float(v) for v in values]
    if d * (plan.goal - plan.baseline) <= 0:  # a baseline already at the goal: move it on
        plan.goal = min(max(plan.baseline + d * 10 * step, lo), hi)
