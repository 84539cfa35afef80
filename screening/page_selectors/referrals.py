"""The referral pages' reads: the year's list, counts per student, the form's student lookups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from screening.models.referrals import Referral
from students import access
from students.models import School, SchoolYear, Student, User
from students.selectors import students_visible_to


def current_school_year(user: User) -> SchoolYear | None:
    """The current school year of the user's (first) district."""
    if not user.is_authenticated or not user.is_active:
        return None
    district_ids = sorted(access.district_ids_of(user))
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
