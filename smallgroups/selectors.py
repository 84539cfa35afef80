"""Reads for the small-groups page, scoped like the class view (decisions.class_view): the
section must be the user's own class or at a school whose team they are on (else 404), and
its students are the active enrollments filtered through `students_visible_to`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from decisions.class_view import _windows as current_windows
from mtss.lib.vocabulary import skill_of
from screening.models import Measure, ScreeningScore, ScreeningWindow
from smallgroups.models import GroupSet, SkillResource
from smallgroups.proposals import MeasureRef, Result
from students import access
from students.models import Enrollment, Section, Student, User
from students.selectors import students_visible_to


def sections_visible_to(user: User):
    """Classes whose small groups the user may see and keep: those they teach, and every class
    of a school whose team they are on (district administrators: their district's)."""
    if not user.is_authenticated or not user.is_active:
        return Section.objects.none()
    if user.is_superuser:
        return Section.objects.all()
    return Section.objects.filter(
        Q(teachers=user) | access.school_wide_condition(user, "school_id", "school__district_id")
    ).distinct()


def section_get_for_user(*, user: User, pk: int) -> Section:
    """The class if the user may see it, else 404 (never reveal that the id exists)."""
    return get_object_or_404(
        sections_visible_to(user).select_related("school", "school_year"), pk=pk
    )


@dataclass
class ClassScores:
    section: Section
    window: ScreeningWindow | None
    students: list[Student]
    measures: list[MeasureRef] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    @property
    def student_ids(self) -> list[int]:
        return [s.pk for s in self.students]


def class_scores(*, user: User, section: Section, today: dt.date | None = None) -> ClassScores:
    """The class's students and their screening results in the current window (the open one,
    else the latest started), in three queries."""
    today = today or timezone.localdate()
    window, _ = current_windows({section.school_year_id}, today).get(
        section.school_year_id, (None, None)
    )
    students = [
        e.student
        for e in Enrollment.objects.filter(
            section=section,
            active=True,
            student__active=True,
            student__in=students_visible_to(user).values("pk"),
        )
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student_id")
    ]
    data = ClassScores(section, window, students)
    if window is None or not students:
        return data
    scores = (
        ScreeningScore.objects.filter(
            student_id__in=data.student_ids,
            window=window,
            measure__purpose__in=[Measure.Purpose.SCREENING, Measure.Purpose.BOTH],
        )
        .select_related("measure")
        .order_by("measure__name", "measure_id")
    )
    measures: dict[int, MeasureRef] = {}
    for s in scores:
        m = s.measure
        measures.setdefault(
            m.pk, MeasureRef(m.pk, m.name, skill_of(m.skill, m.domain), m.higher_is_better)
        )
        data.results.append(Result(s.student_id, m.pk, float(s.score), s.risk_level or ""))
    data.measures = list(measures.values())
    return data


def latest_group_set(section: Section) -> GroupSet | None:
    """The groups kept most recently for the class (the latest window's), with their members
    and resources."""
    return (
        GroupSet.objects.filter(section=section)
        .select_related("window__school_year", "kept_by")
        .prefetch_related("groups__members__student", "groups__resources")
        .order_by("-window__start_date", "-pk")
        .first()
    )


def resources_for(*, section: Section, grades: list[int]) -> list[SkillResource]:
    """The district's active resources whose grade band meets the class's grades."""
    qs = SkillResource.objects.filter(district_id=section.school.district_id, active=True)
    if grades:
        qs = qs.filter(lowest_grade__lte=max(grades), highest_grade__gte=min(grades))
    return list(qs.order_by("skill", "title", "pk"))
