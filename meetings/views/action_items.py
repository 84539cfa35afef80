"""Action items: add one in a meeting, mark one done or reopen it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from meetings import selectors
from meetings.forms import ActionItemForm
from meetings.models import ActionItem
from meetings.services.action_items import action_item_create, action_item_set_status
from meetings.views.run import run_context
from mtss.errors import ApplicationError
from students.audit import AuditContext
from students.models import User


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
            action_item_create(
                meeting=meeting,
                owner=d["owner"],
                description=d["description"],
                due_date=d["due_date"],
                student=item.student if item is not None and d["about_student"] else None,
                actor=user,
                audit=AuditContext.from_request(request),
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, gettext("Action item added."))
            if item is not None:
                return redirect("meetings:run_item", pk=meeting.pk, item_pk=item.pk)
            return redirect("meetings:detail", pk=meeting.pk)
    if item is not None:
        context = run_context(request, meeting, item, action_form=form)
        return render(request, "meetings/run.html", context, status=400)
    messages.error(
        request,
        gettext("The action item needs what, who and when: %(problems)s")
        % {"problems": " ".join(str(e) for errors in form.errors.values() for e in errors)},
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
        action_item_set_status(
            item=item, status=status, actor=user, audit=AuditContext.from_request(request)
        )
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(
            request,
            gettext("Action item marked done.")
            if status == ActionItem.Status.DONE
            else gettext("Reopened."),
        )
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("home")
