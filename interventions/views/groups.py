"""Intervention groups: creating one, its page, and logging a session for the whole group."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from interventions.forms import GroupCreateForm, GroupSessionForm, apply_errors
from interventions.models import InterventionGroup, InterventionSession
from interventions.selectors.visibility import group_get_for_user, group_plans
from interventions.services import groups as group_services
from interventions.services.sessions import session_log
from interventions.views.home import _interventionist_schools
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_record_many
from students.models import AccessLog, School, User

RECENT_SESSION_DAYS = 10


@login_required
@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    school_ids = _interventionist_schools(user)
    form = GroupCreateForm(request.POST, schools=School.objects.filter(pk__in=school_ids))
    if form.is_valid():
        try:
            group = group_services.group_create(
                school_id=form.cleaned_data["school"].pk,
                name=form.cleaned_data["name"],
                interventionist=user,
                actor=user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                gettext(
                    "Group %(name)s created. Add plans to it from each plan's page or when starting a plan."
                )
                % {"name": group.name},
            )
            return redirect("interventions:group_detail", group.pk)
    else:
        messages.error(request, gettext("Give the group a name and choose its school."))
    return redirect("interventions:caseload")


def _group_context(user: User, group: InterventionGroup, form: GroupSessionForm | None = None):
    plans = group_plans(user=user, group=group)
    recent = list(
        InterventionSession.objects.filter(plan__in=[p.pk for p in plans])
        .order_by("-date", "plan_id")
        .values("date", "plan_id", "attended", "minutes")[
            : RECENT_SESSION_DAYS * max(1, len(plans))
        ]
    )
    days: dict[Any, dict[int, dict]] = {}
    for s in recent:
        days.setdefault(s["date"], {})[s["plan_id"]] = s
    table = [
        {"date": day, "cells": [by_plan.get(p.pk) for p in plans]}
        for day, by_plan in list(days.items())[:RECENT_SESSION_DAYS]
    ]
    return {
        "group": group,
        "plans": plans,
        "form": form or GroupSessionForm(plans=plans),
        "session_table": table,
        "nav_current": "interventions",
        "interventions_nav": "caseload",
    }


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    group = group_get_for_user(user=user, pk=pk)
    context = _group_context(user, group)
    audit_record_many(
        user=user,
        action=AccessLog.Action.VIEW,
        object_type="intervention_group",
        student_ids=[p.student_id for p in context["plans"]],
        request=request,
        detail={"group": group.pk},
    )
    return render(request, "interventions/group_detail.html", context)


@login_required
@require_POST
def group_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Log one session for the whole group: date, minutes and who attended."""
    user: User = request.user
    group = group_get_for_user(user=user, pk=pk)
    plans = group_plans(user=user, group=group)
    form = GroupSessionForm(request.POST, plans=plans)
    if form.is_valid():
        try:
            sessions = session_log(
                group=group,
                date=form.cleaned_data["date"],
                minutes=form.cleaned_data["minutes"],
                attended=form.attendance(),
                actor=user,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            present = sum(1 for s in sessions if s.attended)
            messages.success(
                request,
                gettext("Session of %(date)s logged for %(name)s: %(present)s of %(len)s attended.")
                % {
                    "date": format(form.cleaned_data["date"], "%d %b %Y"),
                    "name": group.name,
                    "present": present,
                    "len": len(sessions),
                },
            )
            return redirect("interventions:group_detail", group.pk)
    return render(
        request, "interventions/group_detail.html", _group_context(user, group, form), status=400
    )
