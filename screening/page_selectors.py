"""Reads behind the screening pages: score entry, SRSS-IE rating, completion, referrals.

Student-level rows always come through `students.selectors.students_visible_to`; school
aggregates (completion) are limited to `schools_visible_to`. Every function runs a fixed
number of queries whatever the size of the class or school, so the pages' query counts stay
flat (pinned in tests/screening/test_views.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from screening import reference_data
from screening.models import (
    BehaviorRating,
    Measure,
    Referral,
    ScreeningScore,
    ScreeningWindow,
)
from screening.services.access import may_enter_in_closed_window
from students.models import (
    SCHOOL_WIDE_ROLES,
    Enrollment,
    Role,
    School,
    SchoolYear,
    Section,
    Student,
    User,
)
from students.selectors import memberships_of, schools_visible_to, students_visible_to

SRSS_CODES = (
    reference_data.SRSS_E7_CODE,
    reference_data.SRSS_I5_CODE,
    reference_data.SRSS_I6_CODE,
)

# -- who may enter for which section ---------------------------------------------------------


def _teaches(user: User) -> Exists:
    return Exists(
        Section.teachers.through.objects.filter(section_id=OuterRef("pk"), user_id=user.pk)
    )


def school_wide_condition(
    user: User, school_field: str = "school_id", district_field: str = "school__district_id"
) -> Q:
    """Rows of schools where the user holds a team or administrator role (district
    administrators: every school of their district)."""
    condition = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN:
            condition |= Q(**{district_field: m.district_id})
        elif m.role in SCHOOL_WIDE_ROLES and m.school_id:
            condition |= Q(**{school_field: m.school_id})
    return condition


def entry_sections(user: User) -> QuerySet[Section]:
    """Sections of the current school year whose scores the user may enter.

    A teacher: only the sections they teach. A school team member or administrator: every
    section of their schools; a district administrator: every section of the district.
    Interventionists enter progress data on plans, not screening, so they get none.
    """
    qs = Section.objects.filter(active=True, school_year__is_current=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        qs = qs.filter(_teaches(user) | school_wide_condition(user))
    return qs.select_related("school", "school_year").order_by("school__name", "name", "pk")


def sections_listable(user: User) -> QuerySet[Section]:
    """Sections (any year) whose students' names the user may list: their own, or every
    section of schools where they are on the team or an administrator."""
    qs = Section.objects.select_related("school")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(_teaches(user) | school_wide_condition(user))


def entry_section_get(*, user: User, pk: int) -> Section:
    """The section if the user may enter its scores, else 404 (never say that it exists)."""
    return get_object_or_404(entry_sections(user), pk=pk)


def entry_windows(user: User) -> QuerySet[ScreeningWindow]:
    """Windows of the current school year; closed ones only for users who may enter late."""
    qs = ScreeningWindow.objects.filter(school_year__is_current=True).select_related("school_year")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        district_ids = {m.district_id for m in memberships_of(user)}
        qs = qs.filter(school_year__district_id__in=district_ids)
        late = {m.district_id for m in memberships_of(user) if m.role == Role.DISTRICT_ADMIN}
        school_admin = any(m.role == Role.SCHOOL_ADMIN for m in memberships_of(user))
        if not school_admin:
            qs = qs.filter(Q(is_open=True) | Q(school_year__district_id__in=late))
    return qs.order_by("start_date", "pk")


def entry_measures(user: User) -> QuerySet[Measure]:
    """Active screening measures of the user's districts (and the shipped reference ones).

    The SRSS-IE subscales are left out: they are entered item by item on the rating page.
    """
    qs = Measure.objects.filter(
        active=True, purpose__in=[Measure.Purpose.SCREENING, Measure.Purpose.BOTH]
    ).exclude(code__in=SRSS_CODES)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        district_ids = {m.district_id for m in memberships_of(user)}
        qs = qs.filter(Q(district__isnull=True) | Q(district_id__in=district_ids))
    return qs.order_by("name", "pk")


def window_is_enterable(user: User, window: ScreeningWindow, school_id: int) -> bool:
    return window.is_open or may_enter_in_closed_window(user, school_id)


def _enrolled_in(section: Section) -> Exists:
    return Exists(
        Enrollment.objects.filter(student_id=OuterRef("pk"), section_id=section.pk, active=True)
    )


def section_students(*, user: User, section: Section) -> list[Student]:
    """Active students actively enrolled in the section, among those the user may see."""
    return list(
        students_visible_to(user)
        .filter(_enrolled_in(section), active=True)
        .order_by("last_name", "first_name", "pk")
    )


def section_student_get(*, user: User, section: Section, pk: int) -> Student:
    """A student of the section the user may see, else 404: the cell endpoints' guard."""
    return get_object_or_404(
        students_visible_to(user)
        .filter(_enrolled_in(section), active=True)
        .select_related("school"),
        pk=pk,
    )


