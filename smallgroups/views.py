"""The small-groups page of a class (issue 20 item 2): propose, adjust (drag or the "Move to
group" selects), keep, and link the district's resources to each kept group."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smallgroups import page
from smallgroups.forms import arrangement_from_post, skill_choices
from smallgroups.models import SmallGroup
from smallgroups.selectors import (
    class_scores,
    latest_group_set,
    resources_for,
    section_get_for_user,
)
from smallgroups.services import GROUPS_OBJECT, group_resources_set, groups_keep
from students.audit import AuditContext, audit_page_view


def _render(request, section, *, drafts=None, errors=(), status=200) -> HttpResponse:
    data = class_scores(user=request.user, section=section)
    kept = latest_group_set(section)
    stale = bool(kept and data.window and kept.window_id != data.window.pk)
    form, basis, size, from_kept = page.proposal_settings(data, request.GET, kept, stale)
    if drafts is None and basis:
        drafts = page.kept_drafts(kept, data.student_ids) if from_kept else None
        drafts = drafts or page.drafts_for(data, basis, size)
    grades = sorted({s.grade for s in data.students if s.grade is not None})
    resources = resources_for(section=section, grades=grades) if kept else []
    context = {
        "section": section,
        "data": data,
        "form": form,
        "basis": request.POST.get("basis", basis),
        "size": request.POST.get("max_size", size),
        "editor": page.editor(data, drafts) if drafts else [],
        "from_kept": from_kept,
        "kept": kept,
        "stale": stale,
        "kept_groups": page.kept_groups(kept, resources, data.student_ids) if kept else [],
        "skills": skill_choices(),
        "errors": errors,
    }
    audit_page_view(request, GROUPS_OBJECT, data.student_ids, section=section.pk)
    return render(request, "smallgroups/groups.html", context, status=status)


@login_required
@require_GET
def groups_page(request: HttpRequest, section_id: int) -> HttpResponse:
    section = section_get_for_user(user=request.user, pk=section_id)
    return _render(request, section)


@login_required
@require_POST
def groups_keep_view(request: HttpRequest, section_id: int) -> HttpResponse:
    section = section_get_for_user(user=request.user, pk=section_id)
    data = class_scores(user=request.user, section=section)
    if data.window is None or str(data.window.pk) != request.POST.get("window"):
        messages.error(request, _("The screening window changed; here is a fresh proposal."))
        return redirect("smallgroups:groups", section_id=section.pk)
    drafts, errors = arrangement_from_post(request.POST, class_ids=data.student_ids)
    try:
        size = int(request.POST.get("max_size", ""))
    except ValueError:
        size = 0
    if not errors:
        try:
            groups_keep(
                actor=request.user,
                section=section,
                window=data.window,
                basis=request.POST.get("basis", "")[:40],
                max_size=size,
                groups=drafts,
                class_ids=data.student_ids,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Groups kept for %(class)s (%(window)s).")
                % {"class": section.name, "window": data.window},
            )
            return redirect("smallgroups:groups", section_id=section.pk)
    return _render(request, section, drafts=drafts, errors=errors, status=400)


@login_required
@require_POST
def group_resources_view(request: HttpRequest, section_id: int, group_id: int) -> HttpResponse:
    section = section_get_for_user(user=request.user, pk=section_id)
    group = get_object_or_404(
        SmallGroup.objects.select_related("group_set__section__school"),
        pk=group_id,
        group_set__section=section,
    )
    ids = request.POST.getlist("resource")
    if not all(i.isdigit() for i in ids):
        raise Http404
    try:
        group_resources_set(
            actor=request.user,
            group=group,
            resource_ids=[int(i) for i in ids],
            audit=AuditContext.from_request(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Resources saved for %(group)s.") % {"group": group.name})
    url = reverse("smallgroups:groups", kwargs={"section_id": section.pk})
    return redirect(f"{url}#kept-group-{group.pk}")
