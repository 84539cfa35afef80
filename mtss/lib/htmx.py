"""The page-or-fragment answer every htmx page gives.

A page whose filters or actions swap only part of it answers the same URL with the whole page
(a first visit, a reload, a link opened in a new tab, htmx restoring history it lost) or with
one `{% partialdef %}` block of the same template (an htmx request). Because one URL has two
answers, each response says it varies on the HX-Request header, so no cache hands one out for
the other.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request, except a history restore, which needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


def render_fragment(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int | None = None
) -> HttpResponse:
    """Render `template` (a page or a "page.html#partial") marked as varying on HX-Request."""
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def render_page_or_fragment(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str = "results",
    status: int | None = None,
) -> HttpResponse:
    """The whole page, or only its `fragment` partial for htmx; `htmx_fragment` in the
    context tells the template which one it renders."""
    context["htmx_fragment"] = wants_fragment(request)
    name = f"{template}#{fragment}" if context["htmx_fragment"] else template
    return render_fragment(request, name, context, status=status)
