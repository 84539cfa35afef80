"""Settings: the district's resources per skill, kept by district administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from smallgroups.forms import ResourceForm
from smallgroups.models import SkillResource
from smallgroups.services import (
    NOT_A_DISTRICT_ADMIN,
    RESOURCE_FIELDS,
    resource_create,
    resource_delete,
    resource_update,
)
from students import settings_choice
from students.audit import AuditContext
from students.models import District


def _district(request: HttpRequest) -> District:
    return settings_choice.settings_district(request, refusal=NOT_A_DISTRICT_ADMIN)


def _save(request: HttpRequest, form: ResourceForm, district: District, resource=None) -> bool:
    if not form.is_valid():
        return False
    values = {name: form.cleaned_data[name] for name in RESOURCE_FIELDS}
    audit = AuditContext.from_request(request)
    try:
        if resource is None:
            resource_create(district=district, actor=request.user, audit=audit, **values)
        else:
            resource_update(resource=resource, actor=request.user, audit=audit, **values)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, msgs in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, msgs)
        else:
            form.add_error(None, exc.messages)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    form = ResourceForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and _save(request, form, district):
        messages.success(
            request, gettext("“%(title)s” is on the list.") % {"title": form.cleaned_data["title"]}
        )
        return redirect("smallgroups_settings:resources")
    rows = SkillResource.objects.filter(district=district).order_by("skill", "title", "pk")
    return render(
        request,
        "smallgroups/settings/resources.html",
        {"district": district, "form": form, "resources": rows},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request)
    resource = get_object_or_404(SkillResource, pk=pk, district=district)
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and _save(request, form, district, resource):
        messages.success(request, gettext("“%(title)s” is saved.") % {"title": resource.title})
        return redirect("smallgroups_settings:resources")
    return render(
        request,
        "smallgroups/settings/resource_edit.html",
        {"district": district, "form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def resource_remove(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request)
    resource = get_object_or_404(SkillResource, pk=pk, district=district)
    title = resource.title
    resource_delete(resource=resource, actor=request.user, audit=AuditContext.from_request(request))
    messages.success(request, gettext("“%(title)s” is off the list.") % {"title": title})
    return redirect("smallgroups_settings:resources")
