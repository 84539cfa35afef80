"""Interventions pages: caseload, the progress grid, groups and their sessions, the plan page
(graph, data table, analysis in plain words, forms), starting a plan, the plan list and the
catalog; plus the "Intervention plans" card of the student profile.

Function views, one per action: a selector reads (interventions/selectors.py), a service
writes (interventions/services.py), a template renders. A plan whose student the user may not
see is a 404. A refused write re-renders the page with the message beside the field and
status 400; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from interventions import selectors, services
from interventions.analysis import GROWTH_RATES, Recommendation, Rule
from interventions.criteria import describe_entry, describe_exit
from interventions.forms import (
    EntryDateForm,
    FidelityForm,
    GoalStatementForm,
    GroupCreateForm,
    GroupSessionForm,
    PhaseChangeForm,
    PlanCloseForm,
    PlanFilterForm,
    PlanStartForm,
    ProgressForm,
    SelfRatingForm,
    SessionForm,
    apply_errors,
)
from interventions.models import (
    InterventionGroup,
    InterventionPlan,
    InterventionSession,
)
from interventions.plan_chart import plan_figure
from mtss.errors import ApplicationError
from mtss.lib.vocabulary import Domain
from screening.models import Measure
from students.audit import audit_page_view, audit_record, audit_record_many
from students.models import AccessLog, Role, School, Student, User
from students.selectors import memberships_of, schools_visible_to, student_get_for_user

PLAN_VIEW_OBJECT = "intervention_plan"
CASELOAD_VIEW_OBJECT = "caseload"
PLANS_PER_PAGE = 50
RECENT_SESSION_DAYS = 10

RECOMMENDATION_STYLE = {
    Recommendation.INSUFFICIENT_DATA: "rec-neutral",
    Recommendation.CONTINUE: "rec-ok",
    Recommendation.RAISE_GOAL: "rec-good",
    Recommendation.CHANGE_INTERVENTION: "rec-act",
    Recommendation.IMPROVE_FIDELITY: "rec-warn",
    Recommendation.EXIT: "rec-good",
}


def _fragment(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _today():
    return timezone.localdate()


def _decimal_text(value: Any) -> str:
    return selectors.score_number(value) if value is not None else ""


# -- the graph -----------------------------------------------------------------------------


def _graph_summary(view: selectors.PlanView) -> str:
    """One sentence for screen readers describing what the graph shows."""
    n = len(view.phase_points)
    if not view.points:
        return "No progress scores yet: the graph shows the aim line from the baseline to the goal."
    last = view.points[-1]
    text = (
        f"{len(view.points)} score{'s' if len(view.points) != 1 else ''} in all, {n} in the "
        f"current phase; latest {_decimal_text(last.score)} on {last.date:%d %b %Y}."
    )
    if view.plan.goal is not None and view.plan.goal_date:
        text += f" Goal {_decimal_text(view.plan.goal)} by {view.plan.goal_date:%d %b %Y}."
    if view.analysis and view.analysis.trend_slope is not None:
        text += f" Trend {view.analysis.trend_slope:+.2f} a week"
        if view.analysis.aim_slope is not None:
            text += f" against an aim of {view.analysis.aim_slope:+.2f} a week"
        text += "."
    return text


# -- caseload ------------------------------------------------------------------------------


def _interventionist_schools(user: User) -> list[int]:
    return [m.school_id for m in memberships_of(user) if m.role == Role.INTERVENTIONIST]


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """The interventionist's plans: next sessions, recommendations waiting, overdue data."""
    user: User = request.user
    today = _today()
    load = selectors.caseload(user, as_of=today)
    audit_record_many(
        user=user,
        action=AccessLog.Action.VIEW,
        object_type=CASELOAD_VIEW_OBJECT,
        student_ids=sorted({v.plan.student_id for v in load.views}),
        request=request,
    )
    school_ids = _interventionist_schools(user)
    group_form = (
        GroupCreateForm(
            schools=School.objects.filter(pk__in=school_ids),
            initial={"school": school_ids[0]} if len(school_ids) == 1 else None,
        )
        if school_ids
        else None
    )
    return render(
        request,
        "interventions/caseload.html",
        {
            "load": load,
            "today": today,
            "overdue_days": selectors.overdue_days(),
            "group_form": group_form,
            "styles": RECOMMENDATION_STYLE,
            "nav_current": "interventions",
            "interventions_nav": "caseload",
        },
    )


