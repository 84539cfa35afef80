"""Plans with their phases, points, sessions and analysis, read for many plans at once.

`plan_views` turns plans into what the pages and the API show in a constant number of
queries, whatever the number of plans and points.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery

from interventions.analysis.cico import WINDOW_DAYS, CicoJudgement, cico_judgement, is_cico
from interventions.analysis.facts import (
    Analysis,
    PlanFacts,
    ProgressPoint,
    Recommendation,
    SessionLog,
)
from interventions.analysis.growth import GrowthNorm, norm_for
from interventions.analysis.reconcile import Reconciled, reconcile
from interventions.analysis.rules import analyze_plan, points_needed
from interventions.explain import explain_analysis
from interventions.models import (
    CicoCard,
    CicoSetup,
    InterventionPlan,
    InterventionSession,
    PlanPhase,
    ProgressScore,
)
from interventions.rule_settings import thresholds_by_district
from interventions.schedule import next_session_day
from interventions.selectors.rule_inputs import (
    exit_criteria_values,
    growth_norm_table,
    screening_at_benchmark,
)
from mtss.lib.thresholds import Thresholds

OVERDUE_DAYS_DEFAULT = 14


class LoggedSession(NamedTuple):
    """One logged session as the pages and the rules read it. Read as tuples, not model
    instances: a caseload holds some 1,500 sessions, and building their instances was a
    third of the page's Python time."""

    date: dt.date
    minutes: int
    attended: bool


def overdue_days() -> int:
    """A plan with no progress point for this many days is overdue for data (a setting)."""
    return int(getattr(settings, "PROGRESS_OVERDUE_DAYS", OVERDUE_DAYS_DEFAULT))


@dataclass
class PlanView:
    """One plan with everything its page, the caseload and the API show."""

    plan: InterventionPlan
    phases: list[PlanPhase]
    points: list[ProgressScore]
    sessions: list[LoggedSession]
    thresholds: Thresholds
    benchmark: float | None = None
    season: str | None = None
    analysis: Analysis | None = None
    facts: PlanFacts | None = None
    as_of: dt.date | None = None
    # Words for the live screening/referral flags this plan already serves (set by callers
    # that read them, the meeting card): reasons of the reconciled recommendation.
    served_flags: tuple[str, ...] = ()
    # A CICO plan's judgement over its point cards (None for other plans): it takes part in
    # the reconciled recommendation.
    cico: CicoJudgement | None = None

    @property
    def reconciled(self) -> Reconciled:
        """One recommendation with its reasons (interventions.analysis.reconcile)."""
        a = self.analysis
        if a is None:
            return reconcile(
                recommendation="",
                before_gate=None,
                dual_discrepancy=False,
                fidelity=None,
                fidelity_minimum=float(self.thresholds.fidelity_minimum),
                points=len(self.phase_points),
            )
        return reconcile(
            recommendation=a.recommendation,
            before_gate=a.evidence.get("recommendation_before_fidelity_gate"),
            dual_discrepancy=a.dual_discrepancy,
            fidelity=a.fidelity,
            fidelity_minimum=float(self.thresholds.fidelity_minimum),
            points=a.points,
            min_points=int(self.thresholds.min_points_data_point),
            served_flags=self.served_flags,
            cico=self.cico.recommendation if self.cico else None,
            cico_sentence=self.cico.sentence() if self.cico else "",
        )

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
    def sessions_in_phase(self) -> list[LoggedSession]:
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


def facts_of(
    plan: InterventionPlan,
    *,
    sessions: Sequence[LoggedSession | InterventionSession],
    benchmark: float | None,
    as_of: dt.date,
    screening_at_benchmark: bool | None = None,
    growth_norm: GrowthNorm | None = None,
) -> PlanFacts | None:
    """The rules' view of a plan's current phase; None when it has no goal or measure."""
    if plan.measure is None or plan.goal is None or plan.goal_date is None:
        return None
    exit_points, exit_at_screening = exit_criteria_values(plan.intervention.exit_criteria)
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
        exit_goal_met_points=exit_points,
        exit_at_benchmark_screening=exit_at_screening,
        screening_at_benchmark=screening_at_benchmark,
        growth_norm=growth_norm,
    )


def _cico_judgements(
    plans: Sequence[InterventionPlan], *, as_of: dt.date
) -> dict[int, CicoJudgement]:
    """The CICO rule for each CICO plan over its last two weeks of cards: one query, none
    when no plan is a CICO plan. The goal is the school's (CicoSetup), 80% without one."""

    ids = [p.pk for p in plans if is_cico(p.intervention.name)]
    if not ids:
        return {}
    goal = CicoSetup.objects.filter(school_id=OuterRef("plan__student__school_id"))
    rows = (
        CicoCard.objects.filter(
            plan_id__in=ids, date__gt=as_of - dt.timedelta(days=WINDOW_DAYS), date__lte=as_of
        )
        .annotate(goal=Subquery(goal.values("goal_percent")[:1]))
        .values_list("plan_id", "date", "percent", "goal")
    )
    cards: dict[int, list] = {pk: [] for pk in ids}
    goals: dict[int, int] = {}
    for plan_id, day, percent, goal_percent in rows:
        cards[plan_id].append((day, percent))
        goals[plan_id] = goal_percent or 80
    return {
        pk: cico_judgement(days, as_of=as_of, goal_percent=goals.get(pk, 80))
        for pk, days in cards.items()
    }


def plan_views(plans: Sequence[InterventionPlan], *, as_of: dt.date) -> dict[int, PlanView]:
    """Phases, points, sessions and analysis of each plan: nine queries however many (one
    more per further district for its growth norms, one more when a plan is a CICO plan).

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
    sessions: dict[int, list[LoggedSession]] = defaultdict(list)
    for plan_id, *row in (
        InterventionSession.objects.filter(plan_id__in=ids)
        .order_by("date", "pk")
        .values_list("plan_id", "date", "minutes", "attended")
    ):
        sessions[plan_id].append(LoggedSession(*row))
    district_ids = {p.student.district_id for p in plans}
    seasons = _season_by_district(district_ids, as_of)
    benchmarks = _benchmarks(plans, seasons)
    thresholds = thresholds_by_district(district_ids)
    at_benchmark = screening_at_benchmark(ids, as_of=as_of)
    # Only the rows these plans look up (norm_for below: the plan's measure, the grade).
    norms = {
        d: growth_norm_table(
            district_id=d,
            as_of=as_of,
            percentile=thresholds[d].dual_discrepancy_growth_percentile,
            measure_ids={
                p.measure_id
                for p in plans
                if p.student.district_id == d and p.measure_id is not None
            },
            grades={p.student.grade for p in plans if p.student.district_id == d},
        )
        for d in district_ids
    }
    cico = _cico_judgements(plans, as_of=as_of)

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
            cico=cico.get(plan.pk),
        )
        view.facts = facts_of(
            plan,
            sessions=view.sessions,
            benchmark=view.benchmark,
            as_of=as_of,
            screening_at_benchmark=at_benchmark.get(plan.pk),
            growth_norm=norm_for(
                norms[plan.student.district_id],
                measure_id=plan.measure_id,
                grade=plan.student.grade,
            ),
        )
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
