"""Flag pages: the team's list, a flag with its "why" panel, dismissing with a reason.
The Flags card of the student profile is in decisions.cards.

Reads go through decisions.selectors (scoped by `students_visible_to`); the dismiss goes
through decisions.services.flag_dismiss. The list renders a full page or, for htmx, only its
results (the same template's `results` partial), like the student list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from decisions import selectors, services
from decisions.forms import DismissForm, FlagFilterForm
from decisions.models import Flag
from interventions.explain import explain
from mtss.errors import ApplicationError
from mtss.lib.htmx import render_page_or_fragment
from students.audit import AuditContext, audit_page_view, audit_record
from students.models import AccessLog, User

FLAGS_PER_PAGE = 50
NOT_FOR_YOUR_ROLE = gettext_lazy(
    "The flag list is for school team members and administrators. You can see your "
    "students' flags on their profiles."
)


def why(flag: Flag) -> str:
    """The plain-language reason of a flag, with its numbers."""
    try:
        return explain(flag.evidence)
    except (KeyError, TypeError, ValueError):
        # Evidence written by an older rule version may lack a field the sentence needs;
        # the numbers below the sentence still show.
        return gettext("The rule's evidence is listed below.")


def _decorate(flags: list[Flag], user: User) -> list[Flag]:
    plans = selectors.current_plans(flags)
    for f in flags:
        f.why = why(f)
        f.current_plan = plans.get((f.student_id, f.domain))
        f.may_act = services.may_act_on_flags(user, f.school_id, f.district_id)
    return flags


@login_required
@require_GET
def flag_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    if not selectors.may_use_flag_list(user):
        raise PermissionDenied(NOT_FOR_YOUR_ROLE)
    form = FlagFilterForm(request.GET or None, schools=selectors.flag_schools_for(user))
    filters = form.filters()
    flags = selectors.flags_for_list(user, related=selectors.FLAG_LIST_RELATED, **filters)
    both = selectors.flags_filter(selectors.flags_visible_to(user), **{**filters, "served": ""})
    counts = selectors.served_counts(both)
    paginator = Paginator(flags, FLAGS_PER_PAGE)
    # The served counts have counted the listed flags already: no second COUNT of them.
    served = filters.get("served", "")
    paginator.count = counts[served] if served in counts else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "served_counts": counts,
        "page": page,
        "flags": _decorate(list(page.object_list), user),
        "filtered": form.is_filtering(),
    }
    audit_page_view(request, "flag_list", [f.student_id for f in context["flags"]])
    return render_page_or_fragment(request, "decisions/flag_list.html", context)


def _detail_context(user: User, flag: Flag, form: DismissForm | None = None) -> dict[str, Any]:
    _decorate([flag], user)
    return {"flag": flag, "form": form or DismissForm()}


@login_required
@require_GET
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    flag = selectors.flag_get_for_user(user=user, pk=pk)
    if flag.student_id:
        audit_record(
            user=user,
            action=AccessLog.Action.VIEW,
            object_type="flag",
            object_id=flag.pk,
            student=flag.student_id,
            request=request,
        )
    return render(request, "decisions/flag_detail.html", _detail_context(user, flag))


@login_required
@require_POST
def flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    flag = selectors.flag_get_for_user(user=user, pk=pk)
    if not services.may_act_on_flags(user, flag.school_id, flag.district_id):
        raise PermissionDenied(services.NOT_A_TEAM_MEMBER)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.flag_dismiss(
                flag=flag,
                reason=form.cleaned_data["reason"],
                actor=user,
                audit=AuditContext.from_request(request),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("reason", message)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("decisions:flag_detail", pk=flag.pk)
        else:
            messages.success(
                request, gettext("Flag dismissed. It reopens only if the data behind it changes.")
            )  # the same words for a double submit: the flag is dismissed, once
            return redirect("decisions:flag_detail", pk=flag.pk)
    return render(
        request, "decisions/flag_detail.html", _detail_context(user, flag, form), status=400
    )
