"""The teacher's class view on the home page (a students.slots.HOME_SECTIONS entry).

For each class a teacher teaches this school year: the screening results of the current
window with their risk levels and the change since the last window, who is flagged and why,
who is already on a plan and how it is going (the plan analysis's reconciled
recommendation), who is still missing a screening, and the class's Tier 1 health (share at
benchmark, classwide problem).

It lives in decisions because it reads flags and plans; the roster's home page only includes
its template. Every read is set-based and scoped: the students are the class lists' active
enrollments filtered through `students_visible_to`, flags through `flags_visible_to`, plans
through `plans_visible_to`. A fixed number of queries whatever the number of classes and
students (pinned in tests/decisions/test_class_view.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from decisions.class_summary import Health, MeasureInfo, Result, ScoreRow, summarize
from decisions.models import LIVE_STATUSES, Flag, FlagKind
from decisions.selectors import flags_visible_to
from decisions.views import why
from interventions.models import InterventionPlan
from interventions.selectors import PLAN_RELATED, PlanView, plan_views, plans_visible_to
from screening.models import Measure, ScreeningScore, ScreeningWindow
from students import slots
from students.models import Enrollment, Role, Section, Student, User
from students.selectors import students_visible_to


@dataclass
class FlagLine:
    student: Student | None  # None on a classwide flag
    flag: Flag
    why: str


@dataclass
class PlanLine:
    student: Student
    plan: InterventionPlan
    status: str
    explanation: str
    waiting: bool


@dataclass
class ClassView:
    section: Section
    window: ScreeningWindow | None
    previous_window: ScreeningWindow | None
    students: list[Student]
    results: dict[int, list[Result]] = field(default_factory=dict)
    health: list[Health] = field(default_factory=list)
    flags: list[FlagLine] = field(default_factory=list)
    plans: list[PlanLine] = field(default_factory=list)
    classwide: list[FlagLine] = field(default_factory=list)
    entry_measure_id: int | None = None
    # (slot entry, its data for this class) of the apps that add a panel (CLASS_PANELS).
    panels: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[Student, list[Result]]]:
        return [(s, self.results.get(s.pk, [])) for s in self.students]

    @property
    def missing(self) -> list[tuple[MeasureInfo, list[Student]]]:
        by_id = {s.pk: s for s in self.students}
        return [(h.measure, [by_id[i] for i in h.missing]) for h in self.health if h.missing]

    @property
    def screened_this_window(self) -> bool:
        return any(h.scored for h in self.health)

    @property
    def has_scores(self) -> bool:
        return any(h.scored for h in self.health) or any(
            r.previous for rows in self.results.values() for r in rows
        )


def _windows(year_ids: set[int], today: dt.date) -> dict[int, tuple[Any, Any]]:
    """Per school year: (current window, the one before it). The current window is the open
    one, else the latest already started; None before the first window."""
    by_year: dict[int, list[ScreeningWindow]] = defaultdict(list)
    # With the year: a window's name (its __str__) names it, and the page prints each.
    for w in (
        ScreeningWindow.objects.filter(school_year_id__in=year_ids)
        .select_related("school_year")
        .order_by("start_date", "pk")
    ):
        by_year[w.school_year_id].append(w)
    chosen: dict[int, tuple[Any, Any]] = {}
    for year_id, windows in by_year.items():
        open_ = [w for w in windows if w.is_open]
        started = [w for w in windows if w.start_date <= today]
        current = open_[-1] if open_ else (started[-1] if started else None)
        before = [w for w in windows if current and w.start_date < current.start_date]
        chosen[year_id] = (current, before[-1] if before else None)
    return chosen


def teacher_classes(*, user: User, today: dt.date | None = None) -> list[ClassView]:
    """The class views of the user's current sections (see the module docstring)."""
    today = today or timezone.localdate()
    sections = list(
        Section.objects.filter(teachers=user, active=True, school_year__is_current=True)
        .select_related("school", "school_year")
        .order_by("school__name", "name", "pk")
    )
    if not sections:
        return []
    enrollments = (
        Enrollment.objects.filter(
            section__in=[s.pk for s in sections],
            active=True,
            student__active=True,
            student__in=students_visible_to(user).values("pk"),
        )
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student_id")
    )
    members: dict[int, list[Student]] = defaultdict(list)
    for e in enrollments:
        members[e.section_id].append(e.student)
    student_ids = {s.pk for group in members.values() for s in group}
    windows = _windows({s.school_year_id for s in sections}, today)
    window_ids = {w.pk for pair in windows.values() for w in pair if w is not None}

    # Plain rows, not model instances: a class of 25 has ~100 scores, each with its measure.
    scores = list(
        ScreeningScore.objects.filter(
            student_id__in=student_ids,
            window_id__in=window_ids,
            measure__purpose__in=[Measure.Purpose.SCREENING, Measure.Purpose.BOTH],
        )
        .order_by()
        .values_list(
            "student_id",
            "measure_id",
            "window_id",
            "score",
            "risk_level",
            "measure__name",
            "measure__higher_is_better",
            "measure__lowest_grade",
            "measure__highest_grade",
        )
    )
    measures = {s[1]: MeasureInfo(s[1], *s[5:]) for s in scores}
    rows = [ScoreRow(*s[:5]) for s in scores]
    flags = list(
        flags_visible_to(user)
        .filter(status__in=LIVE_STATUSES)
        .filter(Q(student_id__in=student_ids) | Q(section__in=[s.pk for s in sections]))
        .select_related("measure")
        .order_by("-recommended_tier", "-created_at", "-id")
    )
    plans = list(
        plans_visible_to(user)
        .filter(student_id__in=student_ids, status=InterventionPlan.Status.ACTIVE)
        .select_related(*PLAN_RELATED)
        .order_by("student__last_name", "student__first_name", "pk")
    )
    views = plan_views(plans, as_of=today)

    result = []
    for section in sections:
        current, previous = windows.get(section.school_year_id, (None, None))
        students = members.get(section.pk, [])
        ids = {s.pk for s in students}
        view = ClassView(section, current, previous, students)
        view.results, view.health = summarize(
            students=[(s.pk, s.grade) for s in students],
            scores=[r for r in rows if r.student_id in ids],
            measures=measures,
            current_window_id=current.pk if current else None,
            previous_window_id=previous.pk if previous else None,
        )
        by_id = {s.pk: s for s in students}
        view.flags = [
            FlagLine(by_id[f.student_id], f, why(f)) for f in flags if f.student_id in ids
        ]
        view.classwide = [
            FlagLine(None, f, why(f))
            for f in flags
            if f.student_id is None and f.section_id == section.pk and f.kind == FlagKind.CLASSWIDE
        ]
        view.plans = [
            _plan_line(by_id[p.student_id], views[p.pk]) for p in plans if p.student_id in ids
        ]
        view.entry_measure_id = view.health[0].measure.pk if view.health else None
        result.append(view)
    return result


def _plan_line(student: Student, view: PlanView) -> PlanLine:
    """How the plan is going: the reconciled recommendation (one per plan, the same words as
    the plan page, the caseload and the meeting card) and its reasons."""
    reconciled = view.reconciled
    return PlanLine(
        student=student,
        plan=view.plan,
        status=reconciled.label,
        explanation=" ".join(reconciled.reasons),
        waiting=reconciled.key not in ("continue", "insufficient_data", "none"),
    )


def home_classes(*, user: User, roles: set[str]) -> dict[str, Any]:
    """The home section's data: the class views and the students they name (for the record
    of access)."""
    classes = teacher_classes(user=user)
    _add_panels(classes, user=user)
    return {
        "classes": classes,
        "students_shown": sorted({s.pk for c in classes for s in c.students}),
    }


def _add_panels(classes: list[ClassView], *, user: User) -> None:
    """What the apps above add to each class (students.slots.CLASS_PANELS), each collected for
    all the classes at once."""
    for entry in slots.CLASS_PANELS:
        data = entry.collect(user=user, classes=classes)
        for c in classes:
            c.panels.append((entry, data.get(c.section.pk)))


def for_teachers(user: User, roles: set[str]) -> bool:
    return Role.TEACHER in roles
