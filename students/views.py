"""Roster pages: home, student list, student profile and its record of access.

Every read of student data goes through students.selectors (`students_visible_to`,
`student_get_for_user`); an out-of-scope student is a 404, never a hint that the id exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mtss.lib.htmx import render_page_or_fragment
from students import access, slots
from students.access import roles_of
from students.access_log import (
    ACCESS_LOG_PAGE_ROWS,
    AccessLogFilterForm,
    access_log_rows,
    entries_labelled,
)
from students.audit import audit_page_view, audit_record
from students.family import family_links, language_name, may_edit_family
from students.forms import StudentFilterForm
from students.models import (
    GRADE_MIN,
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


def _add_school_facts(user: User, rows: list[dict]) -> None:
    """What waits for each of the user's school teams, as the apps above the roster tell it
    (slots.SCHOOL_FACTS): each source answers for all the schools at once."""
    ids = [row["school"].pk for row in rows]
    for row in rows:
        row["facts"] = []
    for source in slots.SCHOOL_FACTS:
        values = source.collect(user=user, school_ids=ids)
        for row in rows:
            row["facts"].append({"entry": source, "value": values.get(row["school"].pk)})


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
                    filter=access.current_enrollment_condition(prefix="enrollments__")
                    & Q(enrollments__student__active=True),
                )
            )
            .order_by("school__name", "name")
        )

    context["top_sections"], context["role_sections"] = [], []
    for section in slots.HOME_SECTIONS:
        if section.visible(user, roles):
            data = section.context(user=user, roles=roles) if section.context else {}
            key = "top_sections" if section.place == "top" else "role_sections"
            context[key].append({"entry": section, "data": data})
    context["teacher_links"] = [link for link in slots.HOME_LINKS if link.section == "teacher"]

    team_school_ids = {school_id for school_id, _ in access.team_places(user)}
    district_ids = access.administered_district_ids(user)
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
        _add_school_facts(user, context["team_schools"])
        context["district_schools"] = _school_rows(district_schools, counts)
        context["district_total"] = sum(r["total"] for r in context["district_schools"])
        context["district_names"] = sorted({s.district.name for s in district_schools})
        context["district_links"] = [
            {
                "entry": link,
                "data": link.context(user=user, district_ids=district_ids) if link.context else {},
            }
            for link in slots.HOME_LINKS
            if link.section == "district" and district_ids
        ]
    # A home section that names students says which (`students_shown`): one log row each.
    shown = [
        sid
        for key in ("top_sections", "role_sections")
        for section in context[key]
        for sid in section["data"].get("students_shown", ())
    ]
    audit_page_view(request, "home_caseload", shown)
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
    return render_page_or_fragment(request, "students/student_list.html", context)


# --- Student profile -------------------------------------------------------------------


def can_view_access_log(user: User, student: Student) -> bool:
    """Only administrators read a student's record of access: district administrators of
    the student's district and school administrators of the student's school."""
    return access.may_read_access_log(
        user, school_id=student.school_id, district_id=student.district_id
    )


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
        Enrollment.objects.filter(
            access.current_enrollment_condition(), student=student, section__active=True
        )
        .select_related("section", "section__school_year")
        .prefetch_related("section__teachers")
        .order_by("section__name")
    )
    cards = [
        {
            "card": card,
            "data": card.context(user=user, student=student) if card.context else {},
        }
        for card in slots.PROFILE_CARDS
    ]
    show_log = can_view_access_log(user, student)
    family = family_links(student)
    for link in family:
        link.language_label = language_name(link.guardian.preferred_language or "en")
    context = {
        "student": student,
        "family": family,
        "family_editable": may_edit_family(user, student),
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
