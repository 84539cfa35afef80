"""A meeting's minutes: the page (and print) and the CSV export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from meetings import selectors
from meetings.minutes import minutes_csv_rows
from meetings.models import Meeting
from meetings.services.closing import minutes_for
from mtss.lib.spreadsheet import csv_response
from students.audit import audit_page_view, audit_record_many
from students.models import AccessLog


def _minutes_student_ids(meeting: Meeting) -> list[int]:
    return sorted(
        set(meeting.decisions.values_list("student_id", flat=True))
        | set(meeting.action_items.exclude(student=None).values_list("student_id", flat=True))
    )


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    data = minutes_for(meeting)
    audit_page_view(request, "meeting_minutes", _minutes_student_ids(meeting), meeting=meeting.pk)
    return render(request, "meetings/minutes.html", {"meeting": meeting, "minutes": data})


@login_required
@require_GET
def meeting_minutes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    data = minutes_for(meeting)
    rows = list(minutes_csv_rows(data))
    audit_record_many(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        object_type="meeting_minutes",
        student_ids=_minutes_student_ids(meeting),
        request=request,
        detail={"meeting": meeting.pk},
        purpose="Meeting minutes (CSV)",
    )
    day = timezone.localtime(meeting.scheduled_at).date().isoformat()
    return csv_response(rows, f"minutes-{day}-{meeting.pk}.csv")
