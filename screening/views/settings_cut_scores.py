"""Settings: cut-score sets. A grid per grade and window for each version; editing saves a
new version (with the reason) as a draft, which is previewed and then switched on. Shipped
reference sets are read-only: the district copies one and edits its copy.

The preview lives above screening (it runs the decision rules); this page links a draft to it
through the PREVIEW_PAGES slot, never naming the app that offers it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mtss.errors import ApplicationError
from screening.models.cut_scores import CutScoreSet
from screening.models.values import Season
from screening.services.cut_scores import cut_score_set_copy, cut_score_set_revise
from screening.settings_forms import CutGridForm
from screening.views.settings_common import (
    errors_to_form,
    may_change,
    require_change,
    settings_district,
)
from students import slots
from students.audit import AuditContext
from students.models import District, grade_label


def preview_url(cut_set: CutScoreSet) -> str | None:
    entry = slots.PREVIEW_PAGES.get("cut_score_set")
    return reverse(entry.url_name, args=[cut_set.pk]) if entry else None


def _set_of(request: HttpRequest, pk: int) -> tuple[CutScoreSet, District]:
    district = settings_district(request)
    cut_set = (
        CutScoreSet.objects.select_related("measure", "created_by")
        .filter(Q(district=district) | Q(district__isnull=True), pk=pk)
        .first()
    )
    if cut_set is None:
        raise Http404("No such cut-score set in your district.")
    return cut_set, district


def _grid(cut_set: CutScoreSet) -> list[dict[str, Any]]:
    rows = {(r.grade, r.season): r for r in cut_set.rows.all()}
    measure = cut_set.measure
    return [
        {
            "label": grade_label(g),
            "cells": [rows.get((g, s)) for s in Season.values],
        }
        for g in range(measure.lowest_grade, measure.highest_grade + 1)
    ]


@login_required
@require_GET
def cut_score_sets(request: HttpRequest) -> HttpResponse:
    district = settings_district(request)
    sets = (
        CutScoreSet.objects.filter(Q(district=district) | Q(district__isnull=True))
        .select_related("measure")
        .order_by("measure__name", "district", "-version")
    )
    by_measure: dict[int, dict[str, Any]] = {}
    for s in sets:
        entry = by_measure.setdefault(
            s.measure_id, {"measure": s.measure, "own": [], "reference": []}
        )
        (entry["reference"] if s.is_reference else entry["own"]).append(s)
    return render(
        request,
        "screening/settings/cut_scores.html",
        {
            "groups": list(by_measure.values()),
            "may_change": may_change(request.user, district),
            "district": district,
        },
    )


@login_required
@require_GET
def cut_score_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cut_set, district = _set_of(request, pk)
    versions = (
        CutScoreSet.objects.filter(district=cut_set.district, measure=cut_set.measure)
        .select_related("created_by")
        .order_by("-version")
        if not cut_set.is_reference
        else []
    )
    return render(
        request,
        "screening/settings/cut_score_set.html",
        {
            "cut_set": cut_set,
            "grid": _grid(cut_set),
            "seasons": Season.choices,
            "versions": versions,
            "may_change": may_change(request.user, district),
            "preview_url": preview_url(cut_set) if not cut_set.is_active else None,
        },
    )


@login_required
@require_POST
def cut_score_set_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    cut_set, district = _set_of(request, pk)
    require_change(request.user, district)
    # Every copy is a draft, the district's first set of a measure too: switching it on goes
    # through the what-if preview, whose activation records who read it. A first set moves
    # every score of the current window (from no level, or from the shipped reference
    # set's), and the preview counts each of those students.
    in_use = CutScoreSet.objects.filter(
        district=district, measure=cut_set.measure, is_active=True
    ).exists()
    copy = cut_score_set_copy(
        source=cut_set,
        district=district,
        actor=request.user,
        audit=AuditContext.from_request(request),
        activate=False,
    )
    if in_use:
        note = _("%(set)s is a draft: read what switching it on would change.") % {"set": copy}
    else:
        note = _first_set_note(copy)
    messages.success(request, note)
    url = preview_url(copy)
    return redirect(url or reverse("screening_settings:cut_score_set", args=[copy.pk]))


def _first_set_note(copy: CutScoreSet) -> str:
    reference_in_use = CutScoreSet.objects.filter(
        district__isnull=True, measure=copy.measure, is_active=True
    ).exists()
    words = {"set": copy, "measure": copy.measure.name}
    if reference_in_use:
        return (
            _(
                "%(set)s is a draft and would be your district's first set for %(measure)s. Until "
                "it is switched on, the shipped reference set gives its scores their risk level. "
                "The preview counts every student of the current window whose level it would change."
            )
            % words
        )
    return (
        _(
            "%(set)s is a draft and would be your district's first set for %(measure)s. Until it "
            "is switched on, its scores have no risk level. The preview counts every student of "
            "the current window who would get one."
        )
        % words
    )


@login_required
@require_http_methods(["GET", "POST"])
def cut_score_set_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    cut_set, district = _set_of(request, pk)
    require_change(request.user, district)
    if cut_set.is_reference:
        messages.info(request, _("Reference cut scores are read-only: copy them first."))
        return redirect("screening_settings:cut_score_set", pk=cut_set.pk)
    form = CutGridForm(request.POST or None, cut_set=cut_set)
    if request.method == "POST" and form.is_valid():
        try:
            draft = cut_score_set_revise(
                cut_score_set=cut_set,
                rows=form.grid_rows(),
                reason=form.cleaned_data["reason"],
                activate=False,
                actor=request.user,
                audit=AuditContext.from_request(request),
            )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, ValidationError):
                errors_to_form(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Version %(version)s is saved as a draft. Check what it would change, "
                    "then switch it on."
                )
                % {"version": draft.version},
            )
            return redirect(
                preview_url(draft) or reverse("screening_settings:cut_score_set", args=[draft.pk])
            )
    return render(
        request,
        "screening/settings/cut_score_revise.html",
        {"cut_set": cut_set, "form": form, "grid": form.bound_grid(), "seasons": Season.choices},
        status=400 if form.errors else 200,
    )
