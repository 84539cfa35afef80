"""manage.py create_api_token USERNAME [--read-only] [--days N] [--rotate]."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from students.models import ApiToken

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def status(key: str, method: str = "get") -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return getattr(client, method)("/api/v1/students/", {}, format="json").status_code


def test_it_prints_a_token_that_opens_the_api(world):
    key = run("principal")
    assert ApiToken.objects.get(user=world.principal).prefix == key[:8]
    assert status(key) == 200


def test_it_prints_a_new_token_each_time_and_rotate_ends_the_others(world):
    first = run("principal")
    second = run("principal")
    assert first != second
    assert status(first) == status(second) == 200
    rotated = run("principal", "--rotate")
    assert (status(first), status(second), status(rotated)) == (401, 401, 200)
    assert ApiToken.objects.filter(user=world.principal).count() == 1


def test_it_makes_a_read_only_token_with_its_own_expiry(world):
    key = run("principal", "--read-only", "--days", "7")
    token = ApiToken.objects.get(user=world.principal)
    assert token.read_only
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    assert status(key) == 200
    assert status(key, "post") == 403


def test_it_names_a_user_that_does_not_exist(world):
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        run("ghost")


def test_it_refuses_a_deactivated_account(world):
    world.teacher.is_active = False
    world.teacher.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("teacher")
    assert not ApiToken.objects.filter(user=world.teacher).exists()