@login_required
@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    school_ids = _interventionist_schools(user)
    form = GroupCreateForm(request.POST, schools=School.objects.filter(pk__in=school_ids))
    if form.is_valid():
        try:
            group = services.group_create(
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
                f"Group {group.name} created. Add plans to it from each plan's page or when starting a plan.",
            )
            return redirect("interventions:group_detail", group.pk)
    else:
        messages.error(request, "Give the group a name and choose its school.")
    return redirect("interventions:caseload")


# -- progress grid -------------------------------------------------------------------------


def _grid_rows(user: User, group_id: int | None, date) -> list[dict[str, Any]]:
    plans = selectors.caseload_plans(user)
    if group_id:
        plans = plans.filter(group_id=group_id)
    views = selectors.plan_views(list(plans), as_of=_today())
    rows = []
    for view in views.values():
        on_day = next((p for p in view.points if p.date == date), None)
        rows.append(
            {
                "view": view,
                "plan": view.plan,
                "recent": view.points[-3:],
                "value": _decimal_text(on_day.score) if on_day else "",
                "saved": on_day is not None,
                "error": "",
            }
        )
    rows.sort(
        key=lambda r: (r["plan"].student.last_name, r["plan"].student.first_name, r["plan"].pk)
    )
    return rows


@login_required
@require_GET
def progress_entry(request: HttpRequest) -> HttpResponse:
    """Enter this week's scores for every active plan of the caseload (or of one group)."""
    user: User = request.user
    form = EntryDateForm(request.GET or None)
    date = form.cleaned_data["date"] if form.is_valid() else _today()
    group_id = form.cleaned_data.get("group") if form.is_valid() else None
    group = (
        get_object_or_404(InterventionGroup, pk=group_id, interventionist=user)
        if group_id
        else None
    )
    rows = _grid_rows(user, group_id, date)
    audit_record_many(
        user=user,
        action=AccessLog.Action.VIEW,
        object_type="progress_grid",
        student_ids=[r["plan"].student_id for r in rows],
        request=request,
    )
    return render(
        request,
        "interventions/progress_entry.html",
        {
            "rows": rows,
            "date": date,
            "group": group,
            "groups": selectors.groups_of(user),
            "future": date > _today(),
            "styles": RECOMMENDATION_STYLE,
            "nav_current": "interventions",
            "interventions_nav": "progress",
        },
    )


@login_required
@require_POST
def progress_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one box of the grid; answer with the box and the row's recommendation."""
    user: User = request.user
    plan = selectors.plan_get_for_user(user=user, pk=pk)
    form = EntryDateForm(request.POST)
    date = form.cleaned_data["date"] if form.is_valid() else _today()
    text = (request.POST.get(f"score-{plan.pk}") or "").strip()
    row: dict[str, Any] = {"plan": plan, "value": text, "saved": False, "error": ""}
    live = ""
    if text:
        try:
            point = services.progress_record(
                plan=plan, date=date, score=text, actor=user, request=request
            )
        except ValidationError as exc:
            row["error"] = " ".join(exc.messages)
        except ApplicationError as exc:
            row["error"] = exc.message
        else:
            row["value"], row["saved"] = _decimal_text(point.score), True
            live = f"Saved {plan.student.full_name}: {row['value']}"
    if row["error"]:
        live = f"Not saved for {plan.student.full_name}: {row['error']}"
    view = selectors.plan_view(plan, as_of=_today())
    row["view"] = view
    return _fragment(
        request,
        "interventions/progress_entry.html#cell",
        {"row": row, "date": date, "live": live, "oob": True, "styles": RECOMMENDATION_STYLE},
    )


