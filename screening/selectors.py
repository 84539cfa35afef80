"""Reads of screening data, scoped through `students.selectors.students_visible_to`.

Every function that returns student-level rows takes the `user` and filters through the
scoping function; counts are done in the database, one query per call whatever the number of
students (completion: one query for all measures of a window).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from screening.models.cut_scores import CutScore, CutScoreSet
from screening.models.measures import Measure
from screening.models.referrals import Referral
from screening.models.scores import ScreeningScore
from screening.models.windows import ScreeningWindow
from students import access
from students.models import Enrollment, School, Section, Student, User
from students.selectors import students_visible_to


def user_district_ids(user: User) -> set[int]:
    """Districts where the user holds any role (superusers: none needed, they see all)."""
    return access.district_ids_of(user)


# -- setup ----------------------------------------------------------------------------------


def measures_visible_to(user: User, *, active_only: bool = False) -> QuerySet[Measure]:
    """Reference measures and the measures of the user's districts."""
    qs = Measure.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        qs = qs.filter(Q(district__isnull=True) | Q(district_id__in=user_district_ids(user)))
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("name", "id")


def measures_for_district(district_id: int, *, active_only: bool = True) -> QuerySet[Measure]:
    qs = Measure.objects.filter(Q(district__isnull=True) | Q(district_id=district_id))
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("name", "id")


def windows_visible_to(user: User) -> QuerySet[ScreeningWindow]:
    qs = ScreeningWindow.objects.select_related("school_year")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        qs = qs.filter(school_year__district_id__in=user_district_ids(user))
    return qs.order_by("-school_year__start_date", "start_date")


def cut_score_sets_visible_to(user: User) -> QuerySet[CutScoreSet]:
    """Reference sets and the sets of the user's districts, every version."""
    qs = CutScoreSet.objects.select_related("measure", "created_by")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if not user.is_superuser:
        qs = qs.filter(Q(district__isnull=True) | Q(district_id__in=user_district_ids(user)))
    return qs.order_by("measure__name", "district_id", "-version")


def active_cut_score_set(*, district_id: int, measure: Measure) -> CutScoreSet | None:
    """The set that classifies new scores: the district's active one, else the reference's."""
    return (
        CutScoreSet.objects.filter(measure=measure, is_active=True)
        .filter(Q(district_id=district_id) | Q(district__isnull=True))
        .order_by("district_id")  # NULLs sort last in ascending order: the district's first
        .first()
    )


def cut_score_row(
    *, district_id: int, measure: Measure, grade: int, season: str
) -> CutScore | None:
    """The active benchmark row for a grade and season (classwide check, profile bands)."""
    cut_set = active_cut_score_set(district_id=district_id, measure=measure)
    if cut_set is None:
        return None
    return CutScore.objects.filter(cut_score_set=cut_set, grade=grade, season=season).first()


# -- scores ---------------------------------------------------------------------------------


def scores_visible_to(user: User) -> QuerySet[ScreeningScore]:
    return ScreeningScore.objects.filter(student__in=students_visible_to(user))


def scores_for_students(
    *,
    user: User,
    students: Iterable[int] | None = None,
    window: ScreeningWindow | int | None = None,
    measure: Measure | int | None = None,
    school: School | int | None = None,
) -> QuerySet[ScreeningScore]:
    """Scores the user may see, filtered; joins for display baked in."""
    qs = scores_visible_to(user).select_related(
        "student", "measure", "window__school_year", "cut_score_set"
    )
    if students is not None:
        qs = qs.filter(student_id__in=list(students))
    if window is not None:
        qs = qs.filter(window=window)
    if measure is not None:
        qs = qs.filter(measure=measure)
    if school is not None:
        qs = qs.filter(student__school=school)
    return qs.order_by("student__last_name", "student__first_name", "student_id", "measure_id")


def score_history(*, user: User, student_id: int) -> list[dict]:
    """A student's scores across windows and years, with the cut scores that classified them.

    Two queries: the scores, then the cut-score rows of the versions they used. Each dict has
    the score's fields plus `benchmark` / `high_risk_cut` (None when no rule applied).
    """
    scores = list(
        scores_visible_to(user)
        .filter(student_id=student_id)
        .select_related("measure", "window__school_year", "cut_score_set")
        .order_by("measure__name", "window__school_year__start_date", "window__start_date")
    )
    keys = {(s.cut_score_set_id, s.grade, s.window.season) for s in scores if s.cut_score_set_id}
    rows = {}
    if keys:
        q = Q(pk__in=[])
        for set_id, grade, season in keys:
            q |= Q(cut_score_set_id=set_id, grade=grade, season=season)
        rows = {(r.cut_score_set_id, r.grade, r.season): r for r in CutScore.objects.filter(q)}
    history = []
    for s in scores:
        row = rows.get((s.cut_score_set_id, s.grade, s.window.season))
        history.append(
            {
                "score": s,
                "measure": s.measure,
                "window": s.window,
                "benchmark": row.benchmark if row else None,
                "high_risk_cut": row.high_risk_cut if row else None,
            }
        )
    return history


