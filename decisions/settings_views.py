"""Settings: the district's decision rules (every threshold with its source), and the what-if
preview that comes before switching on a new rule-set or cut-score version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from decisions.models import RuleSet, SettingsPreview
from decisions.services import NOT_A_DISTRICT_ADMIN, rule_set_ensure, rule_set_revise
from decisions.settings_forms import RuleSetForm
from decisions.threshold_info import threshold_infos
from decisions.whatif import WhatIf, whatif_cut_scores, whatif_rule_set
from decisions.whatif_services import (
    cut_score_set_activate_after_preview,
    preview_record,
    rule_set_activate_after_preview,
)
from mtss.errors import ApplicationError
from screening.models import CutScoreSet
from students import access
from students.audit import AuditContext
from students.models import District, User


def _district(user: User) -> District:
    return access.settings_district(user, refusal=NOT_A_DISTRICT_ADMIN)


@login_required
@require_http_methods(["GET", "POST"])
def rule_sets(request: HttpRequest) -> HttpResponse:
    district = _district(request.user)
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


def _preview_context(request: HttpRequest, whatif: WhatIf | None, preview: SettingsPreview | None):
    return {
        "whatif": whatif,
        "preview": preview,
        "tables": [
            (gettext("By student group"), "group", whatif.rows.get("group", []) if whatif else []),
            (gettext("By school"), "school", whatif.rows.get("school", []) if whatif else []),
            (gettext("By grade"), "grade", whatif.rows.get("grade", []) if whatif else []),
        ],
    }


@login_required
@require_GET
def rule_set_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request.user)
    rule_set = RuleSet.objects.filter(pk=pk, district=district).first()
    if rule_set is None:
        raise Http404("No such rule-set version in your district.")
    active = rule_set_ensure(district_id=district.pk)
    whatif = (
        None
        if rule_set.is_active
        else whatif_rule_set(rule_set=rule_set, as_of=timezone.localdate())
    )
    preview = (
        None
        if rule_set.is_active
        else preview_record(actor=request.user, whatif=whatif, rule_set=rule_set)
    )
    changed = [
        {
            "info": info,
            "old": active.thresholds.get(info.name),
            "new": rule_set.thresholds.get(info.name),
        }
        for info in threshold_infos()
        if active.thresholds.get(info.name) != rule_set.thresholds.get(info.name)
    ]
    context = _preview_context(request, whatif, preview)
    context.update(
        {
            "subject": f"Decision rules, version {rule_set.version}",
            "target": rule_set,
            "changed_thresholds": changed,
            "activate_url": "decisions_settings:rule_set_activate",
            "back_url": "decisions_settings:rule_sets",
        }
    )
    return render(request, "decisions/settings/whatif.html", context)


@login_required
@require_POST
def rule_set_activate_view(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request.user)
    rule_set = RuleSet.objects.filter(pk=pk, district=district).first()
    if rule_set is None:
        raise Http404("No such rule-set version in your district.")
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


def _cut_set(user: User, pk: int) -> CutScoreSet:
    district = _district(user)
    cut_set = (
        CutScoreSet.objects.select_related("measure").filter(Q(district=district), pk=pk).first()
    )
    if cut_set is None:
        raise Http404("No such cut-score version in your district.")
    return cut_set


@login_required
@require_GET
def cut_score_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    cut_set = _cut_set(request.user, pk)
    whatif = (
        None
        if cut_set.is_active
        else whatif_cut_scores(cut_set=cut_set, as_of=timezone.localdate())
    )
    preview = (
        None
        if cut_set.is_active
        else preview_record(actor=request.user, whatif=whatif, cut_score_set=cut_set)
    )
    context = _preview_context(request, whatif, preview)
    context.update(
        {
            "subject": f"{cut_set.name}, version {cut_set.version}",
            "target": cut_set,
            "cut_set": cut_set,
            "activate_url": "decisions_settings:cut_score_activate",
            "back_url": "screening_settings:cut_scores",
        }
    )
    return render(request, "decisions/settings/whatif.html", context)


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
