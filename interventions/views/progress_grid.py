"""The progress grid: this week's scores for every plan of the caseload or of one group."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from interventions.forms import EntryDateForm
from interventions.models import InterventionGroup
from interventions.selectors.caseloads import caseload_plans
from interventions.selectors.plan_analysis import plan_view, plan_views
from interventions.selectors.visibility import groups_of, plan_get_for_user
from interventions.services.progress import progress_record
from interventions.views.rendering import RECOMMENDATION_STYLE, _decimal_text, _fragment, _today
from mtss.errors import ApplicationError, EditConflict
from students.audit import AuditContext, audit_record_many
from students.models import AccessLog, User
from students.versioning import conflict_words, posted_version


def _grid_rows(user: User, group_id: int | None, date) -> list[dict[str, Any]]:
    plans = caseload_plans(user)
    if group_id:
        plans = plans.filter(group_id=group_id)
    views = plan_views(list(plans), as_of=_today())
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
                "version": on_day.version if on_day else 0,
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
            "groups": groups_of(user),
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
    plan = plan_get_for_user(user=user, pk=pk)
    form = EntryDateForm(request.POST)
    date = form.cleaned_data["date"] if form.is_valid() else _today()
    text = (request.POST.get(f"score-{plan.pk}") or "").strip()
    version = posted_version(request.POST, f"version-{plan.pk}")
    row: dict[str, Any] = {
        "plan": plan,
        "value": text,
        "saved": False,
        "error": "",
        "version": version or 0,
    }
    live = ""
    if text:
        try:
            point = progress_record(
                plan=plan,
                date=date,
                score=text,
                actor=user,
                audit=AuditContext.from_request(request),
                version=version,
            )
        except ValidationError as exc:
            row["error"] = " ".join(exc.messages)
        except EditConflict as exc:
            row["error"], row["version"] = conflict_words(exc, "score"), exc.version
        except ApplicationError as exc:
            row["error"] = exc.message
        else:
            row["value"], row["saved"] = _decimal_text(point.score), True
            row["version"] = point.version
            live = f"Saved {plan.student.full_name}: {row['value']}"
    if row["error"]:
        live = f"Not saved for {plan.student.full_name}: {row['error']}"
    view = plan_view(plan, as_of=_today())
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
    plans = list(caseload_plans(user).filter(**({"group_id": group_id} if group_id else {})))
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    versions: dict[int, int] = {}
    saved = 0
    for plan in plans:
        text = (request.POST.get(f"score-{plan.pk}") or "").strip()
        if not text:
            continue
        typed[plan.pk] = text
        try:
            progress_record(
                plan=plan,
                date=date,
                score=text,
                actor=user,
                audit=AuditContext.from_request(request),
                version=posted_version(request.POST, f"version-{plan.pk}"),
            )
            saved += 1
        except ValidationError as exc:
            errors[plan.pk] = " ".join(exc.messages)
        except EditConflict as exc:
            errors[plan.pk], versions[plan.pk] = conflict_words(exc, "score"), exc.version
        except ApplicationError as exc:
            errors[plan.pk] = exc.message
    query = urlencode({"date": date.isoformat(), **({"group": group_id} if group_id else {})})
    if not errors:
        messages.success(
            request,
            ngettext(
                "Saved %(count)s score for %(date)s.", "Saved %(count)s scores for %(date)s.", saved
            )
            % {"count": saved, "date": format(date, "%d %b %Y")},
        )
        return redirect(f"{reverse('interventions:progress_entry')}?{query}")
    rows = _grid_rows(user, group_id, date)
    for row in rows:
        pk = row["plan"].pk
        if pk in errors:
            row["error"], row["value"], row["saved"] = errors[pk], typed[pk], False
            row["version"] = versions.get(pk, row["version"])
    response = render(
        request,
        "interventions/progress_entry.html",
        {
            "rows": rows,
            "date": date,
            "group": InterventionGroup.objects.filter(pk=group_id).first() if group_id else None,
            "groups": groups_of(user),
            "save_errors": [r for r in rows if r["error"]],
            "saved_count": saved,
            "styles": RECOMMENDATION_STYLE,
            "nav_current": "interventions",
            "interventions_nav": "progress",
        },
        status=400,
    )
    return response
