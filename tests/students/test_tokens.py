"""API tokens (students/tokens.py): kept only as a hash, expiring, optionally read-only, and
dead once their user's password changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from students.models import ApiToken
from students.tokens import token_issue

pytestmark = pytest.mark.django_db


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def new_student(world) -> dict:
    return {
        "school": world.school.pk,
        "local_id": "TOK-1",
        "first_name": "Ada",
        "last_name": "Token",
        "grade": 3,
    }


def test_it_keeps_no_token_in_clear(world):
    key = token_issue(user=world.principal)
    row = ApiToken.objects.get(user=world.principal)
    stored = " ".join(str(getattr(row, f.attname)) for f in ApiToken._meta.fields)
    assert key not in stored
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(row.prefix)
    assert api(key).get("/api/v1/students/").status_code == 200


def test_it_expires_a_token_after_the_configured_days(world, settings):
    settings.API_TOKEN_EXPIRY_DAYS = 30
    key = token_issue(user=world.principal)
    row = ApiToken.objects.get()
    assert abs(row.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api(key).get("/api/v1/students/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_it_lets_a_read_only_token_read_but_not_write(world):
    key = token_issue(user=world.principal, read_only=True)
    client = api(key)
    assert client.get("/api/v1/students/").status_code == 200
    response = client.post("/api/v1/students/", new_student(world), format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert (
        api(token_issue(user=world.principal))
        .post("/api/v1/students/", new_student(world), format="json")
        .status_code
        == 201
    )


def test_it_revokes_the_tokens_when_the_password_changes(world):
    key = token_issue(user=world.principal)
    assert api(key).get("/api/v1/students/").status_code == 200
    world.principal.set_password("a-brand-new-passphrase")
    world.principal.save()
    response = api(key).get("/api/v1/students/")
    assert response.status_code == 401
    assert not ApiToken.objects.filter(user=world.principal).exists()


def test_a_rotation_revokes_the_older_tokens(world):
    first = token_issue(user=world.principal)
    second = token_issue(user=world.principal)
    assert api(first).get("/api/v1/students/").status_code == 200
    third = token_issue(user=world.principal, rotate=True)
    assert api(first).get("/api/v1/students/").status_code == 401
    assert api(second).get("/api/v1/students/").status_code == 401
    assert api(third).get("/api/v1/students/").status_code == 200


def test_the_migration_hashes_the_clear_tokens_it_finds(world):
    migration = importlib.import_module("students.migrations.0006_hash_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamptz NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, now(), %s)",
            ["0123456789abcdef0123456789abcdef01234567", world.teacher.pk],
        )
    from django.apps import apps

    migration.hash_clear_tokens(apps, None)

    assert "authtoken_token" not in connection.introspection.table_names()
    row = ApiToken.objects.get(user=world.teacher)
    assert row.prefix == "01234567"
    assert not row.read_only
    key = "0123456789abcdef0123456789abcdef01234567"
    assert api(key).get("/api/v1/students/").status_code == 200
