"""Which district's settings a page shows, for someone who keeps more than one (a superuser
keeps every district's). `?district=<id>` chooses one; the choice is remembered in the session
so the next settings page, and the form posted from it, keep the same district."""

from __future__ import annotations

from django.http import HttpRequest

from students import access
from students.models import District, Role

SESSION_KEY = "settings_district_id"


def _asked(request: HttpRequest) -> int | None:
    raw = request.GET.get("district", "")
    if raw.isdigit():
        return int(raw)
    remembered = request.session.get(SESSION_KEY)
    return remembered if isinstance(remembered, int) else None


def settings_district(
    request: HttpRequest,
    *,
    roles: tuple[str, ...] = (Role.DISTRICT_ADMIN,),
    refusal: str,
) -> District:
    """The district the page keeps settings for: the one asked for (or remembered) when the
    user may keep it, else their first; anyone who keeps none is refused with `refusal`."""
    district = access.settings_district(
        request.user, roles=roles, refusal=refusal, chosen=_asked(request)
    )
    if request.session.get(SESSION_KEY) != district.pk:
        request.session[SESSION_KEY] = district.pk
    return district
