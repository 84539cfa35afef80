"""Teachers' concerns: raise one about a student, list them, withdraw one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import selectors
from meetings.forms import ConcernForm, apply_errors
from meetings.services.concerns import concern_submit
from meetings.services.concerns import concern_withdraw as withdraw_concern
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_page_view
from students.models import User
from students.selectors import student_get_for_user, students_visible_to


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, student_pk: int) -> HttpResponse:
    user: User = request.user
    student = student_get_for_user(user=user, pk=student_pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern_submit(
                student=student,
                note=form.cleaned_data["note"],
                actor=user,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                gettext(
                    "Concern sent. The team at %(name)s will see it when they prepare their next meeting."
                )
                % {"name": student.school.name},
            )
            return redirect("student_detail", pk=student.pk)
    audit_page_view(request, "concern_form", [student.pk])
    return render(
        request,
        "meetings/concern_form.html",
        {"student": student, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def concern_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    concerns = list(
        selectors.concerns_visible_to(user)
        .filter(student__in=students_visible_to(user).values("pk"))
        .select_related("student", "submitted_by", "school")
        .order_by("-created_at", "-id")[:200]
    )
    audit_page_view(request, "concern_list", [c.student_id for c in concerns])
    return render(
        request,
        "meetings/concern_list.html",
        {"concerns": concerns, "team": selectors.may_use_meetings(user)},
    )


@login_required
@require_POST
def concern_withdraw(request: HttpRequest, concern_pk: int) -> HttpResponse:
    user: User = request.user
    concern = get_object_or_404(selectors.concerns_visible_to(user), pk=concern_pk)
    try:
        withdraw_concern(concern=concern, actor=user, audit=AuditContext.from_request(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Concern withdrawn."))
    return redirect("meetings:concern_list")
