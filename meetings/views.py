"""Meeting pages: list and scheduling, the meeting with its agenda (reorder, remove, add),
meeting mode (one student at a time, decisions, notes, action items), minutes (page, print,
CSV), concerns from teachers, and action items.

Reads go through meetings.selectors (only the school's team members and administrators see
a meeting; anyone else gets a 404), writes through meetings.services. The agenda renders as
a whole page or, for htmx, as the page's `agenda` partial.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from decisions.models import LIVE_STATUSES, Flag
from interventions.models import Intervention, InterventionPlan
from meetings import card as card_data
from meetings import selectors, services
from meetings.forms import (
    DECISION_HELP,
    ActionItemForm,
    AddStudentForm,
    ConcernForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    NotesForm,
    RecurForm,
)
from meetings.minutes import minutes_csv_rows
from meetings.models import ActionItem, AgendaItem, Concern, Meeting, MeetingStatus
from mtss.errors import ApplicationError
from students.audit import audit_record, audit_record_many
from students.models import AccessLog, Student, User
from students.selectors import (
    schools_visible_to,
    student_get_for_user,
    students_visible_to,
)

NOT_FOR_YOUR_ROLE = (
    "Team meetings are for the school's team members and administrators. Teachers can raise "
    "a concern about one of their students from the student's profile."
)
STUDENT_SEARCH_LIMIT = 15
MINUTES_PER_STUDENT = 5


def _require_meetings_role(user: User) -> None:
    if not selectors.may_use_meetings(user):
        raise PermissionDenied(NOT_FOR_YOUR_ROLE)


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
    form.style()  # mark the fields the service refused


# -- list and scheduling -----------------------------------------------------------------------


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
            meeting = services.meeting_create(
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
                request=request,
            )
            if d.get("repeat_every_weeks"):
                services.meeting_schedule_series(
                    meeting=meeting,
                    every_weeks=d["repeat_every_weeks"],
                    count=d["repeat_count"],
                    actor=user,
                    request=request,
                )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Meeting scheduled. Prepare its agenda when you are ready.")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "school": school},
        status=400 if request.method == "POST" else 200,
    )


# -- the meeting and its agenda ------------------------------------------------------------------


def _detail_context(request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    user: User = request.user
    items = selectors.agenda_items(meeting)
    q = (request.GET.get("q") or "").strip()
    found: list[Student] = []
    if q and not meeting.is_closed:
        on_agenda = {i.student_id for i in items if i.student_id}
        found = [
            s
            for s in students_visible_to(user)
            .filter(school_id=meeting.school_id, active=True)
            .filter(
                Q(last_name__icontains=q)
                | Q(first_name__icontains=q)
                | Q(preferred_name__icontains=q)
                | Q(local_id__iexact=q)
            )
            .order_by("last_name", "first_name", "pk")[:STUDENT_SEARCH_LIMIT]
            if s.pk not in on_agenda
        ]
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
    }
    context.update(extra)
    return context


def _agenda_response(request: HttpRequest, meeting: Meeting, **extra: Any) -> HttpResponse:
    template = "meetings/meeting_detail.html"
    context = _detail_context(request, meeting, **extra)
    context["htmx_fragment"] = bool(request.htmx and not request.htmx.history_restore_request)
    if context["htmx_fragment"]:
        template += "#agenda"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


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
        messages.error(request, services.MEETING_CLOSED)
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
            services.meeting_update(
                meeting=meeting,
                version=form.cleaned_data["version"],
                changes=form.changes(),
                attendees=list(form.cleaned_data["attendees"]),
                actor=user,
                request=request,
            )
        except services.EditConflict as exc:
            conflict = exc
            # The next save starts from the saved version; the typed text stays in the form.
            data = request.POST.copy()
            data["version"] = str(exc.version)
            form = MeetingEditForm(data, staff=staff)
            form.is_valid()
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Meeting saved.")
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
        added = services.meeting_prepare_agenda(
            meeting=meeting, actor=user, limit=limit, request=request
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if added:
            messages.success(
                request,
                f"{len(added)} item{'s' if len(added) != 1 else ''} added to the agenda, most "
                f"urgent first (at most {limit} students, about {MINUTES_PER_STUDENT} minutes "
                f"each in a {meeting.duration_minutes}-minute meeting; the button adds the next "
                "ones). Reorder or remove them as the team sees fit.",
            )
        else:
            messages.info(
                request,
                "Nothing new to add: no open flags, plans due for review or teachers' "
                "concerns that are not already on the agenda.",
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
            created = services.meeting_schedule_series(
                meeting=meeting,
                every_weeks=form.cleaned_data["every_weeks"],
                count=form.cleaned_data["count"],
                actor=user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{len(created)} further meetings scheduled.")
    else:
        messages.error(request, "Give how often (1-12 weeks) and how many meetings (1-20).")
    return redirect("meetings:detail", pk=meeting.pk)


def _item_for(request: HttpRequest, pk: int, item_pk: int) -> tuple[Meeting, AgendaItem]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return meeting, selectors.agenda_item_get(meeting=meeting, pk=item_pk)


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item_for(request, pk, item_pk)
    direction = request.POST.get("direction", "")
    try:
        services.agenda_item_move(item=item, direction=direction, actor=request.user)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    if request.htmx:
        return _agenda_response(request, meeting, moved=item.pk, moved_direction=direction)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item_for(request, pk, item_pk)
    label = item.label
    try:
        services.agenda_item_remove(item=item, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{label} taken off the agenda; their flags are open again.")
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
        item = services.agenda_item_add(
            meeting=meeting, student=student, actor=user, request=request
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        return redirect("meetings:detail", pk=meeting.pk)
    messages.success(request, f"{student.full_name} added to the agenda.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#item-{item.pk}")


# -- meeting mode ------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_run(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    items = [i for i in selectors.agenda_items(meeting)]
    if not items:
        messages.info(request, "The agenda is empty. Prepare it or add a student first.")
        return redirect("meetings:detail", pk=meeting.pk)
    first = next((i for i in items if i.status == AgendaItem.Status.PENDING), items[0])
    return redirect("meetings:run_item", pk=meeting.pk, item_pk=first.pk)


def _decision_form(
    meeting: Meeting, item: AgendaItem, data: Any = None, initial: dict | None = None
) -> DecisionForm:
    student = item.student
    staff = selectors.staff_of_school(meeting.school)
    interventions = (
        Intervention.objects.filter(active=True)
        .filter(Q(district__isnull=True) | Q(district_id=meeting.school.district_id))
        .order_by("domain", "name")
    )
    plans = (
        InterventionPlan.objects.filter(
            student=student, status=InterventionPlan.Status.ACTIVE
        ).select_related("intervention")
        if student
        else InterventionPlan.objects.none()
    )
    flags = (
        Flag.objects.filter(student=student, status__in=LIVE_STATUSES)
        if student
        else (Flag.objects.none())
    )
    from screening.models import Measure

    measures = Measure.objects.filter(
        Q(district__isnull=True) | Q(district_id=meeting.school.district_id),
        active=True,
        purpose__in=[Measure.Purpose.PROGRESS, Measure.Purpose.BOTH],
    )
    if student is not None:
        measures = measures.filter(
            lowest_grade__lte=student.grade, highest_grade__gte=student.grade
        )
    return DecisionForm(
        data,
        measures=measures.order_by("domain", "name"),
        interventions=interventions,
        plans=plans,
        flags=flags,
        staff=staff,
        initial=initial or {"start_date": timezone.localtime(meeting.scheduled_at).date()},
    )


def _run_context(
    request: HttpRequest,
    meeting: Meeting,
    item: AgendaItem,
    *,
    decision_form: DecisionForm | None = None,
    action_form: ActionItemForm | None = None,
    notes_form: NotesForm | None = None,
    conflict: Any = None,
) -> dict[str, Any]:
    user: User = request.user
    items = selectors.agenda_items(meeting)
    index = next((n for n, i in enumerate(items) if i.pk == item.pk), 0)
    item = items[index]
    staff = selectors.staff_of_school(meeting.school)
    context: dict[str, Any] = {
        "meeting": meeting,
        "item": item,
        "items": items,
        "index": index,
        "previous": items[index - 1] if index > 0 else None,
        "next": items[index + 1] if index + 1 < len(items) else None,
        "notes_form": notes_form
        or NotesForm(initial={"version": item.version, "notes": item.notes}),
        "conflict": conflict,
        "action_form": action_form
        or ActionItemForm(
            staff=staff, initial={"due_date": timezone.localdate() + dt.timedelta(days=7)}
        ),
        "item_decisions": list(
            item.decisions.select_related("intervention", "plan", "recorded_by").order_by("id")
        ),
    }
    if item.student_id:
        context["decision_form"] = decision_form or _decision_form(meeting, item)
        context["decision_help"] = DECISION_HELP
        context["card"] = card_data.student_card(
            user=user, student=item.student, meeting_id=meeting.pk
        )
    else:
        from decisions.views import why

        flags = list(
            Flag.objects.filter(agenda_items=item).select_related("rule_set", "section", "measure")
        )
        for f in flags:
            f.why = why(f)
        context["item_flags"] = flags
    context["today"] = timezone.localdate()
    return context


def _audit_card_view(request: HttpRequest, meeting: Meeting, item: AgendaItem) -> None:
    if item.student_id:
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type="meeting_card",
            object_id=item.pk,
            student=item.student_id,
            request=request,
            detail={"meeting": meeting.pk},
        )


@login_required
@require_GET
def meeting_run_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item_for(request, pk, item_pk)
    _audit_card_view(request, meeting, item)
    return render(request, "meetings/run.html", _run_context(request, meeting, item))


@login_required
@require_POST
def meeting_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        services.meeting_start(meeting=meeting, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:detail", pk=meeting.pk)
    return redirect("meetings:run", pk=meeting.pk)


@login_required
@require_POST
def item_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user: User = request.user
    meeting, item = _item_for(request, pk, item_pk)
    if item.student_id is None:
        raise Http404
    form = _decision_form(meeting, item, data=request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.meeting_record_decision(
                meeting=meeting,
                item=item,
                type=d["type"],
                actor=user,
                rationale=d["rationale"],
                domain=d["domain"] or "",
                flags=list(d["flags"]) or None,
                intervention=d["intervention"],
                plan=d["plan"],
                interventionist=d["interventionist"],
                start_date=d["start_date"],
                review_date=d["review_date"],
                sessions_per_week=d["sessions_per_week"],
                minutes_per_session=d["minutes_per_session"],
                measure=d["measure"],
                goal=d["goal"],
                goal_date=d["goal_date"],
                tier=d["tier"],
                request=request,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Decision recorded for {item.student.full_name}.")
            return redirect("meetings:run_item", pk=meeting.pk, item_pk=item.pk)
    context = _run_context(request, meeting, item, decision_form=form)
    return render(request, "meetings/run.html", context, status=400)


@login_required
@require_POST
def item_notes(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item_for(request, pk, item_pk)
    form = NotesForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            services.agenda_item_save_notes(
                item=item,
                version=form.cleaned_data["version"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
                request=request,
            )
        except services.EditConflict as exc:
            conflict = exc
            data = request.POST.copy()
            data["version"] = str(exc.version)
            form = NotesForm(data)
            form.is_valid()
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, "Notes saved.")
            return redirect("meetings:run_item", pk=meeting.pk, item_pk=item.pk)
    context = _run_context(request, meeting, item, notes_form=form, conflict=conflict)
    return render(request, "meetings/run.html", context, status=409 if conflict else 400)


@login_required
@require_POST
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    meeting = selectors.meeting_get_for_user(user=user, pk=pk)
    item_pk = request.POST.get("item", "")
    item = (
        selectors.agenda_item_get(meeting=meeting, pk=int(item_pk)) if item_pk.isdigit() else None
    )
    form = ActionItemForm(request.POST, staff=selectors.staff_of_school(meeting.school))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.action_item_create(
                meeting=meeting,
                owner=d["owner"],
                description=d["description"],
                due_date=d["due_date"],
                student=item.student if item is not None and d["about_student"] else None,
                actor=user,
                request=request,
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, "Action item added.")
            if item is not None:
                return redirect("meetings:run_item", pk=meeting.pk, item_pk=item.pk)
            return redirect("meetings:detail", pk=meeting.pk)
    if item is not None:
        context = _run_context(request, meeting, item, action_form=form)
        return render(request, "meetings/run.html", context, status=400)
    messages.error(
        request,
        "The action item needs what, who and when: "
        + " ".join(str(e) for errors in form.errors.values() for e in errors),
    )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def action_item_status(request: HttpRequest, action_pk: int) -> HttpResponse:
    user: User = request.user
    item = get_object_or_404(
        selectors.action_items_visible_to(user).select_related("meeting"), pk=action_pk
    )
    status = request.POST.get("status", ActionItem.Status.DONE)
    try:
        services.action_item_set_status(item=item, status=status, actor=user, request=request)
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Action item marked done." if status == ActionItem.Status.DONE else "Reopened.",
        )
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("home")


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        services.meeting_close(meeting=meeting, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:detail", pk=meeting.pk)
    messages.success(request, "Meeting closed. These minutes are now final.")
    return redirect("meetings:minutes", pk=meeting.pk)


# -- minutes -----------------------------------------------------------------------------------


def _minutes_student_ids(meeting: Meeting) -> list[int]:
    return sorted(
        set(meeting.decisions.values_list("student_id", flat=True))
        | set(meeting.action_items.exclude(student=None).values_list("student_id", flat=True))
    )


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    data = services.minutes_for(meeting)
    return render(request, "meetings/minutes.html", {"meeting": meeting, "minutes": data})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def meeting_minutes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    data = services.minutes_for(meeting)
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


# -- concerns ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, student_pk: int) -> HttpResponse:
    user: User = request.user
    student = student_get_for_user(user=user, pk=student_pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_submit(
                student=student, note=form.cleaned_data["note"], actor=user, request=request
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"Concern sent. The team at {student.school.name} will see it when they "
                "prepare their next meeting.",
            )
            return redirect("student_detail", pk=student.pk)
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
        services.concern_withdraw(concern=concern, actor=user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Concern withdrawn.")
    return redirect("meetings:concern_list")


def student_meetings_card(*, user: User, student: Student) -> dict[str, Any]:
    """Data of the profile's "Team meetings" card (students.views.PROFILE_CARDS): the team's
    decisions about the student, open concerns and action items, and a way to raise one."""
    decisions = list(
        selectors.decisions_visible_to(user)
        .filter(student=student)
        .select_related("meeting", "intervention")
        .order_by("-created_at", "-id")[:10]
    )
    concerns = list(
        selectors.concerns_visible_to(user)
        .filter(student=student)
        .exclude(status=Concern.Status.WITHDRAWN)
        .select_related("submitted_by")
        .order_by("-created_at", "-id")[:5]
    )
    return {"decisions": decisions, "concerns": concerns}
