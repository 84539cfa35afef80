"""Interventions demo data: the shared catalog, two progress measures of the district, and a
plan for most students the fall screening put at some risk (Tier 2) or high risk (Tier 3), with
6-20 progress points, logged sessions, groups, fidelity observations and the students' own
goals and ratings.

Called by `seed_demo` as `seed(ctx)` after the screening demo, inside its transaction.
Deterministic (one numpy generator seeded from `ctx.seed`, over rows in a fixed order) and
fast: plans, phases, points, sessions and placements go in with PostgreSQL COPY, so a
50,000-student district takes seconds, not one save per row.

What a user sees:
- each plan starts after the student's fall screening (from a week after the fall window
  opened) and has 6-20 points up to the demo's "today" (today's date kept inside the school
  year, at least six weeks after the fall window): weekly where that fits, twice a week
  otherwise (Tier 3 students are often monitored more than weekly);
- responses vary: responders on the aim line, strong responders (raise the goal), non-responders
  (change the intervention, or improve fidelity when sessions were missed), flat, noisy, and
  goal met (some of those already completed by the team, the student back in Tier 1);
- fidelity varies: most plans delivered as planned, some with many missed sessions, a few
  with no session logged at all (fidelity unknown);
- small-group interventions are taught in groups of 3-6 of the same school, grade band and
  interventionist, with sessions logged for the whole group at once;
- reading and math plans are delivered by the school's interventionists (the demo
  `interventionist` login has the first elementary school's reading caseload), behavior and
  SEL plans by the school's team members (counsellor, behavior specialist).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from interventions import progress_summary
from interventions.analysis.goals import goal_from_growth
from interventions.catalog.loading import load_catalog
from interventions.criteria import entry_check
from interventions.models import (
    FidelityObservation,
    Intervention,
    InterventionGroup,
    InterventionPlan,
    InterventionSession,
    PlanPhase,
    ProgressScore,
    SelfRating,
    StudentGoalStatement,
    TierPlacement,
)
from interventions.schedule import WEEKDAYS
from mtss.lib.vocabulary import Domain
from screening import reference_data
from screening import services as screening_services
from screening.models import Measure, ScreeningScore, ScreeningWindow
from students.models import Role

PLAN_SHARE = 0.85  # "most" students at risk get a plan
MAX_DOMAINS = 2
CASELOAD_CAP = 40  # an interventionist's plans; Tier 2 plans beyond go to the class teacher
OVERDUE_SHARE = 0.08  # groups and plans whose data stopped two to three weeks ago
MIN_POINTS, MAX_POINTS = 6, 20
MATH_CODE = "math-comp"  # the screening demo's district math measure
BEHAVIOR_CODE = "daily-points"
SEL_CODE = "dbr-internalizing"

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
GOAL_WORDS = {
    "reading": [
        "Read a chapter book by myself",
        "Read faster so I can finish my library book",
        "Read my sister a bedtime story",
    ],
    "math": ["Know my facts without counting on fingers", "Finish the math warm-up in time"],
    "behavior": ["Earn 80% of my points every day", "Stay in class for the whole lesson"],
    "sel": ["Use my calm-down plan when I feel worried", "Ask a teacher for help when I'm stuck"],
}


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


def _rng(ctx: Any) -> np.random.Generator:
    return np.random.default_rng([ctx.seed, zlib.crc32(b"interventions")])


def _text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return str(value)


def _copy(model: type, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows in text format, formatted here in chunks: psycopg's per-row adaptation
    (write_row) costs about 8 microseconds a row, which is most of the time for a million."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[c]) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        chunk: list[str] = []
        for row in rows:
            chunk.append("\t".join(map(_text, row)))
            if len(chunk) >= 20000:
                copy.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            copy.write("\n".join(chunk) + "\n")


def _copy_lines(model: type, columns: Sequence[str], lines: Iterable[str]) -> None:
    """COPY lines already in text format (tab-separated, no trailing newline)."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[c]) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= 50000:
                copy.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            copy.write("\n".join(chunk) + "\n")


def demo_today(ctx: Any, fall: ScreeningWindow) -> dt.date:
    """Today, kept inside the school year and at least six weeks after the fall window."""
    earliest = fall.end_date + dt.timedelta(weeks=6)
    return min(max(timezone.localdate(), earliest), ctx.year.end_date)


