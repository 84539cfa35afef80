"""/healthz against the real PostgreSQL and Redis, and against a broker that is not there."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True, "down": []}
    assert "no-cache" in response.headers["Cache-Control"]


def test_it_answers_without_logging_in(client):
    # Orchestrators have no account; the answer holds no data.
    assert client.get("/healthz").status_code == 200


def test_it_reports_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": True,
        "broker": False,
        "down": ["broker"],
    }
