"""/api/ answers every error in JSON: unknown paths, wrong methods, ids beyond bigint, NUL
bytes in filters, server errors; OPTIONS works on every path of the schema."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

BIG = str(2**63)


def _paths() -> dict[str, dict]:
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def _fill(path: str, value: str = "1") -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), (
        response.status_code,
        response["Content-Type"],
        response.content[:200],
    )
    return json.loads(response.content)


@pytest.fixture
def admin(client, django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-long-enough")
    client.force_login(user)
    return client


def test_options_works_on_every_path(admin, world):
    bad = {}
    for path in _paths():
        response = admin.options(_fill(path))
        if response.status_code >= 500 or response.status_code == 405:
            bad[path] = response.status_code
        else:
            _json(response)
    assert bad == {}


def test_ids_beyond_bigint_are_not_found(admin, world):
    bad = {}
    for path, operations in _paths().items():
        if "{" not in path or "get" not in operations:
            continue
        response = admin.get(_fill(path, BIG))
        if response.status_code != 404:
            bad[path] = response.status_code
        else:
            assert "detail" in _json(response)
    assert bad == {}


def test_nul_bytes_in_filters_are_refused(admin, world):
    bad = {}
    for path, operations in _paths().items():
        get = operations.get("get")
        if not get:
            continue
        params = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        for name in params or ["q"]:
            response = admin.get(_fill(path), {name: "a\x00b"})
            if response.status_code >= 500:
                bad[f"{path}?{name}"] = response.status_code
            elif response.status_code == 400:
                _json(response)
    assert bad == {}


def test_unknown_api_paths_and_wrong_methods_answer_in_json(admin, world):
    missing = admin.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404 and "detail" in _json(missing)
    outside_version = admin.get("/api/nothing")
    assert outside_version.status_code == 404 and "detail" in _json(outside_version)
    wrong = admin.delete("/api/v1/students/")
    assert wrong.status_code == 405 and "detail" in _json(wrong)


def test_anonymous_api_calls_answer_401_in_json(client, world):
    response = client.get("/api/v1/students/")
    assert response.status_code == 401 and "detail" in _json(response)


def test_a_server_error_under_api_answers_in_json(rf):
    from mtss.errors import server_error

    response = server_error(rf.get("/api/v1/students/"))
    assert response.status_code == 500
    assert _json(response)["detail"]
    page = server_error(rf.get("/students/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
