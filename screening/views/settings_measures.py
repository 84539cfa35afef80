"""Settings: the measures the district screens and monitors with (shipped reference measures
are shown read-only; the district adds and changes its own)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from screening.models.measures import Measure
from screening.services.measures import measure_create, measure_update
from screening.settings_forms import MeasureForm
from screening.views.settings_common import errors_to_form, require_change, settings_district
from students.audit import AuditContext


@login_required
@require_GET
def measures(request: HttpRequest) -> HttpResponse:
    district = settings_district(request)
    rows = Measure.objects.filter(Q(district=district) | Q(district__isnull=True)).order_by(
        "district", "name"
    )
    return render(
        request,
        "screening/settings/measures.html",
        {"district": district, "measures": rows, "settings_nav": "measures"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = settings_district(request)
    require_change(request.user, district)
    measure = None
    if pk is not None:
        measure = Measure.objects.filter(pk=pk, district=district).first()
        if measure is None:
            raise Http404("No such measure of your district (shipped measures are read-only).")
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        audit = AuditContext.from_request(request)
        try:
            if measure is None:
                measure_create(district=district, actor=request.user, audit=audit, **values)
            else:
                measure_update(measure=measure, actor=request.user, audit=audit, **values)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, gettext("%(name)s was saved.") % {"name": values["name"]})
            return redirect("screening_settings:measures")
    return render(
        request,
        "screening/settings/measure_form.html",
        {"form": form, "measure": measure, "settings_nav": "measures"},
        status=400 if form.errors else 200,
    )