# -- the score-entry grid --------------------------------------------------------------------


@dataclass
class GridRow:
    student: Student
    served: bool  # the measure is given in the student's grade
    current: ScreeningScore | None
    previous: list[ScreeningScore | None]
    # Filled by the page when a typed value was refused: shown back with its message.
    typed: str | None = None
    error: str = ""

    @property
    def value(self) -> str:
        """What the box shows: the refused text as typed, else the saved score ('62')."""
        if self.typed is not None:
            return self.typed
        if self.current is None:
            return ""
        return format(self.current.score.normalize(), "f")


@dataclass
class EntryGrid:
    previous_windows: list[ScreeningWindow]
    rows: list[GridRow]

    @property
    def served_count(self) -> int:
        return sum(1 for r in self.rows if r.served)

    @property
    def entered_count(self) -> int:
        return sum(1 for r in self.rows if r.current is not None)


PREVIOUS_WINDOWS = 3


def entry_grid(
    *, user: User, section: Section, window: ScreeningWindow, measure: Measure
) -> EntryGrid:
    """The class roster with this window's score and the last few windows' scores.

    Three queries: the students, the earlier windows of the district, and every score of
    those students on the measure in those windows.
    """
    students = section_students(user=user, section=section)
    previous = list(
        ScreeningWindow.objects.filter(
            school_year__district_id=window.school_year.district_id,
            start_date__lt=window.start_date,
        )
        .select_related("school_year")
        .order_by("-start_date")[:PREVIOUS_WINDOWS]
    )[::-1]
    window_ids = [w.pk for w in previous] + [window.pk]
    scores = ScreeningScore.objects.filter(
        student_id__in=[s.pk for s in students], measure_id=measure.pk, window_id__in=window_ids
    ).select_related("cut_score_set")
    by_key = {(s.student_id, s.window_id): s for s in scores}
    rows = [
        GridRow(
            student=s,
            served=measure.serves_grade(s.grade),
            current=by_key.get((s.pk, window.pk)),
            previous=[by_key.get((s.pk, w.pk)) for w in previous],
        )
        for s in students
    ]
    return EntryGrid(previous_windows=previous, rows=rows)


def entered_count(
    *, user: User, section: Section, window: ScreeningWindow, measure: Measure
) -> tuple[int, int]:
    """(students of the section with a score, students the measure serves), in one query."""
    has_score = Exists(
        ScreeningScore.objects.filter(
            student_id=OuterRef("pk"), window_id=window.pk, measure_id=measure.pk
        )
    )
    counts = (
        students_visible_to(user)
        .filter(
            _enrolled_in(section),
            active=True,
            grade__gte=measure.lowest_grade,
            grade__lte=measure.highest_grade,
        )
        .aggregate(served=Count("pk"), entered=Count("pk", filter=has_score))
    )
    return counts["entered"], counts["served"]


def class_percentiles(
    *, user: User, section: Section, window: ScreeningWindow, measure: Measure
) -> dict[int, int | None]:
    """{student id: percentile rank} of the section's scores: every save moves the ranks of
    the whole norm group, so the grid refreshes them all after each save. One query."""
    return dict(
        ScreeningScore.objects.filter(
            student__in=students_visible_to(user).filter(_enrolled_in(section)),
            window_id=window.pk,
            measure_id=measure.pk,
        ).values_list("student_id", "percentile_rank")
    )


def score_get(
    *, student: Student, window: ScreeningWindow, measure: Measure
) -> ScreeningScore | None:
    return (
        ScreeningScore.objects.filter(student=student, window=window, measure=measure)
        .select_related("cut_score_set")
        .first()
    )


# -- SRSS-IE ---------------------------------------------------------------------------------


@dataclass
class RatingRow:
    student: Student
    rating: BehaviorRating | None
    scores: dict[str, ScreeningScore] = field(default_factory=dict)  # measure code -> score
    form: Any = None  # the page's RatingRowForm for this student

    @property
    def externalizing(self) -> ScreeningScore | None:
        return self.scores.get(reference_data.SRSS_E7_CODE)

    @property
    def internalizing(self) -> ScreeningScore | None:
        return self.scores.get(reference_data.SRSS_I5_CODE) or self.scores.get(
            reference_data.SRSS_I6_CODE
        )


