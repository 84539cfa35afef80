"""The plan page (graph, data table, analysis, forms) and the POST shape its forms share."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from interventions.analysis.facts import Recommendation, Rule
from interventions.criteria import describe_entry, describe_exit
from interventions.forms import (
    FidelityForm,
    GoalStatementForm,
    PhaseChangeForm,
    PlanCloseForm,
    ProgressForm,
    SelfRatingForm,
    SessionForm,
    apply_errors,
)
from interventions.models import InterventionPlan
from interventions.plan_chart import plan_figure
from interventions.selectors.plan_analysis import plan_view
from interventions.selectors.plan_page import plan_record, progress_rows
from interventions.selectors.visibility import interventions_visible_to, plan_get_for_user
from interventions.services.permissions import may_manage_plans, may_record_for_plan
from interventions.views.graph import _graph_summary
from interventions.views.rendering import RECOMMENDATION_STYLE, _today
from mtss.errors import ApplicationError, EditConflict
from students.audit import audit_record
from students.models import AccessLog, User

PLAN_VIEW_OBJECT = "intervention_plan"


def _plan_forms(
    user: User, plan: InterventionPlan, phase_version: int, **bound: Any
) -> dict[str, Any]:
    may_record = plan.is_active and may_record_for_plan(user, plan)
    may_manage = plan.is_active and may_manage_plans(
        user, school_id=plan.student.school_id, district_id=plan.student.district_id
    )
    forms: dict[str, Any] = {"may_record": may_record, "may_manage": may_manage}
    if may_record:
        forms["progress_form"] = bound.get("progress_form") or ProgressForm()
        forms["session_form"] = bound.get("session_form") or SessionForm(
            initial={"minutes": plan.minutes_per_session}
        )
        checklist = list(plan.intervention.fidelity_checklist or [])
        if checklist:
            forms["fidelity_form"] = bound.get("fidelity_form") or FidelityForm(checklist=checklist)
        forms["goal_form"] = bound.get("goal_form") or GoalStatementForm()
        forms["rating_form"] = bound.get("rating_form") or SelfRatingForm()
        forms["phase_form"] = bound.get("phase_form") or PhaseChangeForm(
            interventions=interventions_visible_to(user).filter(active=True, domain=plan.domain),
            initial={"version": phase_version},
        )
    if may_manage:
        forms["close_form"] = bound.get("close_form") or PlanCloseForm()
    return forms


def _plan_context(request: HttpRequest, plan: InterventionPlan, **bound: Any) -> dict[str, Any]:
    user: User = request.user
    view = plan_view(plan, as_of=_today())
    record = plan_record(plan)
    analysis = view.analysis
    fidelity_detail = analysis.evidence if analysis else {}
    context = {
        "plan": plan,
        "student": plan.student,
        "view": view,
        "analysis": analysis,
        "record": record,
        "rows": progress_rows(view),
        "figure": plan_figure(view),
        "graph_summary": _graph_summary(view),
        "styles": RECOMMENDATION_STYLE,
        "style": RECOMMENDATION_STYLE.get(analysis.recommendation, "") if analysis else "",
        "recommendation_label": Recommendation(analysis.recommendation).label if analysis else "",
        "rule_label": Rule(analysis.rule).label if analysis else "",
        "fidelity_detail": fidelity_detail,
        "entry_text": describe_entry(plan.intervention.entry_criteria or {}),
        "exit_text": describe_exit(plan.intervention.exit_criteria or {}),
        "sessions_recent": list(reversed(view.sessions[-10:])),
        "plan_decisions": list(plan.decisions.select_related("recorded_by").order_by("-id")[:10]),
        "nav_current": "interventions",
        # The phase form's version: the current phase's number, from the phases read above.
        **_plan_forms(user, plan, max((p.number for p in view.phases), default=0), **bound),
        "cico": view.cico,  # also a reason of the reconciled recommendation
    }
    return context


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, pk=pk)
    audit_record(
        user=request.user,
        action=AccessLog.Action.VIEW,
        object_type=PLAN_VIEW_OBJECT,
        object_id=plan.pk,
        student=plan.student_id,
        request=request,
    )
    return render(request, "interventions/plan_detail.html", _plan_context(request, plan))


def _plan_post(
    request: HttpRequest,
    pk: int,
    *,
    form_name: str,
    build: Any,
    act: Any,
    done: str,
) -> HttpResponse:
    """The shape every plan form shares: bind, validate, call the service, redirect with a
    message, or show the page again with the errors (status 400, nothing saved)."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    form = build(plan)
    conflict: EditConflict | None = None
    if form.is_valid():
        try:
            message = act(plan, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        except EditConflict as exc:
            # A colleague saved first: show theirs and yours; the typed values stay in the
            # form with the new version, so sending it again replaces theirs on purpose.
            conflict = exc
            form.data = form.data.copy()
            form.data["version"] = str(exc.version)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message or done)
            return redirect(reverse("interventions:plan_detail", args=[plan.pk]) + f"#{form_name}")
    context = _plan_context(request, plan, **{form_name: form})
    context["conflict"] = conflict
    context["error_form"] = form_name
    if conflict is not None:
        return render(request, "interventions/plan_detail.html", context, status=409)
    if context.get(form_name) is None:
        # The form is not on the page any more (the plan was closed meanwhile): say why here.
        context["page_errors"] = [e for errors in form.errors.values() for e in errors]
    return render(request, "interventions/plan_detail.html", context, status=400)
