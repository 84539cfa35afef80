"""Reads of the interventions app, with the access check built in.

Every plan read starts from `students_visible_to(user)`: a plan is visible exactly when its
student is. `plan_views` turns plans into what the pages and the API show (phases, points,
sessions, the analysis of interventions/analysis.py) in a constant number of queries,
whatever the number of plans and points.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from decisions.thresholds import DEFAULT_THRESHOLDS, Thresholds
from interventions.analysis.facts import (
    Analysis,
    PlanFacts,
    ProgressPoint,
    Recommendation,
    SessionLog,
)
from interventions.analysis.rules import analyze_plan, points_needed
from interventions.explain import explain_analysis
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
from interventions.schedule import next_session_day
from students.models import Student, User
from students.selectors import memberships_of, students_visible_to

OVERDUE_DAYS_DEFAULT = 14


def overdue_days() -> int:
    """A plan with no progress point for this many days is overdue for data (a setting)."""
    return int(getattr(settings, "PROGRESS_OVERDUE_DAYS", OVERDUE_DAYS_DEFAULT))


# -- catalog -------------------------------------------------------------------------------


def district_ids_of(user: User) -> set[int]:
    return {m.district_id for m in memberships_of(user)}


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    """The shared catalog plus the user's districts' own entries."""
    qs = Intervention.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(Q(district__isnull=True) | Q(district_id__in=district_ids_of(user)))


# -- plans ---------------------------------------------------------------------------------


def plans_visible_to(user: User) -> QuerySet[InterventionPlan]:
    """Plans of the students the user may see."""
    return InterventionPlan.objects.filter(student__in=students_visible_to(user))


PLAN_RELATED = (
    "student",
    "student__school",
    "intervention",
    "measure",
    "interventionist",
    "group",
)


def plan_get_for_user(*, user: User, pk: int) -> InterventionPlan:
    """The plan if the user may see its student, else 404."""
    return get_object_or_404(plans_visible_to(user).select_related(*PLAN_RELATED), pk=pk)


def groups_of(user: User) -> QuerySet[InterventionGroup]:
    return InterventionGroup.objects.filter(interventionist=user, active=True).select_related(
        "school"
    )


def group_get_for_user(*, user: User, pk: int) -> InterventionGroup:
    """A group the user teaches, or one at a school whose plans they manage; else 404."""
    from interventions.services.permissions import may_manage_plans

    group = get_object_or_404(
        InterventionGroup.objects.select_related("school", "interventionist"), pk=pk
    )
    if group.interventionist_id == user.pk or may_manage_plans(
        user, school_id=group.school_id, district_id=group.school.district_id
    ):
        return group
    from django.http import Http404

    raise Http404("No such group among yours.")


def group_plans(*, user: User, group: InterventionGroup) -> list[InterventionPlan]:
    """The group's active plans whose students the user may see, by student name."""
    return list(
        plans_visible_to(user)
        .filter(group=group, status=InterventionPlan.Status.ACTIVE)
        .select_related(*PLAN_RELATED)
        .order_by("student__last_name", "student__first_name", "pk")
    )


# -- the analysis of many plans at once ---------------------------------------------------


