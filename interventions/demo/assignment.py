"""Who gets which intervention, and who delivers it (caseloads kept to a cap)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from interventions.demo.drafts import _Plan
from interventions.models import Intervention
from students.models import Role

CASELOAD_CAP = 40  # an interventionist's plans; Tier 2 plans beyond go to the class teacher


def _choose_intervention(
    plan: _Plan, catalog: dict[str, Intervention], rng: np.random.Generator
) -> Intervention | None:
    g, t, d = plan.grade, plan.tier, plan.domain
    options: list[str]
    if d == "reading":
        if t == 3:
            options = ["Intensive structured literacy"] if g >= 1 else []
            if g <= 3:
                options.append("Phonics small group")
        elif g <= 1:
            options = ["Phonemic awareness warm-ups"]
        elif g <= 3:
            options = ["Phonics small group", "Repeated reading for fluency"]
        else:
            options = ["Repeated reading for fluency", "Comprehension strategies group"]
    elif d == "math":
        if t == 3:
            options = (
                ["Number sense small group"]
                if g <= 0
                else ["Intensive math with concrete-representational-abstract steps"]
            )
            if g >= 2:
                options.append("Word problem schema instruction")
        elif g <= 0:
            options = ["Number sense small group"]
        elif g <= 2:
            options = ["Number sense small group", "Math fact fluency practice"]
        elif g <= 6:
            options = ["Math fact fluency practice", "Word problem schema instruction"]
        else:
            options = ["Word problem schema instruction"]
    elif d == "behavior":
        if t == 3:
            options = ["Function-based behavior support plan"]
        else:
            options = ["Check-in/Check-out", "Check-in/Check-out", "Social skills group"]
            if g >= 2:
                options.append("Self-monitoring with teacher match")
    else:
        options = ["Adult mentoring check-ins"]
        if t == 2:
            options.append("Emotion regulation skills group")
        if g >= 3:
            options.append("Coping skills group for worry")
    options = [o for o in options if o in catalog]
    if not options:
        return None
    return catalog[options[int(rng.integers(0, len(options)))]]


def _share_with_teachers(ctx: Any, plans: list[_Plan]) -> None:
    """Keep each interventionist's caseload to CASELOAD_CAP plans, Tier 3 first: their other
    Tier 2 plans are taught by the student's own teacher for that subject (homeroom in
    elementary school, ELA or math in middle school), as schools do."""
    teacher_of: dict[tuple[int, str], int] = {}
    for section in ctx.sections:
        if not section.teacher_ids:
            continue
        domains = {"homeroom": ("reading", "math"), "ela": ("reading",), "math": ("math",)}
        for domain in domains.get(section.subject, ()):
            for student_id in section.student_ids:
                teacher_of.setdefault((student_id, domain), section.teacher_ids[0])
    interventionists = {
        uid
        for (school, role), ids in ctx.staff.items()
        if role == Role.INTERVENTIONIST
        for uid in ids
    }
    load: dict[int, int] = defaultdict(int)
    for plan in sorted(plans, key=lambda p: (-p.tier, p.student_id, p.domain)):
        who = plan.interventionist_id
        if who not in interventionists:
            continue
        teacher = teacher_of.get((plan.student_id, plan.domain))
        if load[who] >= CASELOAD_CAP and plan.tier == 2 and teacher:
            plan.interventionist_id = teacher
        else:
            load[who] += 1
