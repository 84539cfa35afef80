"""Screening completion: per school and class how many students have a score, and who is missing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from screening.page_selectors.completion import (
    completion_lines,
    completion_measures,
    completion_windows,
)
from screening.page_selectors.sections import sections_listable
from screening.selectors import students_missing_score
from screening.services.school_windows import SchoolDays
from screening.views.helpers import _int
from students.audit import audit_page_view
from students.models import GRADE_MAX, GRADE_MIN, User, grade_label
from students.selectors import schools_visible_to


class _CompletionPick:
    """The window and measure asked for, or sensible defaults (the open window, first
    measure), so the page shows something useful on first visit."""

    def __init__(self, request: HttpRequest, user: User) -> None:
        self.windows = list(completion_windows(user))
        self.measures = list(completion_measures(user))
        self.window = _pick(self.windows, request.GET.get("window")) or next(
            (w for w in self.windows if w.is_open and w.school_year.is_current),
            self.windows[0] if self.windows else None,
        )
        self.measure = _pick(self.measures, request.GET.get("measure")) or (
            self.measures[0] if self.measures else None
        )
        self.invalid = bool(
            (request.GET.get("window") and _pick(self.windows, request.GET.get("window")) is None)
            or (
                request.GET.get("measure")
                and _pick(self.measures, request.GET.get("measure")) is None
            )
        )


def _pick(options: list, raw: str | None) -> Any:
    pk = _int(raw)
    return next((o for o in options if o.pk == pk), None)


@login_required
@require_GET
def completion(request: HttpRequest) -> HttpResponse:
    """Per school and class: students in the measure's grades, how many have a score."""
    user: User = request.user
    pick = _CompletionPick(request, user)
    context: dict[str, Any] = {"pick": pick, "screening_nav": "completion"}
    if pick.window is not None and pick.measure is not None:
        schools, sections = completion_lines(user=user, window=pick.window, measure=pick.measure)
        context.update({"school_lines": schools, "section_lines": sections})
    return render(request, "screening/completion.html", context)


@login_required
@require_GET
def completion_missing(request: HttpRequest) -> HttpResponse:
    """The students (of those the user may see) still without a score."""
    user: User = request.user
    pick = _CompletionPick(request, user)
    if pick.invalid or pick.window is None or pick.measure is None:
        return render(request, "screening/completion_missing.html", {"pick": pick}, status=404)
    school = None
    if request.GET.get("school"):
        school = get_object_or_404(schools_visible_to(user), pk=_int(request.GET.get("school")))
    section = None
    if request.GET.get("section"):
        section = get_object_or_404(sections_listable(user), pk=_int(request.GET.get("section")))
    grade = None
    if request.GET.get("grade"):
        raw = request.GET["grade"].strip()
        grade = int(raw) if raw.lstrip("-").isdigit() else None
        if grade is None or not GRADE_MIN <= grade <= GRADE_MAX:
            raise Http404("No such grade.")
    students = students_missing_score(
        user=user,
        window=pick.window,
        measure=pick.measure,
        school=school,
        section=section,
        grade=grade,
    ).order_by("school__name", "last_name", "first_name", "pk")
    page = Paginator(students, 100).get_page(request.GET.get("page"))
    # The school's own dates where it keeps them (a missing score is not late before then).
    where = school or (section.school if section else None)
    days = SchoolDays([pick.window])
    school_days = days.days(pick.window, where.pk) if where else None
    context = {
        "school_days": school_days,
        "school_days_school": where,
        "school_days_not_started": bool(school_days and days.today < school_days.start_date),
        "pick": pick,
        "school": school,
        "section": section,
        "grade": None if grade is None else grade_label(grade),
        "page": page,
        "screening_nav": "completion",
    }
    audit_page_view(request, "completion_missing", [s.pk for s in page.object_list])
    return render(request, "screening/completion_missing.html", context)