@dataclass
class PlanView:
    """One plan with everything its page, the caseload and the API show."""

    plan: InterventionPlan
    phases: list[PlanPhase]
    points: list[ProgressScore]
    sessions: list[InterventionSession]
    thresholds: Thresholds
    benchmark: float | None = None
    season: str | None = None
    analysis: Analysis | None = None
    facts: PlanFacts | None = None
    as_of: dt.date | None = None

    @property
    def phase_start(self) -> dt.date:
        return self.plan.current_phase_start

    @property
    def phase_points(self) -> list[ProgressScore]:
        return [p for p in self.points if p.date >= self.phase_start]

    @property
    def latest_point(self) -> ProgressScore | None:
        return self.points[-1] if self.points else None

    @property
    def points_needed(self) -> int:
        return points_needed(self.analysis) if self.analysis else 0

    @property
    def explanation(self) -> str:
        if self.analysis is None:
            return "No analysis: the plan needs a progress measure, a goal and a goal date."
        unit = _short_unit(self.plan.measure.unit if self.plan.measure else "")
        return explain_analysis(self.analysis, unit=unit)

    @property
    def recommendation_waiting(self) -> bool:
        """The rules ask the team to act (anything but continue / not enough data)."""
        return self.analysis is not None and self.analysis.recommendation not in (
            Recommendation.CONTINUE,
            Recommendation.INSUFFICIENT_DATA,
        )

    @property
    def days_since_point(self) -> int | None:
        if self.as_of is None:
            return None
        last = self.latest_point.date if self.latest_point else None
        return (self.as_of - (last or self.plan.start_date)).days

    @property
    def overdue(self) -> bool:
        """No point for the overdue span (counted from the start while there is none)."""
        days = self.days_since_point
        return days is not None and days >= overdue_days()

    @property
    def next_session(self) -> dt.date | None:
        if self.as_of is None:
            return None
        return next_session_day(
            self.as_of, self.plan.sessions_per_week, {s.date for s in self.sessions}
        )

    @property
    def sessions_in_phase(self) -> list[InterventionSession]:
        return [s for s in self.sessions if s.date >= self.phase_start]


def _short_unit(unit: str) -> str:
    """'words correct per minute' -> 'words': the unit word explain.py puts before '/week'."""
    return unit.split()[0] if unit else ""


def _season_by_district(district_ids: set[int], as_of: dt.date) -> dict[int, str]:
    """The screening season under way on `as_of` per district (the latest window started in
    the current school year; fall before the first window)."""
    from screening.models import ScreeningWindow

    seasons: dict[int, str] = {}
    rows = (
        ScreeningWindow.objects.filter(
            school_year__district_id__in=district_ids,
            school_year__is_current=True,
            start_date__lte=as_of,
        )
        .order_by("school_year__district_id", "-start_date")
        .values_list("school_year__district_id", "season")
    )
    for district_id, season in rows:
        seasons.setdefault(district_id, season)
    return {d: seasons.get(d, "fall") for d in district_ids}


def _benchmarks(
    plans: Sequence[InterventionPlan], seasons: dict[int, str]
) -> dict[int, float | None]:
    """Each plan's progress measure benchmark for the student's grade this season: the
    district's active cut-score set for the measure, else the active reference set."""
    from screening.models import CutScore, CutScoreSet

    measure_ids = {p.measure_id for p in plans if p.measure_id}
    if not measure_ids:
        return {}
    district_ids = {p.student.district_id for p in plans}
    sets = list(
        CutScoreSet.objects.filter(measure_id__in=measure_ids, is_active=True)
        .filter(Q(district_id__in=district_ids) | Q(district__isnull=True))
        .values_list("pk", "measure_id", "district_id")
    )
    chosen: dict[tuple[int, int], int] = {}
    for pk, measure_id, district_id in sets:
        if district_id is None:
            for d in district_ids:
                chosen.setdefault((d, measure_id), pk)
    for pk, measure_id, district_id in sets:
        if district_id is not None:
            chosen[(district_id, measure_id)] = pk  # the district's own set wins
    rows = {
        (set_id, grade, season): benchmark
        for set_id, grade, season, benchmark in CutScore.objects.filter(
            cut_score_set_id__in=set(chosen.values()),
            grade__in={p.student.grade for p in plans},
            season__in=set(seasons.values()),
        ).values_list("cut_score_set_id", "grade", "season", "benchmark")
    }
    result: dict[int, float | None] = {}
    for p in plans:
        set_id = chosen.get((p.student.district_id, p.measure_id))
        value = rows.get((set_id, p.student.grade, seasons.get(p.student.district_id)))
        result[p.pk] = float(value) if value is not None else None
    return result


def _thresholds_by_district(district_ids: set[int]) -> dict[int, Thresholds]:
    from decisions.models import RuleSet

    found = {
        rs.district_id: rs.as_thresholds()
        for rs in RuleSet.objects.filter(district_id__in=district_ids, is_active=True)
    }
    return {d: found.get(d, DEFAULT_THRESHOLDS) for d in district_ids}


