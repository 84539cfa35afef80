"""Meeting mode: one agenda item at a time with the student's card, decisions and notes;
starting and closing the meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from decisions.models import LIVE_STATUSES, Flag
from interventions.models import Intervention, InterventionPlan
from meetings import card as card_data
from meetings import selectors
from meetings.forms import DECISION_HELP, ActionItemForm, DecisionForm, NotesForm, apply_errors
from meetings.models import AgendaItem, Meeting
from meetings.services.agenda_items import agenda_item_save_notes
from meetings.services.closing import meeting_close as close_meeting
from meetings.services.decisions import meeting_record_decision
from meetings.services.guards import EditConflict
from meetings.services.scheduling import meeting_start as start_meeting
from meetings.views.agenda import item_for
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_record
from students.idempotency import was_replayed
from students.models import AccessLog, User


@login_required
@require_GET
def meeting_run(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    items = [i for i in selectors.agenda_items(meeting)]
    if not items:
        messages.info(request, gettext("The agenda is empty. Prepare it or add a student first."))
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


def run_context(
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
        if item.kind == AgendaItem.Kind.CLASSWIDE:
            from meetings.classwide_page import classwide_context

            context.update(classwide_context(item))
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
    meeting, item = item_for(request, pk, item_pk)
    _audit_card_view(request, meeting, item)
    return render(request, "meetings/run.html", run_context(request, meeting, item))


@login_required
@require_POST
def meeting_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        start_meeting(meeting=meeting, actor=request.user, audit=AuditContext.from_request(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:detail", pk=meeting.pk)
    return redirect("meetings:run", pk=meeting.pk)


def recorded_message(decision: Any, name: str) -> str:
    if was_replayed(decision):
        # The form was sent twice (a double click, a resent page): one decision stands.
        return gettext(
            "This decision for %(name)s was already recorded; it was not recorded twice."
        ) % {"name": name}
    return gettext("Decision recorded for %(name)s.") % {"name": name}


@login_required
@require_POST
def item_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user: User = request.user
    meeting, item = item_for(request, pk, item_pk)
    if item.student_id is None:
        raise Http404
    form = _decision_form(meeting, item, data=request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            decision = meeting_record_decision(
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
                audit=AuditContext.from_request(request),
                idempotency_key=d["idempotency_key"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, recorded_message(decision, item.student.full_name))
            return redirect("meetings:run_item", pk=meeting.pk, item_pk=item.pk)
    context = run_context(request, meeting, item, decision_form=form)
    return render(request, "meetings/run.html", context, status=400)


@login_required
@require_POST
def item_notes(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = item_for(request, pk, item_pk)
    form = NotesForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            agenda_item_save_notes(
                item=item,
                version=form.cleaned_data["version"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
                audit=AuditContext.from_request(request),
            )
        except EditConflict as exc:
            conflict = exc
            data = request.POST.copy()
            data["version"] = str(exc.version)
            form = NotesForm(data)
            form.is_valid()
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, gettext("Notes saved."))
            return redirect("meetings:run_item", pk=meeting.pk, item_pk=item.pk)
    context = run_context(request, meeting, item, notes_form=form, conflict=conflict)
    return render(request, "meetings/run.html", context, status=409 if conflict else 400)


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        close_meeting(meeting=meeting, actor=request.user, audit=AuditContext.from_request(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:detail", pk=meeting.pk)
    messages.success(request, gettext("Meeting closed. These minutes are now final."))
    return redirect("meetings:minutes", pk=meeting.pk)
