"""A meeting's minutes: the page (and print) and the CSV export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from meetings import selectors
from meetings.minutes import minutes_csv_rows
from meetings.models import Meeting
from meetings.services.closing import minutes_for
from students.audit import audit_record_many
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
    return render(request, "meetings/minutes.html", {"meeting": meeting, "minutes": data})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def meeting_minutes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    data = minutes_for(meeting)
    writer = csv.writer(_Echo())
    body = "".join(writer.writerow(row) for row in minutes_csv_rows(data))
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
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="minutes-{day}-{meeting.pk}.csv"'
    return response
