"""The settings home: the apps' settings pages (students.slots.SETTINGS_PAGES) in one list.

The roster names none of them; each app registers its own pages from its AppConfig.ready().
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from students import access, settings_choice, slots
from students.access import roles_of


@login_required
@require_GET
def settings_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    pages = slots.settings_pages_for(user, roles_of(user))
    if not pages:
        raise PermissionDenied(_("Only district and school administrators keep settings."))
    entries = [
        {"title": p.title, "description": p.description, "url": reverse(p.url_name)} for p in pages
    ]
    # A school administrator keeps no district's settings: no "District: ..." line for them.
    district = (
        settings_choice.settings_district(request, refusal="")
        if access.settings_districts(user)
        else None
    )
    return render(
        request, "students/settings_home.html", {"entries": entries, "district": district}
    )
