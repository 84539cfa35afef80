"""A meeting's page and its agenda: edit, prepare, repeat, and move, remove or add items
(htmx gets the page's `agenda` partial)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import agenda as agenda_rules
from meetings import selectors
from meetings.forms import AddStudentForm, MeetingEditForm, RecurForm, apply_errors
from meetings.models import AgendaItem, Meeting
from meetings.services.agenda import meeting_prepare_agenda
from meetings.services.agenda_items import agenda_item_add, agenda_item_move, agenda_item_remove
from meetings.services.guards import MEETING_CLOSED, EditConflict
from meetings.services.scheduling import meeting_schedule_series, meeting_update
from mtss.errors import ApplicationError
from mtss.lib.htmx import render_page_or_fragment
from students.audit import AuditContext, audit_page_view
from students.models import Student, User
from students.selectors import student_get_for_user

STUDENT_SEARCH_LIMIT = 15
MINUTES_PER_STUDENT = 5


def _detail_context(request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    user: User = request.user
    items = selectors.agenda_items(meeting)
    q = (request.GET.get("q") or "").strip()
    found: list[Student] = []
    if q and not meeting.is_closed:
        on_agenda = {i.student_id for i in items if i.student_id}
        found = [
            s
            for s in selectors.agenda_student_search(
                user=user, meeting=meeting, q=q, limit=STUDENT_SEARCH_LIMIT
            )
            if s.pk not in on_agenda
        ]
    estimated = agenda_rules.estimated_minutes(i.target_minutes for i in items)
    context = {
        "meeting": meeting,
        "items": items,
        "action_items": list(
            meeting.action_items.select_related("owner", "student").order_by("due_date", "id")
        ),
        "add_form": AddStudentForm(request.GET or None),
        "q": q,
        "found": found,
        "recur_form": RecurForm(),
        "today": timezone.localdate(),
        "estimated_minutes": estimated,
        "over_time": agenda_rules.over_time_warning(
            estimated=estimated, duration=meeting.duration_minutes
        ),
    }
    context.update(extra)
    return context


def _warn_if_over_time(request: HttpRequest, meeting: Meeting) -> None:
    warning = agenda_rules.over_time_warning(
        estimated=agenda_rules.estimated_minutes(
            AgendaItem.objects.filter(meeting=meeting).values_list("target_minutes", flat=True)
        ),
        duration=meeting.duration_minutes,
    )
    if warning:
        messages.warning(request, warning)


def _agenda_response(request: HttpRequest, meeting: Meeting, **extra: Any) -> HttpResponse:
    context = _detail_context(request, meeting, **extra)
    audit_page_view(
        request,
        "meeting_agenda",
        [i.student_id for i in context["items"]]
        + [a.student_id for a in context["action_items"]]
        + [s.pk for s in context["found"]],
        meeting=meeting.pk,
    )
    return render_page_or_fragment(
        request, "meetings/meeting_detail.html", context, fragment="agenda"
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    meeting = selectors.meeting_get_for_user(user=user, pk=pk)
    return _agenda_response(request, meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    meeting = selectors.meeting_get_for_user(user=user, pk=pk)
    if meeting.is_closed:
        messages.error(request, MEETING_CLOSED)
        return redirect("meetings:detail", pk=meeting.pk)
    staff = selectors.staff_of_school(meeting.school)
    local = timezone.localtime(meeting.scheduled_at)
    initial = {
        "version": meeting.version,
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "facilitator": meeting.facilitator,
        "note_taker": meeting.note_taker,
        "timekeeper": meeting.timekeeper,
        "attendees": list(meeting.attendees.all()),
        "notes": meeting.notes,
    }
    form = MeetingEditForm(request.POST or None, staff=staff, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(
                meeting=meeting,
                version=form.cleaned_data["version"],
                changes=form.changes(),
                attendees=list(form.cleaned_data["attendees"]),
                actor=user,
                audit=AuditContext.from_request(request),
            )
        except EditConflict as exc:
            conflict = exc
            # The next save starts from the saved version; the typed text stays in the form.
            data = request.POST.copy()
            data["version"] = str(exc.version)
            form = MeetingEditForm(data, staff=staff)
            form.is_valid()
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("Meeting saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_edit.html",
        {"meeting": meeting, "form": form, "conflict": conflict},
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def meeting_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    meeting = selectors.meeting_get_for_user(user=user, pk=pk)
    # Propose what fits the meeting (about five minutes a student); the rest stays open and
    # the same button adds the next most urgent ones.
    limit = max(meeting.duration_minutes // MINUTES_PER_STUDENT, 1)
    try:
        added = meeting_prepare_agenda(
            meeting=meeting, actor=user, limit=limit, audit=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if added:
            messages.success(
                request,
                ngettext(
                    "%(count)s item added to the agenda, most urgent first (at most %(limit)s "
                    "students, about %(each)s minutes each in a %(minutes)s-minute meeting; the "
                    "button adds the next ones). Reorder or remove them as the team sees fit.",
                    "%(count)s items added to the agenda, most urgent first (at most %(limit)s "
                    "students, about %(each)s minutes each in a %(minutes)s-minute meeting; the "
                    "button adds the next ones). Reorder or remove them as the team sees fit.",
                    len(added),
                )
                % {
                    "count": len(added),
                    "limit": limit,
                    "each": MINUTES_PER_STUDENT,
                    "minutes": meeting.duration_minutes,
                },
            )
            _warn_if_over_time(request, meeting)
        else:
            messages.info(
                request,
                gettext(
                    "Nothing new to add: no open flags, plans due for review or teachers' "
                    "concerns that are not already on the agenda."
                ),
            )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_recur(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    meeting = selectors.meeting_get_for_user(user=user, pk=pk)
    form = RecurForm(request.POST)
    if form.is_valid():
        try:
            created = meeting_schedule_series(
                meeting=meeting,
                every_weeks=form.cleaned_data["every_weeks"],
                count=form.cleaned_data["count"],
                actor=user,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, gettext("%(len)s further meetings scheduled.") % {"len": len(created)}
            )
    else:
        messages.error(
            request, gettext("Give how often (1-12 weeks) and how many meetings (1-20).")
        )
    return redirect("meetings:detail", pk=meeting.pk)


def item_for(request: HttpRequest, pk: int, item_pk: int) -> tuple[Meeting, AgendaItem]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return meeting, selectors.agenda_item_get(meeting=meeting, pk=item_pk)


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = item_for(request, pk, item_pk)
    direction = request.POST.get("direction", "")
    try:
        agenda_item_move(item=item, direction=direction, actor=request.user)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    if request.htmx:
        return _agenda_response(request, meeting, moved=item.pk, moved_direction=direction)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = item_for(request, pk, item_pk)
    label = item.label
    try:
        agenda_item_remove(item=item, actor=request.user, audit=AuditContext.from_request(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("%(label)s taken off the agenda; their flags are open again.")
            % {"label": label},
        )
    if request.htmx:
        return _agenda_response(request, meeting)
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    meeting = selectors.meeting_get_for_user(user=user, pk=pk)
    student_id = request.POST.get("student", "")
    if not student_id.isdigit():
        raise Http404
    student = student_get_for_user(user=user, pk=int(student_id))
    try:
        item = agenda_item_add(
            meeting=meeting, student=student, actor=user, audit=AuditContext.from_request(request)
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        return redirect("meetings:detail", pk=meeting.pk)
    messages.success(
        request, gettext("%(name)s added to the agenda.") % {"name": student.full_name}
    )
    _warn_if_over_time(request, meeting)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#item-{item.pk}")
