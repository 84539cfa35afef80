"""The SRSS-IE class rating: each student rated 0-3 on every item, saved row by row."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from screening.forms import SRSS_ITEMS, EntryPickForm, RatingRowForm
from screening.models.windows import ScreeningWindow
from screening.page_selectors.ratings import RatingRow, rating_rows
from screening.page_selectors.sections import (
    entry_section_get,
    entry_sections,
    entry_windows,
    section_student_get,
    section_students,
)
from screening.services.behavior_ratings import behavior_rating_record
from screening.views.helpers import _404_if_not_their_section, _fragment, _messages_of
from students.audit import AuditContext, audit_record_many
from students.models import AccessLog, User

RATING_VIEW_OBJECT = "behavior_ratings"


def _rating_rows(
    rows: list[RatingRow], data: Any = None, student_pk: int | None = None
) -> list[RatingRow]:
    for row in rows:
        initial = {k: str(v) for k, v in (row.rating.items if row.rating else {}).items()}
        bound = data if student_pk == row.student.pk else None
        row.form = RatingRowForm(bound, student=row.student, initial=initial)
    return rows


@login_required
@require_GET
def behavior_rating(request: HttpRequest) -> HttpResponse:
    """The SRSS-IE for a class: each student rated 0-3 on every item, saved row by row."""
    user: User = request.user
    form = EntryPickForm(
        request.GET or None, sections=entry_sections(user), windows=entry_windows(user)
    )
    _404_if_not_their_section(form)
    context: dict[str, Any] = {"form": form, "items": SRSS_ITEMS, "screening_nav": "behavior"}
    if form.is_bound and form.is_valid():
        section, window = form.cleaned_data["section"], form.cleaned_data["window"]
        if window.school_year_id != section.school_year_id:
            form.add_error("window", gettext("This window is not in the class's school year."))
        else:
            students = section_students(user=user, section=section)
            context.update(
                {
                    "section": section,
                    "window": window,
                    "rows": _rating_rows(rating_rows(students=students, window=window)),
                }
            )
            audit_record_many(
                user=user,
                action=AccessLog.Action.VIEW,
                object_type=RATING_VIEW_OBJECT,
                student_ids=[s.pk for s in students],
                request=request,
                detail={"window": window.pk, "section": section.pk},
            )
    return render(request, "screening/behavior_rating.html", context)


@login_required
@require_POST
def behavior_rating_save(
    request: HttpRequest, section_pk: int, window_pk: int, student_pk: int
) -> HttpResponse:
    """Save one student's SRSS-IE row; htmx gets the row back, a plain POST is redirected."""
    user: User = request.user
    section = entry_section_get(user=user, pk=section_pk)
    window = get_object_or_404(
        ScreeningWindow.objects.select_related("school_year"),
        pk=window_pk,
        school_year_id=section.school_year_id,
    )
    student = section_student_get(user=user, section=section, pk=student_pk)
    form = RatingRowForm(request.POST, student=student)
    error = ""
    saved = False
    if form.is_valid():
        try:
            behavior_rating_record(
                student=student,
                window=window,
                items=form.items(),
                rater=user,
                audit=AuditContext.from_request(request),
            )
            saved = True
        except ValidationError as exc:
            error = _messages_of(exc)
    else:
        error = gettext("Not saved: every item needs a rating from 0 to 3.")
    if not request.htmx:
        if saved:
            messages.success(
                request,
                gettext("Saved the SRSS-IE rating of %(name)s.") % {"name": student.full_name},
            )
        else:
            messages.error(request, f"{student.full_name}: {error}")
        query = urlencode({"section": section.pk, "window": window.pk})
        return redirect(f"{reverse('screening:behavior_rating')}?{query}")
    [row] = rating_rows(students=[student], window=window)
    if saved:
        _rating_rows([row])  # a fresh form showing what was stored
    else:
        row.form = form  # what was chosen, with its errors
    context = {
        "section": section,
        "window": window,
        "row": row,
        "items": SRSS_ITEMS,
        "row_error": error,
        "row_saved": saved,
    }
    return _fragment(request, "screening/behavior_rating.html#row", context)
