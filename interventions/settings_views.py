"""Settings: the district's own catalog entries, beside the shared catalog (read-only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from interventions.models import Intervention
from interventions.services.catalog import NOT_A_DISTRICT_ADMIN, intervention_save
from interventions.settings_forms import CatalogEntryForm
from students import settings_choice
from students.audit import AuditContext
from students.models import District


def _district(request: HttpRequest) -> District:
    return settings_choice.settings_district(request, refusal=NOT_A_DISTRICT_ADMIN)


@login_required
@require_GET
def catalog_settings(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    entries = Intervention.objects.filter(Q(district=district) | Q(district__isnull=True)).order_by(
        "district", "domain", "name"
    )
    return render(
        request,
        "interventions/settings/catalog.html",
        {
            "own": [e for e in entries if e.district_id],
            "shared": [e for e in entries if not e.district_id],
            "district": district,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def catalog_entry_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = _district(request)
    entry = None
    if pk is not None:
        entry = Intervention.objects.filter(pk=pk, district=district).first()
        if entry is None:
            raise Http404("No such entry of your district (the shared catalog is read-only).")
    form = CatalogEntryForm(
        request.POST or None, initial=CatalogEntryForm.initial_of(entry) if entry else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            intervention_save(
                district=district,
                intervention=entry,
                actor=request.user,
                audit=AuditContext.from_request(request),
                **form.values(),
            )
        except ValidationError as exc:
            for name, msgs in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, msgs)
        else:
            messages.success(
                request, gettext("%(name)s was saved.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("catalog_settings:catalog")
    return render(
        request,
        "interventions/settings/catalog_form.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )
