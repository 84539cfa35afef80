"""The plan page's form posts: score, session, fidelity, student goal and rating, phase, close."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from interventions.forms import (
    FidelityForm,
    GoalStatementForm,
    PhaseChangeForm,
    PlanCloseForm,
    ProgressForm,
    SelfRatingForm,
    SessionForm,
)
from interventions.models import InterventionPlan
from interventions.selectors.visibility import interventions_visible_to
from interventions.services import plans as plan_services
from interventions.services.fidelity import fidelity_observation_record
from interventions.services.ownership import goal_statement_record, self_rating_record
from interventions.services.phases import plan_change_phase
from interventions.services.progress import progress_record
from interventions.services.sessions import session_log
from interventions.views.plan_page import _plan_post
from interventions.views.rendering import _decimal_text
from students.audit import AuditContext


@login_required
@require_POST
def plan_progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: ProgressForm) -> str:
        point = progress_record(
            plan=plan,
            date=form.cleaned_data["date"],
            score=form.cleaned_data["score"],
            actor=request.user,
            audit=AuditContext.from_request(request),
        )
        return gettext("Score %(score)s saved for %(date)s.") % {
            "score": _decimal_text(point.score),
            "date": format(point.date, "%d %b %Y"),
        }

    return _plan_post(
        request,
        pk,
        form_name="progress_form",
        build=lambda p: ProgressForm(request.POST),
        act=act,
        done="",
    )


@login_required
@require_POST
def plan_session_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: SessionForm) -> str:
        session_log(
            plan=plan,
            date=form.cleaned_data["date"],
            minutes=form.cleaned_data["minutes"],
            attended=form.cleaned_data["attended"],
            actor=request.user,
            audit=AuditContext.from_request(request),
        )
        state = "attended" if form.cleaned_data["attended"] else "missed"
        return gettext("Session of %(date)s logged (%(state)s).") % {
            "date": format(form.cleaned_data["date"], "%d %b %Y"),
            "state": state,
        }

    return _plan_post(
        request,
        pk,
        form_name="session_form",
        build=lambda p: SessionForm(request.POST),
        act=act,
        done="",
    )


@login_required
@require_POST
def plan_fidelity_add(request: HttpRequest, pk: int) -> HttpResponse:
    def build(plan: InterventionPlan) -> FidelityForm:
        return FidelityForm(
            request.POST, checklist=list(plan.intervention.fidelity_checklist or [])
        )

    def act(plan: InterventionPlan, form: FidelityForm) -> str:
        obs = fidelity_observation_record(
            plan=plan,
            date=form.cleaned_data["date"],
            answers=form.answers(),
            observer=request.user,
            notes=form.cleaned_data["notes"],
            audit=AuditContext.from_request(request),
        )
        return gettext("Fidelity observation saved: %(percent)s%% of the checklist.") % {
            "percent": format(obs.percentage.normalize(), "f")
        }

    return _plan_post(request, pk, form_name="fidelity_form", build=build, act=act, done="")


@login_required
@require_POST
def plan_goal_statement_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: GoalStatementForm) -> str:
        goal_statement_record(
            plan=plan,
            text=form.cleaned_data["text"],
            date=form.cleaned_data["date"],
            actor=request.user,
            audit=AuditContext.from_request(request),
        )
        return gettext("The student's goal is saved.")

    return _plan_post(
        request,
        pk,
        form_name="goal_form",
        build=lambda p: GoalStatementForm(request.POST),
        act=act,
        done="",
    )


@login_required
@require_POST
def plan_self_rating_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: SelfRatingForm) -> str:
        self_rating_record(
            plan=plan,
            date=form.cleaned_data["date"],
            rating=form.cleaned_data["rating"],
            note=form.cleaned_data["note"],
            actor=request.user,
            audit=AuditContext.from_request(request),
        )
        return gettext("The student's self-rating is saved.")

    return _plan_post(
        request,
        pk,
        form_name="rating_form",
        build=lambda p: SelfRatingForm(request.POST),
        act=act,
        done="",
    )


@login_required
@require_POST
def plan_phase_change(request: HttpRequest, pk: int) -> HttpResponse:
    def build(plan: InterventionPlan) -> PhaseChangeForm:
        return PhaseChangeForm(
            request.POST,
            interventions=interventions_visible_to(request.user).filter(
                active=True, domain=plan.domain
            ),
        )

    def act(plan: InterventionPlan, form: PhaseChangeForm) -> str:
        data = form.cleaned_data
        phase = plan_change_phase(
            plan=plan,
            intervention=data["intervention"],
            goal=data["goal"] or None,
            goal_date=data["goal_date"],
            baseline=data["baseline"] or None,
            start_date=data["start_date"],
            reason=data["reason"],
            override_reason=data["override_reason"],
            actor=request.user,
            audit=AuditContext.from_request(request),
            version=data["version"],
            idempotency_key=data["idempotency_key"],
        )
        return gettext("Phase %(phase)s started on %(start_date)s.") % {
            "phase": phase.number,
            "start_date": format(phase.start_date, "%d %b %Y"),
        }

    return _plan_post(request, pk, form_name="phase_form", build=build, act=act, done="")


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: PlanCloseForm) -> str:
        closed = plan_services.plan_close(
            plan=plan,
            status=form.cleaned_data["status"],
            exit_reason=form.cleaned_data["exit_reason"],
            next_tier=form.cleaned_data["next_tier"],
            override_reason=form.cleaned_data["override_reason"],
            actor=request.user,
            audit=AuditContext.from_request(request),
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        return gettext("The plan is %(status)s.") % {"status": closed.get_status_display().lower()}

    return _plan_post(
        request,
        pk,
        form_name="close_form",
        build=lambda p: PlanCloseForm(request.POST),
        act=act,
        done="",
    )
