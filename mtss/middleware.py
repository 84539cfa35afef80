"""Cache-Control: no-store on every response to a signed-in person or an API token.

Pages and API answers for someone signed in carry student data; no-store keeps them out of
shared caches and out of the browser's own disk cache and back-forward history on a shared
school computer. Public responses (sign-in page, static files, schema) stay cacheable, and
so does a response its view marks `shared_cacheable` (the JavaScript catalog: no one's data).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreWhenSignedInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An API view authenticates by token inside the view and sets request.user then,
        # so it is read after the response is made.
        user = getattr(request, "user", None)
        if getattr(response, "shared_cacheable", False):
            return response
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
