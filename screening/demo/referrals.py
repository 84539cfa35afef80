"""Demo office discipline referrals: most students none, a tail with 2 to 10."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.utils import timezone

from screening.demo.shared import _copy
from screening.models.referrals import Referral
from students.models import User

LOCATIONS = (
    ("classroom", 0.44),
    ("hallway", 0.1),
    ("cafeteria", 0.1),
    ("playground", 0.12),
    ("bus", 0.05),
    ("restroom", 0.04),
    ("gym", 0.06),
    ("library", 0.02),
    ("bus_area", 0.03),
    ("other", 0.04),
)
BEHAVIORS = (
    ("defiance", 0.22),
    ("disruption", 0.2),
    ("physical_aggression", 0.12),
    ("abusive_language", 0.12),
    ("fighting", 0.05),
    ("harassment", 0.06),
    ("skipping", 0.05),
    ("technology", 0.04),
    ("property_damage", 0.03),
    ("theft", 0.02),
    ("lying_cheating", 0.03),
    ("physical_contact", 0.03),
    ("other", 0.03),
)
MOTIVATIONS = (
    ("peer_attention", 0.3),
    ("adult_attention", 0.14),
    ("avoid_task", 0.25),
    ("obtain_item", 0.08),
    ("avoid_peers", 0.05),
    ("avoid_adults", 0.05),
    ("avoid_activity", 0.03),
    ("unknown", 0.1),
)
OTHERS = (("peers", 0.5), ("none", 0.22), ("teacher", 0.14), ("staff", 0.09), ("substitute", 0.05))
ACTIONS = (
    ("conference", 0.28),
    ("parent_contact", 0.2),
    ("loss_of_privilege", 0.15),
    ("time_in_office", 0.12),
    ("detention", 0.08),
    ("in_school_suspension", 0.07),
    ("out_of_school_suspension", 0.04),
    ("restitution", 0.03),
    ("reflection", 0.03),
)


def _pick(rng: np.random.Generator, options: Sequence[tuple[str, float]], size: int) -> list:
    names = [o for o, _ in options]
    weights = np.array([w for _, w in options])
    return [names[k] for k in rng.choice(len(names), size=size, p=weights / weights.sum())]


def _seed_referrals(
    ctx: Any,
    rng: np.random.Generator,
    students: list,
    in_middle: np.ndarray,
    behavior: np.ndarray,
    teacher_of: np.ndarray,
) -> None:
    """Office discipline referrals from the first week of school to the Friday before 'today'."""
    year = ctx.year
    n = len(students)
    rate = np.exp(-1.9 + 1.3 * behavior + 0.35 * in_middle)
    counts = np.minimum(rng.poisson(rate), 10)
    total = int(counts.sum())
    if total == 0:
        return
    who = np.repeat(np.arange(n), counts)
    first, last = year.start_date + dt.timedelta(days=7), year.start_date + dt.timedelta(days=95)
    school_days = [
        first + dt.timedelta(days=d)
        for d in range((last - first).days + 1)
        if (first + dt.timedelta(days=d)).weekday() < 5
    ]
    days = rng.integers(0, len(school_days), size=total)
    minutes = rng.integers(0, 91, size=total) * 5 + 7 * 60 + 45  # 7:45 to 15:15
    severity = np.where(rng.random(total) < 0.7, "major", "minor")
    columns = {
        "location": _pick(rng, LOCATIONS, total),
        "problem_behavior": _pick(rng, BEHAVIORS, total),
        "perceived_motivation": _pick(rng, MOTIVATIONS, total),
        "others_involved": _pick(rng, OTHERS, total),
        "action_taken": _pick(rng, ACTIONS, total),
    }
    teacher_ids = sorted({int(t) for t in teacher_of if t})
    names = {u.pk: u.display_name() for u in User.objects.filter(pk__in=teacher_ids)}
    when = timezone.now()

    def rows() -> Iterable[tuple]:
        for k in range(total):
            i = who[k]
            staff = int(teacher_of[i]) or None
            yield (
                students[i].id,
                students[i].school_id,
                year.pk,
                school_days[days[k]],
                dt.time(int(minutes[k]) // 60, int(minutes[k]) % 60),
                str(severity[k]),
                columns["location"][k],
                columns["problem_behavior"][k],
                columns["perceived_motivation"][k],
                columns["others_involved"][k],
                columns["action_taken"][k],
                staff,
                names.get(staff, "") if staff else "",
                "",
                staff,
                when,
            )

    _copy(
        Referral,
        (
            "student_id",
            "school_id",
            "school_year_id",
            "date",
            "time",
            "severity",
            "location",
            "problem_behavior",
            "perceived_motivation",
            "others_involved",
            "action_taken",
            "staff_id",
            "staff_name",
            "notes",
            "reported_by_id",
            "created_at",
        ),
        rows(),
    )
