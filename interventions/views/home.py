"""Where interventions users land: an interventionist's caseload, else the plan list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from interventions.forms import GroupCreateForm
from interventions.selectors import caseloads
from interventions.selectors.plan_analysis import overdue_days
from interventions.views.rendering import RECOMMENDATION_STYLE, _today
from students.audit import audit_record_many
from students.models import AccessLog, Role, School, User
from students.selectors import memberships_of

CASELOAD_VIEW_OBJECT = "caseload"


def _interventionist_schools(user: User) -> list[int]:
    return [m.school_id for m in memberships_of(user) if m.role == Role.INTERVENTIONIST]


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """The interventionist's plans: next sessions, recommendations waiting, overdue data."""
    user: User = request.user
    today = _today()
    load = caseloads.caseload(user, as_of=today)
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
            "overdue_days": overdue_days(),
            "group_form": group_form,
            "styles": RECOMMENDATION_STYLE,
            "nav_current": "interventions",
            "interventions_nav": "caseload",
        },
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Interventionists land on their caseload, everyone else on the plan list."""
    if Role.INTERVENTIONIST in {m.role for m in memberships_of(request.user)}:
        return redirect("interventions:caseload")
    return redirect("interventions:plan_list")
