"""Roster pages: home, student list, student profile and its record of access.

Every read of student data goes through students.selectors (`students_visible_to`,
`student_get_for_user`); an out-of-scope student is a 404, never a hint that the id exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from students.access_log import (
    ACCESS_LOG_PAGE_ROWS,
    AccessLogFilterForm,
    access_log_rows,
    entries_labelled,
)
from students.audit import audit_page_view, audit_record
from students.forms import StudentFilterForm
from students.models import (
    GRADE_MIN,
    SCHOOL_WIDE_ROLES,
    AccessLog,
    Enrollment,
    Role,
    School,
    Section,
    Student,
    User,
    grade_label,
)
from students.selectors import (
    memberships_of,
    roles_of,
    schools_visible_to,
    student_get_for_user,
    students_visible_to,
)

STUDENTS_PER_PAGE = 50
ACCESS_LOG_CARD_ROWS = 10


# --- Home ------------------------------------------------------------------------------


def _grade_counts(students: Any, school_ids: set[int]) -> dict[int, dict[int, int]]:
    """{school_id: {grade: active students}} in one grouped query."""
    counts: dict[int, dict[int, int]] = {sid: {} for sid in school_ids}
    rows = (
        students.filter(school_id__in=school_ids, active=True)
        .values_list("school_id", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    for school_id, grade, n in rows:
        counts[school_id][grade] = n
    return counts


def _school_rows(schools: list[School], counts: dict[int, dict[int, int]]) -> list[dict]:
    rows = []
    for school in schools:
        by_grade = counts.get(school.pk, {})
        low = min([school.lowest_grade, *by_grade]) if by_grade else school.lowest_grade
        high = max([school.highest_grade, *by_grade]) if by_grade else school.highest_grade
        rows.append(
            {
                "school": school,
                "total": sum(by_grade.values()),
                "grades": [
                    {"grade": g, "label": grade_label(g), "count": by_grade.get(g, 0)}
                    for g in range(max(low, GRADE_MIN), high + 1)
                ],
            }
        )
    return rows


def _add_team_work(user: User, rows: list[dict]) -> None:
    """What waits for each of the user's school teams: its live flags (how many recommend
    Tier 3, how many are already on an agenda) and its next team meeting. Two queries, read
    through the flags' and meetings' own scoping."""
    from decisions.models import LIVE_STATUSES, FlagStatus
    from decisions.selectors import flags_visible_to
    from meetings.models import MeetingStatus
    from meetings.selectors import meetings_visible_to

    ids = [row["school"].pk for row in rows]
    flags = {
        f["school_id"]: f
        for f in flags_visible_to(user)
        .filter(school_id__in=ids, status__in=LIVE_STATUSES)
        .order_by()
        .values("school_id")
        .annotate(
            n=Count("id"),
            students=Count("student_id", distinct=True),
            tier3=Count("id", filter=Q(recommended_tier=3)),
            on_agenda=Count("id", filter=Q(status=FlagStatus.ON_AGENDA)),
        )
    }
    # A meeting of today stays "next" until it is closed.
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    meetings = {
        m.school_id: m
        for m in meetings_visible_to(user)
        .filter(school_id__in=ids, scheduled_at__gte=since)
        .exclude(status=MeetingStatus.CLOSED)
        .select_related("window")
        .order_by("school_id", "scheduled_at", "id")
        .distinct("school_id")
    }
    for row in rows:
        row["flags"] = flags.get(row["school"].pk)
        row["next_meeting"] = meetings.get(row["school"].pk)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """One section per role the user holds; a user with several roles sees each."""
    user: User = request.user
    roles = roles_of(user)
    context: dict[str, Any] = {"roles": roles}

    if Role.TEACHER in roles:
        context["teacher_sections"] = list(
            Section.objects.filter(teachers=user, active=True)
            .select_related("school", "school_year")
            .annotate(
                student_count=Count(
                    "enrollments",
                    filter=Q(enrollments__active=True, enrollments__student__active=True),
                )
            )
            .order_by("school__name", "name")
        )

    if Role.INTERVENTIONIST in roles:
        from interventions.models import InterventionPlan

        context["caseload"] = list(
            InterventionPlan.objects.filter(
                interventionist=user,
                status=InterventionPlan.Status.ACTIVE,
                student__in=students_visible_to(user),
            )
            .select_related("student", "student__school", "intervention")
            .order_by("student__last_name", "student__first_name", "pk")
        )

    memberships = memberships_of(user)
    team_school_ids = {m.school_id for m in memberships if m.role in SCHOOL_WIDE_ROLES}
    district_ids = {m.district_id for m in memberships if m.role == Role.DISTRICT_ADMIN}
    if team_school_ids or district_ids:
        district_schools = (
            list(School.objects.filter(district_id__in=district_ids).select_related("district"))
            if district_ids
            else []
        )
        team_schools = (
            list(School.objects.filter(pk__in=team_school_ids)) if team_school_ids else []
        )
        counts = _grade_counts(
            students_visible_to(user),
            {s.pk for s in team_schools} | {s.pk for s in district_schools},
        )
        context["team_schools"] = _school_rows(team_schools, counts)
        _add_team_work(user, context["team_schools"])
        context["district_schools"] = _school_rows(district_schools, counts)
        context["district_total"] = sum(r["total"] for r in context["district_schools"])
        context["district_names"] = sorted({s.district.name for s in district_schools})
    audit_page_view(request, "home_caseload", [p.student_id for p in context.get("caseload", [])])
    return render(request, "students/home.html", context)


# --- Student list ----------------------------------------------------------------------


@login_required
@require_GET
def student_list(request: HttpRequest) -> HttpResponse:
    """Search, filter, sort and page through the students the user may see.

    The same template renders the full page and, for htmx requests, only its `results`
    partial; the form is a plain GET form, so it all works without JavaScript too.
    """
    user: User = request.user
    schools = schools_visible_to(user)
    form = StudentFilterForm(request.GET or None, schools=schools)
    students = form.filter(students_visible_to(user).filter(active=True).select_related("school"))
    page = Paginator(students, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))

    section = None
    section_id = form.cleaned_data.get("section") if form.is_bound else None
    if section_id:
        # Only a section the user teaches or whose school they may read gets named.
        section = (
            Section.objects.filter(pk=section_id)
            .filter(Q(teachers=user) | Q(school__in=schools))
            .distinct()
            .first()
        )

    sort = (form.cleaned_data.get("sort") if form.is_bound else "") or "name"
    context = {
        "form": form,
        "page": page,
        "students": page.object_list,
        "sort": sort,
        "sort_label": dict(form.fields["sort"].choices)[sort],
        "section": section,
        "filtered": form.is_filtering(),
    }
    audit_page_view(request, "student_list", [s.pk for s in page.object_list])
    template = "students/student_list.html"
    # A history restore asks for the whole page even though it comes from htmx.
    context["htmx_fragment"] = bool(request.htmx and not request.htmx.history_restore_request)
    if context["htmx_fragment"]:
        template += "#results"
    response = render(request, template, context)
    # The same URL answers with a fragment or a full page: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Student profile -------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileCard:
    """A card on the student profile that a later app fills.

    Until `template` exists the card shows `empty_text` in students/_placeholder_card.html.
    An app fills its card by creating `template` (extend "students/_profile_card.html" and
    fill `card_body`); when the card needs data, point `context` at a function
    `fn(*, user, student) -> dict` (dotted path); its result is `card_data` in the template.
    """

    key: str
    title: str
    template: str
    empty_text: str
    context: str = ""
    templates: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "templates", (self.template, "students/_placeholder_card.html"))


PROFILE_CARDS: list[ProfileCard] = [
    ProfileCard(
        key="flags",
        title="Flags",
        template="decisions/_student_flags_card.html",
        context="decisions.views.student_flags_card",
        empty_text="Flags will appear here once screening scores are entered and the "
        "decision rules have run.",
    ),
    ProfileCard(
        key="tiers",
        title="Tiers",
        template="interventions/_student_tiers_card.html",
        context="interventions.views.student_tiers_card",
        empty_text="The student's tier in reading, math, behavior and SEL will appear here "
        "once the team records a placement.",
    ),
    ProfileCard(
        key="screening",
        title="Screening history",
        template="screening/_student_screening_card.html",
        context="screening.views.student_screening_card",
        empty_text="Screening scores will appear here once they are entered for a "
        "screening window.",
    ),
    ProfileCard(
        key="plans",
        title="Intervention plans",
        template="interventions/_student_plans_card.html",
        context="interventions.views.student_plans_card",
        empty_text="Intervention plans will appear here when the team places the student "
        "in a Tier 2 or Tier 3 intervention.",
    ),
    ProfileCard(
        key="meetings",
        title="Team meetings",
        template="meetings/_student_meetings_card.html",
        context="meetings.views.student_meetings_card",
        empty_text="Decisions the school's team records about this student in its meetings "
        "will appear here.",
    ),
]


def can_view_access_log(user: User, student: Student) -> bool:
    """Only administrators read a student's record of access: district administrators of
    the student's district and school administrators of the student's school."""
    if user.is_superuser:
        return True
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN and m.district_id == student.district_id:
            return True
        if m.role == Role.SCHOOL_ADMIN and m.school_id == student.school_id:
            return True
    return False


def _access_log(student: Student, limit: int) -> list[AccessLog]:
    return entries_labelled(list(access_log_rows(student)[:limit]))


@login_required
@require_GET
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    student = student_get_for_user(user=user, pk=pk)
    audit_record(
        user=user,
        action=AccessLog.Action.VIEW,
        object_type="student",
        object_id=student.pk,
        student=student,
        request=request,
    )
    enrollments = list(
        Enrollment.objects.filter(student=student, active=True, section__active=True)
        .select_related("section", "section__school_year")
        .prefetch_related("section__teachers")
        .order_by("section__name")
    )
    cards = [
        {
            "card": card,
            "data": import_string(card.context)(user=user, student=student) if card.context else {},
        }
        for card in PROFILE_CARDS
    ]
    show_log = can_view_access_log(user, student)
    context = {
        "student": student,
        "enrollments": enrollments,
        "profile_cards": cards,
        "show_access_log": show_log,
        "access_log": _access_log(student, ACCESS_LOG_CARD_ROWS) if show_log else [],
    }
    return render(request, "students/student_detail.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def student_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The student's record of access (34 CFR 99.32), for administrators only."""
    user: User = request.user
    student = student_get_for_user(user=user, pk=pk)
    if not can_view_access_log(user, student):
        return render(
            request, "students/access_log_forbidden.html", {"student": student}, status=403
        )
    form = AccessLogFilterForm(request.GET or None)
    page = Paginator(form.filter(access_log_rows(student)), ACCESS_LOG_PAGE_ROWS).get_page(
        request.GET.get("page")
    )
    entries = entries_labelled(list(page.object_list))
    # Reading the log is itself an access to the student's record.
    audit_record(
        user=user,
        action=AccessLog.Action.VIEW,
        object_type="access_log",
        object_id=student.pk,
        student=student,
        request=request,
    )
    return render(
        request,
        "students/student_access_log.html",
        {
            "student": student,
            "entries": entries,
            "page": page,
            "form": form,
            "filtered": form.is_filtering(),
            "query": _query_without_page(request),
        },
    )