def rating_rows(*, students: list[Student], window: ScreeningWindow) -> list[RatingRow]:
    """Each student's SRSS-IE rating in the window and its two scores. Two queries."""
    ids = [s.pk for s in students]
    ratings = {
        r.student_id: r for r in BehaviorRating.objects.filter(student_id__in=ids, window=window)
    }
    scores: dict[int, dict[str, ScreeningScore]] = {}
    for score in ScreeningScore.objects.filter(
        student_id__in=ids, window=window, measure__code__in=SRSS_CODES
    ).select_related("measure"):
        scores.setdefault(score.student_id, {})[score.measure.code] = score
    return [
        RatingRow(student=s, rating=ratings.get(s.pk), scores=scores.get(s.pk, {}))
        for s in students
    ]


# -- completion ------------------------------------------------------------------------------


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
            active=True,
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
        qs = qs.filter(school_year__district_id__in={m.district_id for m in memberships_of(user)})
    return qs.order_by("-school_year__start_date", "start_date", "pk")


def completion_measures(user: User) -> QuerySet[Measure]:
    """Screening measures of the user's districts, SRSS-IE subscales included."""
    qs = Measure.objects.filter(
        active=True, purpose__in=[Measure.Purpose.SCREENING, Measure.Purpose.BOTH]
    )
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        district_ids = {m.district_id for m in memberships_of(user)}
        qs = qs.filter(Q(district__isnull=True) | Q(district_id__in=district_ids))
    return qs.order_by("name", "pk")


# -- referrals -------------------------------------------------------------------------------


def current_school_year(user: User) -> SchoolYear | None:
    """The current school year of the user's (first) district."""
    if not user.is_authenticated or not user.is_active:
        return None
    district_ids = sorted({m.district_id for m in memberships_of(user)})
    qs = SchoolYear.objects.filter(is_current=True)
    if not user.is_superuser:
        qs = qs.filter(district_id__in=district_ids)
    return qs.order_by("district_id").first()


@dataclass(frozen=True)
class ReferralFilters:
    school: School | None = None
    student: str = ""  # name or student ID, as typed
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    location: str = ""
    problem_behavior: str = ""


def _student_search(text: str, prefix: str = "student__") -> Q:
    condition = Q()
    for word in text.split():
        condition &= (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}preferred_name__icontains": word})
            | Q(**{f"{prefix}local_id__iexact": word})
        )
    return condition


def referrals_list(
    *, user: User, school_year: SchoolYear, filters: ReferralFilters
) -> QuerySet[Referral]:
    qs = Referral.objects.filter(
        student__in=students_visible_to(user), school_year=school_year
    ).select_related("student", "school", "reported_by")
    if filters.school is not None:
        qs = qs.filter(school=filters.school)
    if filters.student:
        qs = qs.filter(_student_search(filters.student))
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.location:
        qs = qs.filter(location=filters.location)
    if filters.problem_behavior:
        qs = qs.filter(problem_behavior=filters.problem_behavior)
    return qs.order_by("-date", "-time", "-pk")


def referral_counts_per_student(
    *, user: User, school_year: SchoolYear, school: School | None = None
) -> list[dict]:
    """Students with referrals this school year, most first, with their names. One query."""
    qs = Referral.objects.filter(student__in=students_visible_to(user), school_year=school_year)
    if school is not None:
        qs = qs.filter(school=school)
    return list(
        qs.values(
            "student_id",
            "student__first_name",
            "student__preferred_name",
            "student__last_name",
            "student__local_id",
            "student__grade",
            "school__name",
        )
        .annotate(
            total=Count("pk"),
            major=Count("pk", filter=Q(severity=Referral.Severity.MAJOR)),
            minor=Count("pk", filter=Q(severity=Referral.Severity.MINOR)),
        )
        .order_by("-total", "student__last_name", "student__first_name", "student_id")
    )


def visible_active_student_count(*, user: User, district_id: int, school: School | None) -> int:
    qs = students_visible_to(user).filter(district_id=district_id, active=True)
    if school is not None:
        qs = qs.filter(school=school)
    return qs.count()


def referral_students(user: User, limit: int = 1000) -> list[Student]:
    """Students offered in the referral form's suggestion list (the first `limit` by name)."""
    return list(
        students_visible_to(user)
        .filter(active=True)
        .select_related("school")
        .order_by("last_name", "first_name", "pk")[:limit]
    )


def referral_student_find(*, user: User, text: str) -> list[Student]:
    """Visible students whose student ID is `text` exactly (at most two, to spot doubles)."""
    return list(
        students_visible_to(user).filter(local_id__iexact=text.strip()).select_related("school")[:2]
    )