@login_required
@require_POST
def progress_grid_save(request: HttpRequest) -> HttpResponse:
    """Save every filled box at once (the grid without JavaScript, or "Save all")."""
    user: User = request.user
    form = EntryDateForm(request.POST)
    date = form.cleaned_data["date"] if form.is_valid() else _today()
    group_id = form.cleaned_data.get("group") if form.is_valid() else None
    plans = list(
        selectors.caseload_plans(user).filter(**({"group_id": group_id} if group_id else {}))
    )
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    saved = 0
    for plan in plans:
        text = (request.POST.get(f"score-{plan.pk}") or "").strip()
        if not text:
            continue
        typed[plan.pk] = text
        try:
            services.progress_record(plan=plan, date=date, score=text, actor=user, request=request)
            saved += 1
        except ValidationError as exc:
            errors[plan.pk] = " ".join(exc.messages)
        except ApplicationError as exc:
            errors[plan.pk] = exc.message
    query = urlencode({"date": date.isoformat(), **({"group": group_id} if group_id else {})})
    if not errors:
        messages.success(
            request, f"Saved {saved} score{'s' if saved != 1 else ''} for {date:%d %b %Y}."
        )
        return redirect(f"{reverse('interventions:progress_entry')}?{query}")
    rows = _grid_rows(user, group_id, date)
    for row in rows:
        pk = row["plan"].pk
        if pk in errors:
            row["error"], row["value"], row["saved"] = errors[pk], typed[pk], False
    response = render(
        request,
        "interventions/progress_entry.html",
        {
            "rows": rows,
            "date": date,
            "group": InterventionGroup.objects.filter(pk=group_id).first() if group_id else None,
            "groups": selectors.groups_of(user),
            "save_errors": [r for r in rows if r["error"]],
            "saved_count": saved,
            "styles": RECOMMENDATION_STYLE,
            "nav_current": "interventions",
            "interventions_nav": "progress",
        },
        status=400,
    )
    return response


# -- groups --------------------------------------------------------------------------------


def _group_context(user: User, group: InterventionGroup, form: GroupSessionForm | None = None):
    plans = selectors.group_plans(user=user, group=group)
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
    group = selectors.group_get_for_user(user=user, pk=pk)
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
    group = selectors.group_get_for_user(user=user, pk=pk)
    plans = selectors.group_plans(user=user, group=group)
    form = GroupSessionForm(request.POST, plans=plans)
    if form.is_valid():
        try:
            sessions = services.session_log(
                group=group,
                date=form.cleaned_data["date"],
                minutes=form.cleaned_data["minutes"],
                attended=form.attendance(),
                actor=user,
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            present = sum(1 for s in sessions if s.attended)
            messages.success(
                request,
                f"Session of {form.cleaned_data['date']:%d %b %Y} logged for {group.name}: "
                f"{present} of {len(sessions)} attended.",
            )
            return redirect("interventions:group_detail", group.pk)
    return render(
        request, "interventions/group_detail.html", _group_context(user, group, form), status=400
    )


# -- the plan page -------------------------------------------------------------------------


def _plan_forms(user: User, plan: InterventionPlan, **bound: Any) -> dict[str, Any]:
    may_record = plan.is_active and services.may_record_for_plan(user, plan)
    may_manage = plan.is_active and services.may_manage_plans(
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
            interventions=selectors.interventions_visible_to(user).filter(
                active=True, domain=plan.domain
            )
        )
    if may_manage:
        forms["close_form"] = bound.get("close_form") or PlanCloseForm()
    return forms


def _plan_context(request: HttpRequest, plan: InterventionPlan, **bound: Any) -> dict[str, Any]:
    user: User = request.user
    view = selectors.plan_view(plan, as_of=_today())
    record = selectors.plan_record(plan)
    analysis = view.analysis
    fidelity_detail = analysis.evidence if analysis else {}
    context = {
        "plan": plan,
        "student": plan.student,
        "view": view,
        "analysis": analysis,
        "record": record,
        "rows": selectors.progress_rows(view),
        "figure": plan_figure(view),
        "graph_summary": _graph_summary(view),
        "style": RECOMMENDATION_STYLE.get(analysis.recommendation, "") if analysis else "",
        "recommendation_label": Recommendation(analysis.recommendation).label if analysis else "",
        "rule_label": Rule(analysis.rule).label if analysis else "",
        "fidelity_detail": fidelity_detail,
        "entry_text": describe_entry(plan.intervention.entry_criteria or {}),
        "exit_text": describe_exit(plan.intervention.exit_criteria or {}),
        "sessions_recent": list(reversed(view.sessions[-10:])),
        "nav_current": "interventions",
        **_plan_forms(user, plan, **bound),
    }
    return context


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
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
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    form = build(plan)
    if form.is_valid():
        try:
            message = act(plan, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message or done)
            return redirect(reverse("interventions:plan_detail", args=[plan.pk]) + f"#{form_name}")
    context = _plan_context(request, plan, **{form_name: form})
    context["error_form"] = form_name
    if context.get(form_name) is None:
        # The form is not on the page any more (the plan was closed meanwhile): say why here.
        context["page_errors"] = [e for errors in form.errors.values() for e in errors]
    return render(request, "interventions/plan_detail.html", context, status=400)


@login_required
@require_POST
def plan_progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: ProgressForm) -> str:
        point = services.progress_record(
            plan=plan,
            date=form.cleaned_data["date"],
            score=form.cleaned_data["score"],
            actor=request.user,
            request=request,
        )
        return f"Score {_decimal_text(point.score)} saved for {point.date:%d %b %Y}."

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
        services.session_log(
            plan=plan,
            date=form.cleaned_data["date"],
            minutes=form.cleaned_data["minutes"],
            attended=form.cleaned_data["attended"],
            actor=request.user,
            request=request,
        )
        state = "attended" if form.cleaned_data["attended"] else "missed"
        return f"Session of {form.cleaned_data['date']:%d %b %Y} logged ({state})."

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
        obs = services.fidelity_observation_record(
            plan=plan,
            date=form.cleaned_data["date"],
            answers=form.answers(),
            observer=request.user,
            notes=form.cleaned_data["notes"],
            request=request,
        )
        return f"Fidelity observation saved: {obs.percentage.normalize():f}% of the checklist."

    return _plan_post(request, pk, form_name="fidelity_form", build=build, act=act, done="")