def facts_of(
    plan: InterventionPlan,
    *,
    sessions: Sequence[InterventionSession],
    benchmark: float | None,
    as_of: dt.date,
) -> PlanFacts | None:
    """The rules' view of a plan's current phase; None when it has no goal or measure."""
    if plan.measure is None or plan.goal is None or plan.goal_date is None:
        return None
    return PlanFacts(
        phase_start=plan.current_phase_start,
        goal=float(plan.goal),
        goal_date=plan.goal_date,
        as_of=as_of,
        baseline=float(plan.baseline) if plan.baseline is not None else None,
        higher_is_better=plan.measure.higher_is_better,
        tier=plan.tier,
        tolerance=float(plan.measure.slope_tolerance),
        sessions_per_week=plan.sessions_per_week,
        sessions=tuple(SessionLog(s.date, s.attended) for s in sessions),
        benchmark=benchmark,
    )


def plan_views(plans: Sequence[InterventionPlan], *, as_of: dt.date) -> dict[int, PlanView]:
    """Phases, points, sessions and analysis of each plan: seven queries however many.

    `plans` must carry their student and measure (select_related(*PLAN_RELATED)).
    """
    plans = list(plans)
    if not plans:
        return {}
    ids = [p.pk for p in plans]
    phases: dict[int, list[PlanPhase]] = defaultdict(list)
    for phase in PlanPhase.objects.filter(plan_id__in=ids).select_related("intervention"):
        phases[phase.plan_id].append(phase)
    points: dict[int, list[ProgressScore]] = defaultdict(list)
    for point in ProgressScore.objects.filter(plan_id__in=ids).order_by("date", "pk"):
        points[point.plan_id].append(point)
    sessions: dict[int, list[InterventionSession]] = defaultdict(list)
    for session in InterventionSession.objects.filter(plan_id__in=ids).order_by("date", "pk"):
        sessions[session.plan_id].append(session)
    district_ids = {p.student.district_id for p in plans}
    seasons = _season_by_district(district_ids, as_of)
    benchmarks = _benchmarks(plans, seasons)
    thresholds = _thresholds_by_district(district_ids)

    views: dict[int, PlanView] = {}
    for plan in plans:
        view = PlanView(
            plan=plan,
            phases=sorted(phases[plan.pk], key=lambda ph: ph.number),
            points=points[plan.pk],
            sessions=sessions[plan.pk],
            thresholds=thresholds[plan.student.district_id],
            benchmark=benchmarks.get(plan.pk),
            season=seasons.get(plan.student.district_id),
            as_of=as_of,
        )
        view.facts = facts_of(plan, sessions=view.sessions, benchmark=view.benchmark, as_of=as_of)
        if view.facts is not None:
            view.analysis = analyze_plan(
                view.facts,
                [ProgressPoint(p.date, float(p.score)) for p in view.points],
                thresholds=view.thresholds,
            )
        views[plan.pk] = view
    return views


def plan_view(plan: InterventionPlan, *, as_of: dt.date) -> PlanView:
    return plan_views([plan], as_of=as_of)[plan.pk]


@dataclass
class PlanRecord:
    """The plan page's extra lists."""

    observations: list[FidelityObservation] = field(default_factory=list)
    goal_statements: list[StudentGoalStatement] = field(default_factory=list)
    self_ratings: list[SelfRating] = field(default_factory=list)


def plan_record(plan: InterventionPlan) -> PlanRecord:
    return PlanRecord(
        observations=list(FidelityObservation.objects.filter(plan=plan).select_related("observer")),
        goal_statements=list(StudentGoalStatement.objects.filter(plan=plan)),
        self_ratings=list(SelfRating.objects.filter(plan=plan).order_by("date", "pk")),
    )


# -- caseload ------------------------------------------------------------------------------


