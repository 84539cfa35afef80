"""Which sections, windows and measures a user may enter scores for, and a section's students."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from screening.models.measures import Measure
from screening.models.windows import ScreeningWindow
from screening.page_selectors.ratings import SRSS_CODES
from screening.services.access import may_enter_in_closed_window
from screening.services.school_windows import open_for_any_condition, window_open_for_school
from students import access
from students.models import Enrollment, Role, Section, Student, User
from students.selectors import students_visible_to


def _teaches(user: User) -> Exists:
    return Exists(
        Section.teachers.through.objects.filter(section_id=OuterRef("pk"), user_id=user.pk)
    )


def school_wide_condition(
    user: User, school_field: str = "school_id", district_field: str = "school__district_id"
) -> Q:
    """Rows of schools where the user holds a team or administrator role (district
    administrators: every school of their district)."""
    return access.school_wide_condition(user, school_field, district_field)


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
        qs = qs.filter(school_year__district_id__in=access.district_ids_of(user))
        late = access.administered_district_ids(user)
        school_admin = access.holds_any_role(user, (Role.SCHOOL_ADMIN,))
        if not school_admin:
            # The schools where the user teaches a class (a subquery: listing the windows
            # costs no extra query) or holds a role.
            taught = Section.objects.filter(teachers=user).values("school_id")
            schools = access.school_ids_with_role(user, tuple(Role.values))
            qs = qs.filter(
                open_for_any_condition(taught, schools) | Q(school_year__district_id__in=late)
            )
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
        district_ids = access.district_ids_of(user)
        qs = qs.filter(Q(district__isnull=True) | Q(district_id__in=district_ids))
    return qs.order_by("name", "pk")


def window_is_enterable(user: User, window: ScreeningWindow, school_id: int) -> bool:
    """Open for the school (its own dates, else the district's switch), or a late entry."""
    return window_open_for_school(window, school_id) or may_enter_in_closed_window(user, school_id)


def _enrolled_in(section: Section) -> Exists:
    # An enrollment past its end date no longer puts the student on the class's grid.
    return Exists(
        Enrollment.objects.filter(
            access.current_enrollment_condition(), student_id=OuterRef("pk"), section_id=section.pk
        )
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
