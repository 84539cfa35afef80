"""CICO pages: a plan's daily point card (a phone-sized grid: one row per period, one
button group per expectation) and a school's CICO report (like CICO-SWIS)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from interventions.analysis.cico import cico_judgement
from interventions.models import CicoCard
from interventions.selectors.cico import cico_report_rows, cico_report_schools
from interventions.selectors.visibility import plan_get_for_user
from interventions.services.cico import cico_card_record, cico_setup_for
from interventions.services.permissions import may_record_for_plan
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_page_view
from students.models import User


def _day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return dt.date.today()


@login_required
@require_http_methods(["GET", "POST"])
def cico_card(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    plan = plan_get_for_user(user=user, pk=pk)
    day = _day(request.POST.get("date") or request.GET.get("date"))
    setup = cico_setup_for(plan.student.school_id)
    card = CicoCard.objects.filter(plan=plan, date=day).first()
    errors: list[str] = []
    if request.method == "POST":
        if not may_record_for_plan(user, plan):
            raise PermissionDenied
        points = [
            [request.POST.get(f"p{i}_{j}", "") for j in range(len(setup.expectations))]
            for i in range(len(setup.periods))
        ]
        try:
            card = cico_card_record(
                plan=plan,
                date=day,
                points=points,
                checked_in=request.POST.get("checked_in") == "on",
                checked_out=request.POST.get("checked_out") == "on",
                home_copy_returned=request.POST.get("home_copy_returned") == "on",
                actor=user,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            errors = exc.messages
        except ApplicationError as exc:
            errors = [str(exc)]
        else:
            shown = f"{card.percent}%" if card.percent is not None else gettext("nothing rated yet")
            messages.success(
                request,
                gettext("Card for %(day)s saved: %(shown)s.")
                % {"day": format(day, "%d %b %Y"), "shown": shown},
            )
            return redirect(f"{reverse('interventions:cico_card', args=[plan.pk])}?date={day}")
    audit_page_view(request, "cico_card", [plan.student_id], plan=plan.pk)
    saved = card.points if card else []
    rows = []
    for i, period in enumerate(setup.periods):
        cells = []
        for j, expectation in enumerate(setup.expectations):
            value = saved[i][j] if i < len(saved) and j < len(saved[i]) else None
            cells.append({"name": f"p{i}_{j}", "label": expectation, "value": value})
        rows.append({"period": period, "cells": cells})
    recent = list(
        CicoCard.objects.filter(plan=plan, date__lte=day)
        .order_by("-date")
        .values_list("date", "percent")[:20]
    )
    judgement = cico_judgement(recent, as_of=day, goal_percent=setup.goal_percent)
    return render(
        request,
        "interventions/cico_card.html",
        {
            "plan": plan,
            "day": day,
            "setup": setup,
            "rows": rows,
            "ratings": list(range(setup.max_points + 1)),
            "card": card,
            "errors": errors,
            "judgement": judgement,
            "may_record": may_record_for_plan(user, plan),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
        },
    )


@login_required
def cico_report(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    schools = cico_report_schools(user)
    if not schools:
        raise PermissionDenied(gettext("The CICO report is for school teams and administrators."))
    try:
        school_id = int(request.GET.get("school") or schools[0].pk)
    except ValueError:
        school_id = schools[0].pk
    school = next((s for s in schools if s.pk == school_id), schools[0])
    as_of = _day(request.GET.get("as_of"))
    rows = cico_report_rows(user=user, school_id=school.pk, as_of=as_of)
    audit_page_view(request, "cico_report", [r["student_id"] for r in rows], school=school.pk)
    return render(
        request,
        "interventions/cico_report.html",
        {
            "schools": schools,
            "school": school,
            "rows": rows,
            "as_of": as_of,
            "nav_current": "interventions",
            "interventions_nav": "cico_report",
        },
    )