def _progress_measures(ctx: Any) -> dict[str, Measure]:
    district = ctx.district
    orf = Measure.objects.get(district=None, code=reference_data.ORF_CODE)
    math = Measure.objects.filter(district=district, code=MATH_CODE).first()
    behavior = Measure.objects.filter(district=district, code=BEHAVIOR_CODE).first()
    if behavior is None:
        behavior = screening_services.measure_create(
            district=district,
            actor=None,
            code=BEHAVIOR_CODE,
            name="Daily point card (% of points earned)",
            domain="behavior",
            area="behavior",
            purpose="progress",
            unit="percent of points",
            min_score=Decimal("0"),
            max_score=Decimal("100"),
            higher_is_better=True,
            lowest_grade=0,
            highest_grade=12,
            slope_tolerance=Decimal("2.0"),
            instrument="Check-in/Check-out daily progress report",
            description="Share of the points a student earned on the daily card: teachers rate "
            "each school-wide expectation after every period. Weekly average.",
        )
    sel = Measure.objects.filter(district=district, code=SEL_CODE).first()
    if sel is None:
        sel = screening_services.measure_create(
            district=district,
            actor=None,
            code=SEL_CODE,
            name="Direct behavior rating: worried or withdrawn",
            domain="sel",
            area="sel",
            purpose="progress",
            unit="rating 0-10",
            min_score=Decimal("0"),
            max_score=Decimal("10"),
            higher_is_better=False,
            lowest_grade=0,
            highest_grade=12,
            slope_tolerance=Decimal("0.3"),
            instrument="Direct behavior rating (teacher, end of day)",
            description="How much of the day the student seemed worried or withdrawn, 0 (none) "
            "to 10 (all of it); weekly average. Lower is better.",
        )
    result = {"reading": orf, "behavior": behavior, "sel": sel}
    if math is not None:
        result["math"] = math
    return result


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


def _entry_json(plan: _Plan) -> tuple[str, bool]:
    check = entry_check(
        plan.intervention.entry_criteria or {},
        grade=plan.grade,
        risk_level=plan.risk,
        domain_label=Domain(plan.domain).label,
    )
    return json.dumps(check.as_json()), check.met


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


