"""Settings: the district's decision rules (every threshold with its source), and the what-if
preview that comes before switching on a new rule-set or cut-score version."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from decisions.models import RuleSet, SettingsPreview
from decisions.services import NOT_A_DISTRICT_ADMIN, rule_set_ensure, rule_set_revise
from decisions.settings_forms import RuleSetForm
from decisions.threshold_info import threshold_infos
from decisions.whatif_jobs import preview_request, previews_check
from decisions.whatif_services import (
    cut_score_set_activate_after_preview,
    preview_current,
    preview_seen,
    rule_set_activate_after_preview,
)
from mtss.errors import ApplicationError
from screening.models import CutScoreSet
from students import access, settings_choice
from students.audit import AuditContext
from students.imports import progress_rows
from students.models import District, User

# The shared progress fragment's words for a what-if job (templates/imports/_progress.html).
PREVIEW_WORDS = {
    "queued": gettext_lazy("Waiting for a worker to start the preview…"),
    "running": gettext_lazy("Working out what would change… this page updates by itself."),
    "succeeded": gettext_lazy("Finished."),
    "failed": gettext_lazy("The preview could not be worked out."),
    "bar": gettext_lazy("Preview progress"),
    "steps": True,
}


def _district(request: HttpRequest) -> District:
    return settings_choice.settings_district(request, refusal=NOT_A_DISTRICT_ADMIN)


@login_required
@require_http_methods(["GET", "POST"])
def rule_sets(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    active = rule_set_ensure(district_id=district.pk)
    form = RuleSetForm(request.POST or None, current=active.thresholds)
    if request.method == "POST" and form.is_valid():
        try:
            draft = rule_set_revise(
                district=district,
                changes=form.changes(),
                notes=form.cleaned_data["reason"],
                activate=False,
                actor=request.user,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            for name, msgs in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, msgs)
        else:
            messages.success(
                request,
                gettext(
                    "Version %(version)s is saved as a draft. Check what it would change, "
                    "then switch it on."
                )
                % {"version": draft.version},
            )
            return redirect("decisions_settings:rule_set_whatif", pk=draft.pk)
    versions = RuleSet.objects.filter(district=district).select_related("created_by")
    infos = threshold_infos()
    return render(
        request,
        "decisions/settings/rule_sets.html",
        {
            "district": district,
            "active": active,
            "form": form,
            "groups": form.rows(),
            "versions": versions[:20],
            "infos": infos,
        },
        status=400 if form.errors else 200,
    )


def _draft(model, user: User, pk: int, missing: str):
    """The version `pk` of any district the user administers (a superuser: any district's,
    so the preview judges the draft's own district, not the first one)."""
    access.settings_district(user, refusal=NOT_A_DISTRICT_ADMIN)  # refuses non-administrators
    target = model.objects.filter(pk=pk, district__isnull=False).first()
    if target is None or not access.is_district_admin_of(user, target.district_id):
        raise Http404(missing)
    return target


def _rule_set(user: User, pk: int) -> RuleSet:
    return _draft(RuleSet, user, pk, "No such rule-set version in your district.")


def _cut_set(user: User, pk: int) -> CutScoreSet:
    return _draft(CutScoreSet, user, pk, "No such cut-score version in your district.")


def _whatif(preview: SettingsPreview) -> dict[str, Any] | None:
    """The finished preview's numbers as the page shows them."""
    summary = preview.summary or {}
    if summary.get("no_data"):
        return None
    rows = (preview.result or {}).get("rows", {})
    return summary | {
        "as_of": date.fromisoformat(summary["as_of"]),
        "window": preview.window,
        "rows": rows,
    }


def _whatif_page(request: HttpRequest, target, subject: str, **context: Any) -> HttpResponse:
    """The what-if page of a draft: ask for the preview (POST), watch it being worked out,
    read its result (which records the reading), switch the version on."""
    kind = "cut_score_set" if isinstance(target, CutScoreSet) else "rule_set"
    if request.method == "POST":
        under_way = preview_current(actor=request.user, **{kind: target})
        # A second click while one is being worked out follows that one.
        if not target.is_active and (under_way is None or under_way.is_finished):
            preview_request(actor=request.user, **{kind: target})
        return redirect(request.path)
    preview = None if target.is_active else preview_current(actor=request.user, **{kind: target})
    if preview is not None and not preview.is_finished:
        previews_check(preview_id=preview.pk)
        preview.refresh_from_db()
    whatif = None
    if preview is not None and preview.status == SettingsPreview.Status.SUCCEEDED:
        preview = preview_seen(preview=preview, actor=request.user)
        whatif = _whatif(preview)
    rows = whatif["rows"] if whatif else {}
    context |= {
        "subject": subject,
        "target": target,
        "preview": preview,
        "whatif": whatif,
        "tables": [
            (gettext("By student group"), "group", rows.get("group", [])),
            (gettext("By school"), "school", rows.get("school", [])),
            (gettext("By grade"), "grade", rows.get("grade", [])),
        ],
    }
    if preview is not None and not preview.is_finished:
        context |= _progress_context(preview)
    return render(request, "decisions/settings/whatif.html", context)


def _progress_context(preview: SettingsPreview) -> dict[str, Any]:
    return {
        "job": preview,
        "progress_rows": progress_rows(preview),
        "poll_url": reverse("decisions_settings:preview_progress", args=[preview.pk]),
        "job_words": PREVIEW_WORDS,
    }


@login_required
@require_GET
def preview_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the what-if page polls every second (htmx); once the job is
    finished the page reloads itself to show the result (or the reason it failed)."""
    # 403 for anyone who administers no district, as every page
    access.settings_district(request.user, refusal=NOT_A_DISTRICT_ADMIN)
    preview = SettingsPreview.objects.filter(pk=pk, requested_by=request.user).first()
    if preview is None or not access.is_district_admin_of(request.user, preview.district_id):
        raise Http404("No such preview of yours.")
    previews_check(preview_id=preview.pk)
    preview.refresh_from_db()
    response = render(request, "imports/_progress.html", _progress_context(preview))
    response["Cache-Control"] = "no-store"
    if preview.is_finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = _rule_set(request.user, pk)
    active = rule_set_ensure(district_id=rule_set.district_id)
    changed = [
        {
            "info": info,
            "old": active.thresholds.get(info.name),
            "new": rule_set.thresholds.get(info.name),
        }
        for info in threshold_infos()
        if active.thresholds.get(info.name) != rule_set.thresholds.get(info.name)
    ]
    return _whatif_page(
        request,
        rule_set,
        gettext("Decision rules, version %(version)s") % {"version": rule_set.version},
        changed_thresholds=changed,
        activate_url="decisions_settings:rule_set_activate",
        back_url="decisions_settings:rule_sets",
    )


@login_required
@require_POST
def rule_set_activate_view(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = _rule_set(request.user, pk)
    try:
        rule_set_activate_after_preview(
            rule_set=rule_set,
            preview_id=int(request.POST.get("preview") or 0),
            actor=request.user,
            audit=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("decisions_settings:rule_set_whatif", pk=rule_set.pk)
    messages.success(
        request,
        gettext(
            "Decision rules version %(version)s is in use. The rules are running for the "
            "district now; flags update in a few minutes."
        )
        % {"version": rule_set.version},
    )
    return redirect("decisions_settings:rule_sets")


@login_required
@require_http_methods(["GET", "POST"])
def cut_score_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    cut_set = _cut_set(request.user, pk)
    return _whatif_page(
        request,
        cut_set,
        gettext("%(name)s, version %(version)s")
        % {"name": cut_set.name, "version": cut_set.version},
        cut_set=cut_set,
        activate_url="decisions_settings:cut_score_activate",
        back_url="screening_settings:cut_scores",
    )


@login_required
@require_POST
def cut_score_activate_view(request: HttpRequest, pk: int) -> HttpResponse:
    cut_set = _cut_set(request.user, pk)
    try:
        cut_score_set_activate_after_preview(
            cut_score_set=cut_set,
            preview_id=int(request.POST.get("preview") or 0),
            actor=request.user,
            audit=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("decisions_settings:cut_score_whatif", pk=cut_set.pk)
    messages.success(
        request,
        gettext(
            "%(name)s version %(version)s is in use. The current window's scores "
            "follow it now; the rules are running and flags update in a few minutes."
        )
        % {"name": cut_set.name, "version": cut_set.version},
    )
    return redirect("screening_settings:cut_score_set", pk=cut_set.pk)