@login_required
@require_POST
def plan_goal_statement_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: GoalStatementForm) -> str:
        services.goal_statement_record(
            plan=plan,
            text=form.cleaned_data["text"],
            date=form.cleaned_data["date"],
            actor=request.user,
            request=request,
        )
        return "The student's goal is saved."

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
        services.self_rating_record(
            plan=plan,
            date=form.cleaned_data["date"],
            rating=form.cleaned_data["rating"],
            note=form.cleaned_data["note"],
            actor=request.user,
            request=request,
        )
        return "The student's self-rating is saved."

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
            interventions=selectors.interventions_visible_to(request.user).filter(
                active=True, domain=plan.domain
            ),
        )

    def act(plan: InterventionPlan, form: PhaseChangeForm) -> str:
        data = form.cleaned_data
        phase = services.plan_change_phase(
            plan=plan,
            intervention=data["intervention"],
            goal=data["goal"] or None,
            goal_date=data["goal_date"],
            baseline=data["baseline"] or None,
            start_date=data["start_date"],
            reason=data["reason"],
            actor=request.user,
            request=request,
        )
        return f"Phase {phase.number} started on {phase.start_date:%d %b %Y}."

    return _plan_post(request, pk, form_name="phase_form", build=build, act=act, done="")


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(plan: InterventionPlan, form: PlanCloseForm) -> str:
        services.plan_close(
            plan=plan,
            status=form.cleaned_data["status"],
            exit_reason=form.cleaned_data["exit_reason"],
            next_tier=form.cleaned_data["next_tier"],
            actor=request.user,
            request=request,
        )
        return f"The plan is {plan.get_status_display().lower()}."

    return _plan_post(
        request,
        pk,
        form_name="close_form",
        build=lambda p: PlanCloseForm(request.POST),
        act=act,
        done="",
    )


# -- starting a plan -----------------------------------------------------------------------