def _dec(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _write(
    ctx: Any,
    plans: list[_Plan],
    groups: list[InterventionGroup],
    today: dt.date,
    rng: np.random.Generator,
) -> None:
    now = timezone.now()
    plan_columns = (
        "student_id",
        "intervention_id",
        "tier",
        "domain",
        "interventionist_id",
        "start_date",
        "status",
        "measure_id",
        "planned_weeks",
        "sessions_per_week",
        "minutes_per_session",
        "group_id",
        "phase_start",
        "baseline",
        "goal",
        "goal_date",
        "end_date",
        "exit_reason",
        "entry_criteria_met",
        "entry_check",
        "entry_override_reason",
        "created_by_id",
        "created_at",
        "updated_at",
    )

    def plan_rows() -> Iterable[tuple]:
        for p in plans:
            check, met = _entry_json(p)
            iv = p.intervention
            current = p.phase2
            yield (
                p.student_id,
                iv.pk,
                p.tier,
                p.domain,
                p.interventionist_id,
                p.start,
                p.status,
                p.measure.pk,
                iv.weeks,
                iv.sessions_per_week,
                iv.minutes_per_session,
                groups[p.group_key[0]].pk if p.group_key else None,
                current[0] if current else p.start,
                _dec(current[1] if current else p.baseline),
                _dec(current[2] if current else p.goal),
                current[3] if current else p.goal_date,
                p.end_date,
                "Goal met on 3 consecutive points" if p.end_date else "",
                met,
                check,
                "" if met else "Placed by the team from the fall screening",
                None,
                now,
                now,
            )

    _copy(InterventionPlan, plan_columns, plan_rows())
    pk_of = {
        (sid, dom): pk
        for pk, sid, dom in InterventionPlan.objects.filter(
            student__district=ctx.district
        ).values_list("pk", "student_id", "domain")
    }
    for p in plans:
        p.pk = pk_of[(p.student_id, p.domain)]

    def phase_rows() -> Iterable[tuple]:
        for p in plans:
            yield (
                p.pk,
                1,
                p.start,
                p.intervention.pk,
                _dec(p.baseline),
                _dec(p.goal),
                p.goal_date,
                "Plan started after the fall screening",
                None,
                now,
            )
            if p.phase2:
                start, base, goal, goal_date = p.phase2
                yield (
                    p.pk,
                    2,
                    start,
                    p.intervention.pk,
                    _dec(base),
                    _dec(goal),
                    goal_date,
                    "Goal raised: growth well above the aim line",
                    None,
                    now,
                )

    _copy(
        PlanPhase,
        (
            "plan_id",
            "number",
            "start_date",
            "intervention_id",
            "baseline",
            "goal",
            "goal_date",
            "reason",
            "created_by_id",
            "created_at",
        ),
        phase_rows(),
    )

    stamp = now.isoformat()

    def score_lines() -> Iterable[str]:
        for p in plans:
            tail = f"\t{p.interventionist_id}\t{stamp}\t{stamp}"
            head = f"{p.pk}\t"
            for day, value in zip(p.dates, p.scores, strict=True):
                yield f"{head}{day.isoformat()}\t{value:.2f}{tail}"

    _copy_lines(
        ProgressScore,
        ("plan_id", "date", "score", "entered_by_id", "entered_at", "updated_at"),
        score_lines(),
    )

    # Sessions on the plan's schedule from its start to its last day (today or its end);
    # members of a group share their days, so the day lists are computed once per group.
    day_lists: dict[tuple, list[str]] = {}

    def scheduled(start: dt.date, last: dt.date, per_week: int) -> list[str]:
        key = (start, last, per_week)
        if key not in day_lists:
            weekdays = WEEKDAYS.get(per_week, ())
            day_lists[key] = [
                (start + dt.timedelta(days=k)).isoformat()
                for k in range((last - start).days + 1)
                if (start + dt.timedelta(days=k)).weekday() in weekdays
            ]
        return day_lists[key]

    def session_lines() -> Iterable[str]:
        for p in plans:
            if p.attendance < 0:
                continue  # never logged: fidelity unknown
            days = scheduled(p.start, p.end_date or today, p.intervention.sessions_per_week or 0)
            present = rng.random(len(days)) < p.attendance
            group_pk = groups[p.group_key[0]].pk if p.group_key else "\\N"
            head = f"{p.pk}\t"
            tail = f"\t{group_pk}\t{p.interventionist_id}\t{stamp}"
            minutes = f"\t{p.intervention.minutes_per_session or 30}\t"
            for day, came in zip(days, present.tolist(), strict=True):
                yield head + day + minutes + ("t" if came else "f") + tail

    _copy_lines(
        InterventionSession,
        ("plan_id", "date", "minutes", "attended", "group_id", "logged_by_id", "created_at"),
        session_lines(),
    )

    def placement_rows() -> Iterable[tuple]:
        for p in plans:
            yield (
                p.student_id,
                p.domain,
                p.tier,
                p.start,
                p.end_date,
                p.pk,
                None,
                f"Started {p.intervention.name} (Tier {p.tier}) after the fall screening.",
                now,
            )
            if p.end_date:
                yield (
                    p.student_id,
                    p.domain,
                    1,
                    p.end_date,
                    None,
                    p.pk,
                    None,
                    f"{p.intervention.name} completed: goal met.",
                    now,
                )

    _copy(
        TierPlacement,
        (
            "student_id",
            "domain",
            "tier",
            "start_date",
            "end_date",
            "plan_id",
            "decided_by_id",
            "decision_note",
            "created_at",
        ),
        placement_rows(),
    )

    # Student ownership and fidelity observations for some plans.
    statements, ratings, observations = [], [], []
    for p in plans:
        if rng.random() < 0.3:
            words = GOAL_WORDS[p.domain]
            text = words[int(rng.integers(0, len(words)))]
            statements.append((p.pk, p.dates[0], text, p.interventionist_id, now))
            levels = np.clip(rng.normal(3.4, 0.9, size=len(p.dates[1::2])), 1, 5).round()
            for day, level in zip(p.dates[1::2], levels.tolist(), strict=True):
                ratings.append((p.pk, day, int(level), "", p.interventionist_id, now))
        checklist = list(p.intervention.fidelity_checklist or [])
        if checklist and rng.random() < 0.2:
            done = (rng.random(len(checklist)) < max(p.attendance, 0.6)).tolist()
            answers = [{"item": i, "done": a} for i, a in zip(checklist, done, strict=True)]
            percent = (Decimal(100 * sum(done)) / len(checklist)).quantize(Decimal("0.01"))
            observations.append(
                (
                    p.pk,
                    p.dates[len(p.dates) // 2],
                    None,
                    json.dumps(answers),
                    percent,
                    "Observed by the school's MTSS coach.",
                    now,
                )
            )
    _copy(
        StudentGoalStatement,
        ("plan_id", "date", "text", "recorded_by_id", "created_at"),
        statements,
    )
    _copy(
        SelfRating,
        ("plan_id", "date", "rating", "note", "recorded_by_id", "created_at"),
        ratings,
    )
    _copy(
        FidelityObservation,
        ("plan_id", "date", "observer_id", "answers", "percentage", "notes", "created_at"),
        observations,
    )
    # The dashboards read each plan's stored progress figures.
    progress_summary.refresh(district_id=ctx.district.pk)
