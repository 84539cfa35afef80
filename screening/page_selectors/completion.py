"""Screening completion per school and per class: enrolled, scored, and scored by risk level."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery

from screening.models.measures import Measure
from screening.models.scores import ScreeningScore
from screening.models.windows import ScreeningWindow
from screening.page_selectors.sections import school_wide_condition
from screening.services.school_windows import Days, SchoolDays
from students import access
from students.models import Enrollment, School, Section, Student, User
from students.selectors import schools_visible_to


@dataclass(frozen=True)
class CompletionLine:
    school_id: int
    school_name: str
    section_id: int | None
    section_name: str
    enrolled: int
    scored: int
    at_or_above: int
    some_risk: int
    high_risk: int
    can_list_missing: bool
    days: Days | None = None  # when the line's school screens (its own dates or the district's)
    today: dt.date | None = None

    @property
    def not_started(self) -> bool:
        """The school's screening has not begun: its missing scores are not late yet."""
        return bool(self.days and self.today and self.today < self.days.start_date)

    @property
    def missing(self) -> int:
        return self.enrolled - self.scored

    @property
    def no_rule(self) -> int:
        """Scored, but no cut score applied (a grade or season without one)."""
        return self.scored - self.at_or_above - self.some_risk - self.high_risk

    @property
    def percent(self) -> int | None:
        """Percent screened, rounded half up; None ("no data") when nobody is enrolled."""
        if not self.enrolled:
            return None
        return (200 * self.scored + self.enrolled) // (2 * self.enrolled)


def _completion_counts() -> dict:
    return {
        "enrolled": Count("pk"),
        "scored": Count("pk", filter=Q(has_score=True)),
        "at_or_above": Count("pk", filter=Q(risk="at_or_above")),
        "some_risk": Count("pk", filter=Q(risk="some_risk")),
        "high_risk": Count("pk", filter=Q(risk="high_risk")),
    }


def completion_lines(
    *, user: User, window: ScreeningWindow, measure: Measure
) -> tuple[list[CompletionLine], list[CompletionLine]]:
    """(per school, per section) enrolled vs scored for one window and measure.

    Aggregates cover the schools the user may read (`schools_visible_to`); a line links to
    its missing students only when the user may see those students (their own section, or a
    school where they are on the team or an administrator). Four queries.
    """
    district_id = window.school_year.district_id
    schools = list(
        schools_visible_to(user).filter(district_id=district_id, active=True).order_by("name")
    )
    school_ids = [s.pk for s in schools]
    wide = (
        set(school_ids)
        if user.is_superuser
        else set(
            School.objects.filter(pk__in=school_ids)
            .filter(school_wide_condition(user, "pk", "district_id"))
            .values_list("pk", flat=True)
        )
        if school_ids
        else set()
    )

    def score_of(ref: str) -> QuerySet[ScreeningScore]:
        return ScreeningScore.objects.filter(
            student_id=OuterRef(ref), window_id=window.pk, measure_id=measure.pk
        )

    in_grades = {"grade__gte": measure.lowest_grade, "grade__lte": measure.highest_grade}
    by_school = {
        r["school_id"]: r
        for r in Student.objects.filter(school_id__in=school_ids, active=True, **in_grades)
        .annotate(
            has_score=Exists(score_of("pk")),
            risk=Subquery(score_of("pk").values("risk_level")[:1]),
        )
        .values("school_id")
        .annotate(**_completion_counts())
        .order_by()
    }
    days = SchoolDays([window])
    school_lines = []
    for s in schools:
        r = by_school.get(s.pk, {})
        school_lines.append(
            CompletionLine(
                school_id=s.pk,
                school_name=s.name,
                section_id=None,
                section_name="",
                enrolled=r.get("enrolled", 0),
                scored=r.get("scored", 0),
                at_or_above=r.get("at_or_above", 0),
                some_risk=r.get("some_risk", 0),
                high_risk=r.get("high_risk", 0),
                can_list_missing=s.pk in wide,
                days=days.days(window, s.pk),
                today=days.today,
            )
        )

    taught = (
        set(
            Section.teachers.through.objects.filter(user_id=user.pk).values_list(
                "section_id", flat=True
            )
        )
        if user.is_authenticated
        else set()
    )
    raw = (
        Enrollment.objects.filter(
            access.current_enrollment_condition(),
            student__active=True,
            section__active=True,
            section__school_year_id=window.school_year_id,
            section__school_id__in=school_ids,
            student__grade__gte=measure.lowest_grade,
            student__grade__lte=measure.highest_grade,
        )
        .annotate(
            has_score=Exists(score_of("student_id")),
            risk=Subquery(score_of("student_id").values("risk_level")[:1]),
        )
        .values("section_id")
        .annotate(
            section_name=Min("section__name"),
            school_id=Min("section__school_id"),
            school_name=Min("section__school__name"),
            **_completion_counts(),
        )
        .order_by("school_name", "section_name", "section_id")
    )
    section_lines = [
        CompletionLine(
            school_id=r["school_id"],
            school_name=r["school_name"],
            section_id=r["section_id"],
            section_name=r["section_name"],
            enrolled=r["enrolled"],
            scored=r["scored"],
            at_or_above=r["at_or_above"],
            some_risk=r["some_risk"],
            high_risk=r["high_risk"],
            can_list_missing=r["school_id"] in wide or r["section_id"] in taught,
            days=days.days(window, r["school_id"]),
            today=days.today,
        )
        for r in raw
    ]
    return school_lines, section_lines


def completion_windows(user: User) -> QuerySet[ScreeningWindow]:
    """Every window of the user's districts, newest year first."""
    qs = ScreeningWindow.objects.select_related("school_year")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        qs = qs.filter(school_year__district_id__in=access.district_ids_of(user))
    return qs.order_by("-school_year__start_date", "start_date", "pk")


def completion_measures(user: User) -> QuerySet[Measure]:
    """Screening measures of the user's districts, SRSS-IE subscales included."""
    qs = Measure.objects.filter(
        active=True, purpose__in=[Measure.Purpose.SCREENING, Measure.Purpose.BOTH]
    )
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        district_ids = access.district_ids_of(user)
        qs = qs.filter(Q(district__isnull=True) | Q(district_id__in=district_ids))
    return qs.order_by("name", "pk")