@dataclass
class Caseload:
    views: list[PlanView]
    groups: list[InterventionGroup]

    @property
    def waiting(self) -> list[PlanView]:
        return [v for v in self.views if v.recommendation_waiting]

    @property
    def overdue(self) -> list[PlanView]:
        return [v for v in self.views if v.overdue]

    @property
    def next_sessions(self) -> list[dict[str, Any]]:
        """The next session of each group (once, with its students) and of each individual
        plan, soonest first."""
        entries: dict[Any, dict[str, Any]] = {}
        for view in self.views:
            day = view.next_session
            if day is None:
                continue
            plan = view.plan
            key = ("group", plan.group_id) if plan.group_id else ("plan", plan.pk)
            entry = entries.get(key)
            if entry is None or day < entry["day"]:
                entries[key] = entry = {
                    "day": day,
                    "group": plan.group,
                    "plan": plan,
                    "students": [],
                    "minutes": plan.minutes_per_session,
                }
            entry["students"].append(plan.student)
        return sorted(entries.values(), key=lambda e: (e["day"], e["plan"].student.last_name))

    @property
    def upcoming(self) -> list[PlanView]:
        """Plans by their next session day (plans with no schedule last)."""
        far = dt.date.max
        return sorted(
            self.views,
            key=lambda v: (v.next_session or far, v.plan.group_id or 0, v.plan.student.last_name),
        )


def caseload_plans(user: User) -> QuerySet[InterventionPlan]:
    """The user's active plans (the ones they deliver), scoped like every plan read."""
    return (
        plans_visible_to(user)
        .filter(interventionist=user, status=InterventionPlan.Status.ACTIVE)
        .select_related(*PLAN_RELATED)
        .order_by("student__last_name", "student__first_name", "pk")
    )


def caseload(user: User, *, as_of: dt.date) -> Caseload:
    plans = list(caseload_plans(user))
    views = plan_views(plans, as_of=as_of)
    return Caseload(views=[views[p.pk] for p in plans], groups=list(groups_of(user)))


# -- tier history --------------------------------------------------------------------------


def tier_history(*, student: Student) -> list[TierPlacement]:
    """Every placement of the student, newest first per domain (student already scoped)."""
    return list(
        TierPlacement.objects.filter(student=student)
        .select_related("decided_by", "plan", "plan__intervention")
        .order_by("domain", "-start_date", "-pk")
    )


def current_tiers(*, student: Student) -> dict[str, int]:
    """Domain -> current tier (domains with no placement are Tier 1 and are left out)."""
    return dict(
        TierPlacement.objects.filter(student=student, end_date__isnull=True).values_list(
            "domain", "tier"
        )
    )


def student_plans(*, user: User, student: Student) -> list[InterventionPlan]:
    """The student's plans for the profile card: active first, then the most recent."""
    return sorted(
        plans_visible_to(user).filter(student=student).select_related(*PLAN_RELATED),
        key=lambda p: (p.status != InterventionPlan.Status.ACTIVE, -p.start_date.toordinal()),
    )


def score_number(value: Decimal | float | None) -> str:
    """42.00 -> '42', 42.50 -> '42.5' (for pages)."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def progress_rows(view: PlanView) -> list[dict[str, Any]]:
    """The data table beneath the graph: every point with its phase and the aim-line value."""
    from interventions.analysis.lines import aim_value_at

    phases = view.phases
    rows = []
    for point in view.points:
        phase = next((ph for ph in reversed(phases) if ph.start_date <= point.date), None)
        aim = None
        if (
            view.analysis is not None
            and phase is not None
            and phase.number == (phases[-1].number if phases else None)
        ):
            baseline = view.analysis.evidence.get("baseline")
            if baseline is not None:
                aim = aim_value_at(
                    point.date,
                    phase_start=view.phase_start,
                    baseline=baseline,
                    goal=float(view.plan.goal),
                    goal_date=view.plan.goal_date,
                )
        rows.append(
            {
                "date": point.date,
                "score": point.score,
                "phase": phase.number if phase else None,
                "aim": aim,
                "week": round((point.date - view.phase_start).days / 7, 1)
                if point.date >= view.phase_start
                else None,
            }
        )
    return rows
