"""Meeting mode for a classwide agenda item: the decision form and its post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.classwide import meeting_record_classwide_decision
from meetings.classwide_page import ClasswideDecisionForm, classwide_context
from meetings.forms import apply_errors
from meetings.models import AgendaItem
from meetings.views.agenda import item_for
from meetings.views.run import run_context
from mtss.errors import ApplicationError
from students.audit import AuditContext
from students.idempotency import was_replayed


@login_required
@require_POST
def classwide_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = item_for(request, pk, item_pk)
    if item.kind != AgendaItem.Kind.CLASSWIDE:
        raise Http404
    form = ClasswideDecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = meeting_record_classwide_decision(
                meeting=meeting,
                item=item,
                type=form.cleaned_data["type"],
                rationale=form.cleaned_data["rationale"],
                actor=request.user,
                audit=AuditContext.from_request(request),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("This decision was already recorded; it was not recorded twice.")
                if was_replayed(decision)
                else _("Decision recorded: %(decision)s.")
                % {"decision": decision.get_type_display()},
            )
            return redirect("meetings:run_item", pk=meeting.pk, item_pk=item.pk)
    context = run_context(request, meeting, item)
    context.update(classwide_context(item, form))
    return render(request, "meetings/run.html", context, status=400)
