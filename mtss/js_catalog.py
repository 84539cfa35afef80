"""The JavaScript catalog (/jsi18n/) as a file the browser keeps.

Every page loads it, and it holds no one's data: only the scripts' words in one language and
that language's number and date formats. Its address carries the language and a version
drawn from the compiled catalogs (djangojs.mo), so a page in another language, or after new
translations are compiled, asks for a new address; one address always gets the same bytes,
and can be kept for a year.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.i18n import JavaScriptCatalog

YEAR = 365 * 24 * 60 * 60
# Our apps have no locale folder; naming one keeps the admin's JavaScript strings out of
# every page's catalog while LOCALE_PATHS (locale/<code>/LC_MESSAGES/djangojs.mo) is read.
_catalog_view = JavaScriptCatalog.as_view(packages=["students"])


def catalog_version(language: str) -> str:
    """Changes when a compiled djangojs catalog for `language` changes (its size and time:
    a stat per page, no reading) or when Django, which writes the formats, is upgraded."""
    stats = []
    for root in settings.LOCALE_PATHS:
        for code in sorted({language, translation.to_locale(language)}):
            mo = os.path.join(root, code, "LC_MESSAGES", "djangojs.mo")
            with contextlib.suppress(OSError):
                stat = os.stat(mo)
                stats.append((mo, stat.st_size, stat.st_mtime_ns))
    return _digest(language, tuple(stats))


@functools.lru_cache(maxsize=64)
def _digest(language: str, stats: tuple) -> str:
    return hashlib.sha256(repr((django.get_version(), language, stats)).encode()).hexdigest()[:12]


def catalog_url(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return f"{_path()}?{urlencode({'lang': language, 'v': catalog_version(language)})}"


@functools.cache
def _path() -> str:
    return reverse("javascript-catalog")


def javascript_catalog(request: HttpRequest) -> HttpResponse:
    """The catalog in the address's language (else the request's), kept for a year when the
    address names the current version, revalidated otherwise."""
    language = request.GET.get("lang", "")
    if not translation.check_for_language(language) or language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        response = _catalog_view(request)
        current = request.GET.get("v") == catalog_version(language)
    if current:
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    else:
        patch_cache_control(response, no_cache=True)
    # No user data: the signed-in no-store rule (mtss.middleware) leaves it alone.
    response.shared_cacheable = True
    return response


def context(request: HttpRequest) -> dict:
    """`{{ js_catalog_url }}` for base.html (a callable: worked out only where it is used)."""
    return {"js_catalog_url": catalog_url}
