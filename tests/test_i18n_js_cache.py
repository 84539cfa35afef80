"""The JavaScript catalog every page loads is kept by the browser: its address names the
language and the compiled catalog's version, and that address is served cacheable for a
year even to someone signed in (it holds no one's data), under the same security policy."""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse

from tests.test_i18n_pseudo import MESSAGES, _wrapped

pytestmark = pytest.mark.django_db


@pytest.fixture
def pseudo(settings, tmp_path):
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    # Django takes a language as available when its django.mo is there.
    for domain in ("django", "djangojs"):
        _wrapped(MESSAGES / f"{domain}.po").save_as_mofile(str(folder / f"{domain}.mo"))
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en", "English"), ("xx", "Pseudo")]
    return folder / "djangojs.mo"


def catalog_src(client, **headers) -> str:
    html = client.get(reverse("student_list"), **headers).content.decode()
    src = re.search(r'<script src="(/jsi18n/[^"]*)"', html).group(1)
    return src.replace("&amp;", "&")


def test_a_signed_in_page_loads_a_catalog_the_browser_keeps(client, world):
    client.force_login(world.teacher)
    src = catalog_src(client)
    assert src.startswith("/jsi18n/?lang=en&v=")
    response = client.get(src)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=31536000" in cache_control
    assert "no-store" not in cache_control and "private" not in cache_control
    assert "Cookie" not in response.get("Vary", "")
    # The security policy is sent as on every page.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # A page itself still forbids caching.
    assert "no-store" in client.get(reverse("student_list"))["Cache-Control"]


def test_an_address_without_the_current_version_is_checked_again(client, world):
    client.force_login(world.teacher)
    for address in (reverse("javascript-catalog"), reverse("javascript-catalog") + "?v=old"):
        cache_control = client.get(address)["Cache-Control"]
        assert "no-cache" in cache_control and "max-age=31536000" not in cache_control


def test_another_language_or_new_translations_give_another_address(client, world, pseudo):
    client.force_login(world.teacher)
    english = catalog_src(client)
    src = catalog_src(client, HTTP_ACCEPT_LANGUAGE="xx")
    assert src.startswith("/jsi18n/?lang=xx&v=")
    assert src.split("v=")[1] != english.split("v=")[1]
    # The address alone decides the language: a browser sending no Accept-Language (or
    # another one) gets the words of the address's language.
    js = client.get(src, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "\\u27e6" in js  # ⟦, the pseudo-language's wrapping, as a JSON escape
    assert "\\u27e6" not in client.get(english).content.decode()
    # Compiling the catalog again (a new file time) moves the address.
    stat = pseudo.stat()
    os.utime(pseudo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert catalog_src(client, HTTP_ACCEPT_LANGUAGE="xx") != src