# -- completion -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRow:
    measure_id: int
    school_id: int
    school_name: str
    section_id: int | None
    section_name: str
    enrolled: int
    scored: int

    @property
    def missing(self) -> int:
        return self.enrolled - self.scored

    @property
    def share(self) -> float | None:
        """Share screened; None when nobody is enrolled ("no data", never 0 %)."""
        return self.scored / self.enrolled if self.enrolled else None


def _measure_annotations(
    measures: list[Measure], window: ScreeningWindow, student_ref: str, grade_field: str
) -> tuple[dict, dict]:
    flags = {
        f"has_{m.pk}": Exists(
            ScreeningScore.objects.filter(
                student_id=OuterRef(student_ref), window_id=window.pk, measure_id=m.pk
            )
        )
        for m in measures
    }
    counts = {}
    for m in measures:
        in_grades = Q(
            **{f"{grade_field}__gte": m.lowest_grade, f"{grade_field}__lte": m.highest_grade}
        )
        counts[f"enrolled_{m.pk}"] = Count("pk", filter=in_grades)
        counts[f"scored_{m.pk}"] = Count("pk", filter=in_grades & Q(**{f"has_{m.pk}": True}))
    return flags, counts


def _rows(raw: Iterable[dict], measures: list[Measure], by_section: bool) -> list[CompletionRow]:
    rows = []
    for r in raw:
        for m in measures:
            enrolled = r[f"enrolled_{m.pk}"]
            if not enrolled:
                continue
            rows.append(
                CompletionRow(
                    measure_id=m.pk,
                    school_id=r["school_id"],
                    school_name=r["school_name"],
                    section_id=r.get("section_id") if by_section else None,
                    section_name=r.get("section_name", "") if by_section else "",
                    enrolled=enrolled,
                    scored=r[f"scored_{m.pk}"],
                )
            )
    return rows


def completion_by_school(
    *, user: User, window: ScreeningWindow, measures: Iterable[Measure] | None = None
) -> list[CompletionRow]:
    """Per school and measure: active students in the measure's grades, and how many are scored.

    One query for all measures. Only students the user may see are counted.
    """
    district_id = window.school_year.district_id
    measures = list(measures if measures is not None else measures_for_district(district_id))
    if not measures:
        return []
    flags, counts = _measure_annotations(measures, window, "pk", "grade")
    # Min(name) is the school's one name: a column functionally dependent on the group key.
    raw = (
        students_visible_to(user)
        .filter(district_id=district_id, active=True)
        .annotate(**flags)
        .values("school_id")
        .annotate(school_name=Min("school__name"), **counts)
        .order_by("school_name")
    )
    return _rows(raw, measures, by_section=False)


def completion_by_section(
    *,
    user: User,
    window: ScreeningWindow,
    measures: Iterable[Measure] | None = None,
    school: School | int | None = None,
) -> list[CompletionRow]:
    """Per section of the window's school year and measure: enrolled vs scored. One query."""
    district_id = window.school_year.district_id
    measures = list(measures if measures is not None else measures_for_district(district_id))
    if not measures:
        return []
    flags, counts = _measure_annotations(measures, window, "student_id", "student__grade")
    qs = Enrollment.objects.filter(
        access.current_enrollment_condition(),
        student__active=True,
        section__school_year_id=window.school_year_id,
        student__in=students_visible_to(user),
    )
    if school is not None:
        qs = qs.filter(section__school=school)
    raw = (
        qs.annotate(**flags)
        .values("section_id")
        .annotate(
            section_name=Min("section__name"),
            school_id=Min("section__school_id"),
            school_name=Min("section__school__name"),
            **counts,
        )
        .order_by("school_name", "section_name")
    )
    return _rows(raw, measures, by_section=True)


def students_missing_score(
    *,
    user: User,
    window: ScreeningWindow,
    measure: Measure,
    school: School | int | None = None,
    section: Section | int | None = None,
    grade: int | None = None,
) -> QuerySet[Student]:
    """Active students the user sees, in the measure's grades (or the one `grade` of them),
    with no score in the window."""
    qs = students_visible_to(user).filter(
        district_id=window.school_year.district_id,
        active=True,
        grade__gte=measure.lowest_grade,
        grade__lte=measure.highest_grade,
    )
    if school is not None:
        qs = qs.filter(school=school)
    if section is not None:
        qs = qs.filter(
            access.current_enrollment_condition(prefix="enrollments__"),
            enrollments__section=section,
        )
    if grade is not None:
        qs = qs.filter(grade=grade)
    scored = ScreeningScore.objects.filter(
        student_id=OuterRef("pk"), window_id=window.pk, measure_id=measure.pk
    )
    return qs.filter(~Exists(scored)).select_related("school").distinct()


# -- behavior --------------------------------------------------------------------------------


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(student__in=students_visible_to(user))


def referral_counts(
    *, user: User, school_year_id: int, school: School | int | None = None
) -> QuerySet:
    """Per visible student with referrals in the year: `total`, `major` and `minor` counts."""
    qs = referrals_visible_to(user).filter(school_year_id=school_year_id)
    if school is not None:
        qs = qs.filter(school=school)
    return (
        qs.values("student_id")
        .annotate(
            total=Count("pk"),
            major=Count("pk", filter=Q(severity=Referral.Severity.MAJOR)),
            minor=Count("pk", filter=Q(severity=Referral.Severity.MINOR)),
        )
        .order_by("-total", "student_id")
    )
