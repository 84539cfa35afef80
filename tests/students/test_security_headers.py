"""Session length, no caching of signed-in pages, and the Content-Security-Policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from rest_framework.test import APIClient

from students.tokens import token_issue

pytestmark = pytest.mark.django_db

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_a_session_lasts_eight_hours(client, world):
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    response = client.post(reverse("login"), {"username": "teacher", "password": world.password})
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60


@pytest.mark.parametrize(
    "url_name", ["home", "student_list", "student_detail", "student_access_log"]
)
def test_it_forbids_caching_a_signed_in_page(client, world, url_name):
    client.force_login(world.district_admin)
    args = [world.student.pk] if url_name.startswith("student_") and "list" not in url_name else []
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_forbids_caching_an_api_answer_to_a_token(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=world.principal)}")
    response = client.get("/api/v1/students/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_sends_a_policy_without_inline_script_or_style(client, world):
    client.force_login(world.teacher)
    policy = csp(client.get(reverse("home")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_it_sends_the_policy_on_the_sign_in_page_and_the_api_docs(client):
    assert "Content-Security-Policy" in client.get(reverse("login"))
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert "<script>" not in docs.content.decode()  # its set-up script is a file


def test_the_policy_admits_the_styles_plotly_adds_as_they_are_shipped():
    # plotly.js adds one stylesheet with content as it loads; the policy allows exactly that
    # content by its hash. A plotly upgrade changes it: put the new hash in settings.
    import base64
    import hashlib

    import plotly

    script = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    injected = re.findall(r"\.textContent='(.*?)',document\.head\.appendChild", script, re.S)
    assert injected, "plotly.js no longer adds a stylesheet this way: look again"
    for css in injected:
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in django_settings.PLOTLY_STYLE_HASHES


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "hx-on (needs eval)"),
]


def test_no_template_holds_what_the_policy_blocks():
    # 500.html renders without the base template and without a request; it is checked too.
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            # JSON data blocks (<script type="application/json">) are data, not script.
            for match in pattern.finditer(text):
                if "application/json" in match.group(0):
                    continue
                found.append(f"{path.relative_to(TEMPLATES)}: {what}: {match.group(0)[:60]}")
    assert not found, "\n".join(found)
