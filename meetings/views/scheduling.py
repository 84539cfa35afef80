"""The meeting list and scheduling a meeting (or a series of them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from meetings import selectors
from meetings.forms import MeetingForm, apply_errors
from meetings.models import MeetingStatus
from meetings.services.scheduling import meeting_create, meeting_schedule_series
from students.audit import AuditContext
from students.models import User
from students.selectors import schools_visible_to

NOT_FOR_YOUR_ROLE = gettext_lazy(
    "Team meetings are for the school's team members and administrators. Teachers can raise "
    "a concern about one of their students from the student's profile."
)


def _require_meetings_role(user: User) -> None:
    if not selectors.may_use_meetings(user):
        raise PermissionDenied(NOT_FOR_YOUR_ROLE)


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    _require_meetings_role(user)
    meetings = selectors.meetings_visible_to(user).select_related("school", "facilitator", "window")
    school = request.GET.get("school")
    if school and school.isdigit():
        meetings = meetings.filter(school_id=int(school))
    now = timezone.now()
    upcoming = list(
        meetings.exclude(status=MeetingStatus.CLOSED).order_by("scheduled_at", "id")[:100]
    )
    past = list(meetings.filter(status=MeetingStatus.CLOSED).order_by("-scheduled_at")[:50])
    return render(
        request,
        "meetings/meeting_list.html",
        {"upcoming": upcoming, "past": past, "now": now},
    )


def _windows_for(user: User) -> Any:
    from screening.selectors import windows_visible_to

    return windows_visible_to(user).select_related("school_year").order_by("-start_date")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    _require_meetings_role(user)
    schools = schools_visible_to(user).filter(pk__in=selectors.meeting_school_ids(user))
    school = schools.filter(pk=request.POST.get("school") or request.GET.get("school")).first()
    school = school or schools.order_by("name").first()
    staff = selectors.staff_of_school(school) if school else User.objects.none()
    form = MeetingForm(
        request.POST or None,
        schools=schools.order_by("name"),
        staff=staff,
        windows=_windows_for(user),
        initial={"school": school, "facilitator": user, "attendees": [user]},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = meeting_create(
                school=d["school"],
                kind=d["kind"],
                scheduled_at=d["scheduled_at"],
                actor=user,
                facilitator=d["facilitator"],
                note_taker=d["note_taker"],
                timekeeper=d["timekeeper"],
                attendees=list(d["attendees"]),
                grade=d["grade"],
                window=d["window"],
                duration_minutes=d["duration_minutes"],
                location=d["location"],
                audit=AuditContext.from_request(request),
            )
            if d.get("repeat_every_weeks"):
                meeting_schedule_series(
                    meeting=meeting,
                    every_weeks=d["repeat_every_weeks"],
                    count=d["repeat_count"],
                    actor=user,
                    audit=AuditContext.from_request(request),
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, gettext("Meeting scheduled. Prepare its agenda when you are ready.")
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "school": school},
        status=400 if request.method == "POST" else 200,
    )
