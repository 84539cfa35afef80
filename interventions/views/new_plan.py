"""Starting a plan for a student: the form, the entry-criteria check, the override reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from interventions.analysis.goals import GROWTH_RATES
from interventions.forms import PlanStartForm, apply_errors
from interventions.models import InterventionGroup
from interventions.selectors.visibility import interventions_visible_to
from interventions.services import entry as entry_services
from interventions.services import plans as plan_services
from interventions.services.permissions import (
    NOT_A_MANAGER,
    is_interventionist_at,
    may_manage_plans,
    may_start_plan,
)
from interventions.views.rendering import _fragment
from mtss.errors import ApplicationError
from screening.models import Measure
from students import access
from students.audit import AuditContext, audit_page_view
from students.models import Student, User
from students.selectors import student_get_for_user


def _start_choices(user: User, student: Student) -> dict[str, Any]:
    manager = may_manage_plans(user, school_id=student.school_id, district_id=student.district_id)
    staff = (
        User.objects.filter(
            access.works_at_condition(
                school_id=student.school_id,
                district_id=student.district_id,
                prefix="memberships__",
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
        "interventions": interventions_visible_to(user).filter(active=True),
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
        may_manage_plans(user, school_id=student.school_id, district_id=student.district_id)
        or may_start_plan(user, student=student, interventionist=user)
    ):
        raise PermissionDenied(NOT_A_MANAGER)
    choices = _start_choices(user, student)
    if request.method != "POST":
        form = PlanStartForm(
            initial={
                "interventionist": user.pk
                if is_interventionist_at(user, student.school_id)
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
        check = entry_services.plan_entry_check(student=student, intervention=intervention)
        try:
            plan = plan_services.plan_start(
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
                override_reason=data["override_reason"],
                actor=user,
                audit=AuditContext.from_request(request),
                outside_meeting=True,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("%(name)s started for %(name2)s.")
                % {"name": intervention.name, "name2": student.full_name},
            )
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
        interventions_visible_to(user).filter(pk=intervention_pk).first()
        if intervention_pk
        else None
    )
    check = (
        entry_services.plan_entry_check(student=student, intervention=intervention)
        if intervention and student
        else None
    )
    return _fragment(
        request,
        "interventions/plan_start.html#entry",
        {"check": check, "intervention": intervention, "student": student},
    )
