"""The demo plans of a district: who gets one, in which group, with which dates and scores."""

from __future__ import annotations

import datetime as dt
import statistics
import zlib
from collections import defaultdict
from typing import Any

import numpy as np
from django.utils import timezone

from interventions.catalog.loading import load_catalog
from interventions.demo.assignment import _choose_intervention, _share_with_teachers
from interventions.demo.drafts import _Plan
from interventions.demo.measures import _progress_measures
from interventions.demo.profiles import FIDELITY, _pick, _point_dates, _scores
from interventions.demo.write import _write
from interventions.models import Intervention, InterventionGroup, InterventionPlan
from screening.models import ScreeningScore, ScreeningWindow
from students.models import Role

PLAN_SHARE = 0.85  # "most" students at risk get a plan
MAX_DOMAINS = 2


def _rng(ctx: Any) -> np.random.Generator:
    return np.random.default_rng([ctx.seed, zlib.crc32(b"interventions")])


def demo_today(ctx: Any, fall: ScreeningWindow) -> dt.date:
    """Today, kept inside the school year and at least six weeks after the fall window."""
    earliest = fall.end_date + dt.timedelta(weeks=6)
    return min(max(timezone.localdate(), earliest), ctx.year.end_date)


def seed(ctx: Any) -> None:
    rng = _rng(ctx)
    ids = load_catalog()
    catalog = {i.name: i for i in Intervention.objects.filter(pk__in=ids.values())}
    fall = ScreeningWindow.objects.filter(school_year=ctx.year, season="fall").first()
    if fall is None or not ctx.students:
        return
    today = demo_today(ctx, fall)
    measures = _progress_measures(ctx)
    students = {s.id: s for s in ctx.students}

    # The fall screening's at-risk students, one row per student and domain (most intensive).
    order = {"some_risk": 1, "high_risk": 2}
    worst: dict[tuple[int, str], tuple[str, float]] = {}
    rows = (
        ScreeningScore.objects.filter(
            window=fall, risk_level__in=list(order), student__district=ctx.district
        )
        .order_by("student_id", "measure__domain", "measure_id")
        .values_list("student_id", "measure__domain", "risk_level", "score")
    )
    for student_id, domain, risk, score in rows:
        key = (student_id, domain)
        if key not in worst or order[risk] > order[worst[key][0]]:
            worst[key] = (risk, float(score))

    interventionists = {
        school.pk: list(ctx.staff.get((school.pk, Role.INTERVENTIONIST), []))
        for school in ctx.schools
    }
    team = {
        school.pk: list(ctx.staff.get((school.pk, Role.TEAM_MEMBER), [])) for school in ctx.schools
    }
    demo_interventionist = ctx.logins.get("interventionist")
    for ids_ in interventionists.values():
        if demo_interventionist in ids_:
            ids_.remove(demo_interventionist)
            ids_.insert(0, demo_interventionist)  # the demo login teaches reading

    # A team serves a student in at most two domains at once, the most intensive needs first
    # (then reading, math, behavior, SEL), as teams prioritise.
    priority = {"reading": 0, "math": 1, "behavior": 2, "sel": 3}
    by_student: dict[int, list[tuple[str, str, float]]] = defaultdict(list)
    for (student_id, domain), (risk, score) in sorted(worst.items()):
        by_student[student_id].append((domain, risk, score))
    wanted: list[tuple[int, str, str, float]] = []
    for student_id, needs in by_student.items():
        needs.sort(key=lambda n: (-order[n[1]], priority.get(n[0], 9)))
        wanted.extend((student_id, d, r, s) for d, r, s in needs[:MAX_DOMAINS])

    plans: list[_Plan] = []
    earliest = fall.start_date + dt.timedelta(days=7)
    for student_id, domain, risk, score in wanted:
        if domain not in measures or rng.random() > PLAN_SHARE:
            continue
        s = students.get(student_id)
        if s is None:
            continue
        plan = _Plan(
            student_id=student_id,
            school_id=s.school_id,
            grade=s.grade,
            domain=domain,
            tier=3 if risk == "high_risk" else 2,
            risk=risk,
            screen_score=score,
        )
        plan.measure = measures[domain]
        if not plan.measure.serves_grade(s.grade):
            continue
        plan.intervention = _choose_intervention(plan, catalog, rng)
        if plan.intervention is None:
            continue
        deliverers = (
            interventionists.get(s.school_id, [])
            if domain in ("reading", "math")
            else team.get(s.school_id, [])
        )
        if not deliverers:
            deliverers = team.get(s.school_id, []) or interventionists.get(s.school_id, [])
        if not deliverers:
            continue
        index = {"reading": 0, "math": 1, "behavior": 0, "sel": 1}[domain]
        plan.interventionist_id = deliverers[index % len(deliverers)]
        plans.append(plan)
    if not plans:
        return
    _share_with_teachers(ctx, plans)

    # Units: a group of 3-6 (same school, intervention, deliverer, grade band) or one plan.
    units: dict[tuple, list[_Plan]] = defaultdict(list)
    for k, plan in enumerate(plans):
        iv = plan.intervention
        if (iv.group_size_max or 1) > 1:
            band = plan.grade // 2
            units[(plan.school_id, iv.pk, plan.interventionist_id, band)].append(plan)
        else:
            units[("single", k)].append(plan)
    group_rows: list[InterventionGroup] = []
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    chunks: list[list[_Plan]] = []
    for key, members in units.items():
        if key[0] == "single":
            chunks.append(members)
            continue
        size = max(2, min(int(members[0].intervention.group_size_max or 4), 6))
        for c, start in enumerate(range(0, len(members), size)):
            chunk = members[start : start + size]
            chunks.append(chunk)
            if len(chunk) > 1:
                iv = chunk[0].intervention
                grades = sorted({p.grade for p in chunk})
                label = (
                    (
                        f"Grade {grades[0]}"
                        if len(grades) == 1
                        else f"Grades {grades[0]}-{grades[-1]}"
                    )
                    .replace("Grade 0", "Kindergarten")
                    .replace("Grades 0", "Grades K")
                )
                group_rows.append(
                    InterventionGroup(
                        school_id=key[0],
                        name=f"{label} {iv.name.lower()}, group {letters[c % 26]}"
                        + (f"{c // 26 + 1}" if c >= 26 else ""),
                        interventionist_id=key[2],
                    )
                )
                for p in chunk:
                    p.group_key = (len(group_rows) - 1,)
    InterventionGroup.objects.bulk_create(group_rows, batch_size=2000)

    # Dates and scores, shared by the members of a group.
    for chunk in chunks:
        start, dates = _point_dates(rng, earliest, today)
        for plan in chunk:
            plan.start, plan.dates = start, list(dates)
            _scores(plan, rng)
            name, _, (low, high) = _pick(rng, FIDELITY)
            if plan.profile == "non_responder" and rng.random() < 0.5:
                name, low, high = "low", 0.45, 0.72
            plan.attendance = -1.0 if name == "unlogged" else float(rng.uniform(low, high))
            if plan.profile == "goal_met" and rng.random() < 0.4:
                plan.status = InterventionPlan.Status.COMPLETED
                plan.end_date = min(plan.dates[-1] + dt.timedelta(days=3), today)
            if plan.profile == "strong" and rng.random() < 0.35 and len(plan.dates) >= 8:
                cut = len(plan.dates) // 2
                base2 = float(statistics.median(plan.scores[cut - 3 : cut]))
                d = 1 if plan.measure.higher_is_better else -1
                goal2 = plan.goal + d * abs(plan.goal - plan.baseline) * 0.4
                lo, hi = float(plan.measure.min_score), float(plan.measure.max_score)
                goal2 = round(min(max(goal2, lo), hi))
                plan.phase2 = (
                    plan.dates[cut],
                    base2,
                    float(goal2),
                    plan.goal_date + dt.timedelta(weeks=4),
                )

    _write(ctx, plans, group_rows, today, rng)
