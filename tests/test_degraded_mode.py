"""While PostgreSQL is down: pages answer a clear 503 page, the API a JSON 503, and /healthz
names the service that is down. The app runs in a subprocess whose DATABASE_URL points at a
port nothing listens on (the shared test database stays up for everyone else)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "a-session-the-database-must-look-up"
out = {}
for path in ("/", "/api/v1/students/", "/healthz"):
    r = client.get(path, HTTP_AUTHORIZATION="Token abc" if path.startswith("/api/") else "")
    out[path] = {
        "status": r.status_code,
        "type": r.headers.get("Content-Type", ""),
        "retry": r.headers.get("Retry-After"),
        "body": r.content.decode()[:2000],
    }
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def answers() -> dict:
    env = os.environ | {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "DJANGO_SETTINGS_MODULE": "mtss.settings",
        # DEBUG stays as in development: the middleware answers 503 either way.
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_page_answers_a_clear_503_page(answers):
    page = answers["/"]
    assert page["status"] == 503
    assert page["type"].startswith("text/html")
    assert "MTSS is temporarily unavailable" in page["body"]
    assert "The database cannot be reached" in page["body"]
    assert page["retry"] == "30"


def test_the_api_answers_a_json_503(answers):
    api = answers["/api/v1/students/"]
    assert api["status"] == 503
    assert api["type"] == "application/json"
    body = json.loads(api["body"])
    assert body["unavailable"] == ["database"]
    assert "database is not reachable" in body["detail"]


def test_healthz_names_the_service_that_is_down(answers):
    health = answers["/healthz"]
    assert health["status"] == 503
    body = json.loads(health["body"])
    assert body["database"] is False and body["down"][0] == "database"