def _start_choices(user: User, student: Student) -> dict[str, Any]:
    manager = services.may_manage_plans(
        user, school_id=student.school_id, district_id=student.district_id
    )
    staff = (
        User.objects.filter(
            Q(memberships__school_id=student.school_id)
            | Q(
                memberships__role=Role.DISTRICT_ADMIN, memberships__district_id=student.district_id
            ),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
        if manager
        else User.objects.filter(pk=user.pk)
    )
    groups = InterventionGroup.objects.filter(
        school_id=student.school_id, active=True
    ).select_related("interventionist")
    if not manager:
        groups = groups.filter(interventionist=user)
    return {
        "interventions": selectors.interventions_visible_to(user).filter(active=True),
        "measures": Measure.objects.filter(
            Q(district__isnull=True) | Q(district_id=student.district_id),
            active=True,
            purpose__in=[Measure.Purpose.PROGRESS, Measure.Purpose.BOTH],
            lowest_grade__lte=student.grade,
            highest_grade__gte=student.grade,
        ).order_by("domain", "name"),
        "staff": staff,
        "groups": groups,
    }


def _start_context(student: Student, form: PlanStartForm, check: Any = None) -> dict[str, Any]:
    rates = GROWTH_RATES.get(student.grade)
    return {
        "student": student,
        "form": form,
        "check": check,
        "growth": rates,
        "nav_current": "interventions",
    }


@login_required
def plan_start(request: HttpRequest) -> HttpResponse:
    """Start a plan for a student: the form, the entry-criteria check, the override reason."""
    user: User = request.user
    try:
        student_pk = int(request.GET.get("student") or request.POST.get("student") or 0)
    except ValueError:
        student_pk = 0
    student = student_get_for_user(user=user, pk=student_pk)
    if not (
        services.may_manage_plans(
            user, school_id=student.school_id, district_id=student.district_id
        )
        or services.may_start_plan(user, student=student, interventionist=user)
    ):
        raise PermissionDenied(services.NOT_A_MANAGER)
    choices = _start_choices(user, student)
    if request.method != "POST":
        form = PlanStartForm(
            initial={
                "interventionist": user.pk
                if services.is_interventionist_at(user, student.school_id)
                else None
            },
            **choices,
        )
        audit_page_view(request, "plan_start", [student.pk])
        return render(request, "interventions/plan_start.html", _start_context(student, form))
    form = PlanStartForm(request.POST, **choices)
    check = None
    if form.is_valid():
        data = form.cleaned_data
        intervention = data["intervention"]
        check = services.plan_entry_check(student=student, intervention=intervention)
        try:
            plan = services.plan_start(
                student=student,
                intervention=intervention,
                tier=data["tier"],
                domain=intervention.domain,
                measure=data["measure"],
                interventionist=data["interventionist"],
                start_date=data["start_date"],
                baseline=data["baseline"] or None,
                goal=data["goal"],
                goal_date=data["goal_date"],
                sessions_per_week=data["sessions_per_week"],
                minutes_per_session=data["minutes_per_session"],
                group=data["group"],
                entry_override_reason=data["entry_override_reason"],
                actor=user,
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{intervention.name} started for {student.full_name}.")
            return redirect("interventions:plan_detail", plan.pk)
    return render(
        request, "interventions/plan_start.html", _start_context(student, form, check), status=400
    )


@login_required
@require_GET
def plan_entry_check(request: HttpRequest) -> HttpResponse:
    """The entry-criteria check for the chosen intervention (htmx, on choosing it)."""
    user: User = request.user
    try:
        student = student_get_for_user(user=user, pk=int(request.GET.get("student") or 0))
        intervention_pk = int(request.GET.get("intervention") or 0)
    except ValueError:
        intervention_pk = 0
        student = None
    intervention = (
        selectors.interventions_visible_to(user).filter(pk=intervention_pk).first()
        if intervention_pk
        else None
    )
    check = (
        services.plan_entry_check(student=student, intervention=intervention)
        if intervention and student
        else None
    )
    return _fragment(
        request,
        "interventions/plan_start.html#entry",
        {"check": check, "intervention": intervention, "student": student},
    )


# -- plan list and catalog ------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    form = PlanFilterForm(request.GET or None, schools=schools_visible_to(user))
    plans = selectors.plans_visible_to(user).select_related(*selectors.PLAN_RELATED)
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
    entries = selectors.interventions_visible_to(request.user).filter(active=True)
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
    entry = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
    entry.entry_text = describe_entry(entry.entry_criteria or {})
    entry.exit_text = describe_exit(entry.exit_criteria or {})
    return render(
        request,
        "interventions/catalog_detail.html",
        {"entry": entry, "nav_current": "interventions", "interventions_nav": "catalog"},
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Interventionists land on their caseload, everyone else on the plan list."""
    if Role.INTERVENTIONIST in {m.role for m in memberships_of(request.user)}:
        return redirect("interventions:caseload")
    return redirect("interventions:plan_list")


# -- the student profile card --------------------------------------------------------------


def student_plans_card(*, user: User, student: Student) -> dict[str, Any]:
    """The "Intervention plans" card: the student's plans and tier history per domain."""
    plans = selectors.student_plans(user=user, student=student)
    history = selectors.tier_history(student=student)
    current = {p.domain: p.tier for p in history if p.end_date is None}
    return {
        "plans": plans,
        "tiers": [
            {"domain": label, "tier": current.get(value, 1)} for value, label in Domain.choices
        ],
        "history": history,
        "may_start": services.may_manage_plans(
            user, school_id=student.school_id, district_id=student.district_id
        )
        or services.may_start_plan(user, student=student, interventionist=user),
    }


def student_tiers_card(*, user: User, student: Student) -> dict[str, Any]:
    """Profile card: the current tier per domain and the dated history behind it."""
    history = selectors.tier_history(student=student)
    current = {p.domain: p for p in history if p.end_date is None}
    return {
        "domains": [
            {"label": label, "placement": current.get(value)} for value, label in Domain.choices
        ],
        "history": history,
    }
