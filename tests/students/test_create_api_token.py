"""manage.py create_api_token USERNAME [--rotate]."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_token_that_opens_the_api(world, client):
    key = run("principal")
    assert Token.objects.get(user=world.principal).key == key
    response = client.get("/api/v1/students/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_it_prints_the_same_token_twice_unless_asked_to_rotate(world):
    first = run("principal")
    assert run("principal") == first
    rotated = run("principal", "--rotate")
    assert rotated != first
    assert list(Token.objects.filter(user=world.principal).values_list("key", flat=True)) == [
        rotated
    ]


def test_it_names_a_user_that_does_not_exist(world):
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        run("ghost")


def test_it_refuses_a_deactivated_account(world):
    world.teacher.is_active = False
    world.teacher.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("teacher")
    assert not Token.objects.filter(user=world.teacher).exists()
