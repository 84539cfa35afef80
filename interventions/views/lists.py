"""The plan list and the intervention catalog pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from interventions.criteria import describe_entry, describe_exit
from interventions.forms import PlanFilterForm
from interventions.selectors.visibility import (
    PLAN_RELATED,
    interventions_visible_to,
    plans_visible_to,
)
from mtss.lib.vocabulary import Domain
from students.audit import audit_record_many
from students.models import AccessLog, User
from students.selectors import schools_visible_to

PLANS_PER_PAGE = 50


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    form = PlanFilterForm(request.GET or None, schools=schools_visible_to(user))
    plans = plans_visible_to(user).select_related(*PLAN_RELATED)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("school"):
            plans = plans.filter(student__school=data["school"])
        if data.get("status"):
            plans = plans.filter(status=data["status"])
        if data.get("domain"):
            plans = plans.filter(domain=data["domain"])
    plans = plans.order_by("student__last_name", "student__first_name", "-start_date", "pk")
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    audit_record_many(
        user=user,
        action=AccessLog.Action.VIEW,
        object_type="plan_list",
        student_ids=sorted({p.student_id for p in page}),
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "interventions/plan_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "nav_current": "interventions",
            "interventions_nav": "plans",
        },
    )


@login_required
@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    domain = request.GET.get("domain", "")
    entries = interventions_visible_to(request.user).filter(active=True)
    if domain in Domain.values:
        entries = entries.filter(domain=domain)
    entries = list(entries.order_by("domain", "name"))
    for entry in entries:
        entry.entry_text = describe_entry(entry.entry_criteria or {})
        entry.exit_text = describe_exit(entry.exit_criteria or {})
    return render(
        request,
        "interventions/catalog.html",
        {
            "entries": entries,
            "domain": domain,
            "domains": Domain.choices,
            "nav_current": "interventions",
            "interventions_nav": "catalog",
        },
    )


@login_required
@require_GET
def catalog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(interventions_visible_to(request.user), pk=pk)
    entry.entry_text = describe_entry(entry.entry_criteria or {})
    entry.exit_text = describe_exit(entry.exit_criteria or {})
    return render(
        request,
        "interventions/catalog_detail.html",
        {"entry": entry, "nav_current": "interventions", "interventions_nav": "catalog"},
    )
