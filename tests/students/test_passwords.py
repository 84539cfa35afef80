"""Changing one's password when signed in, and resetting a forgotten one by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from students.tokens import token_issue

pytestmark = pytest.mark.django_db

NEW = "a-long-new-passphrase-42"
LOCKED = "Too many failed sign-ins"


def change(client, old: str, new: str = NEW, ip: str = "10.0.0.1"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=ip,
    )


def can_sign_in(client, username: str, password: str) -> bool:
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


@pytest.mark.parametrize("persona", ["teacher", "principal", "district_admin", "nobody"])
def test_every_signed_in_user_can_open_the_change_page(client, world, persona):
    client.force_login(world.persona(persona))
    assert "Change password" in client.get(reverse("home")).content.decode()
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "Current password" in response.content.decode()


def test_it_asks_a_visitor_to_sign_in_first(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_changes_the_password_and_keeps_the_user_signed_in(client, world):
    client.force_login(world.teacher)
    response = change(client, world.password)
    assert response.status_code == 302
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("home")).status_code == 200
    assert can_sign_in(client, "teacher", NEW)
    assert not can_sign_in(client, "teacher", world.password)


def test_it_says_plainly_when_the_current_password_is_wrong(client, world):
    client.force_login(world.teacher)
    response = change(client, "not my password")
    assert response.status_code == 200
    assert "Your current password was not right" in response.content.decode()


def test_wrong_current_passwords_count_towards_the_lockout(client, world):
    client.force_login(world.teacher)
    for _ in range(4):
        change(client, "guess")
    assert LOCKED in change(client, "guess").content.decode()
    # Locked: even the right current password does not change it ...
    assert LOCKED in change(client, world.password).content.decode()
    # ... and the sign-in page is locked for the account too.
    client.post(reverse("logout"))
    response = client.post(
        reverse("login"),
        {"username": "teacher", "password": world.password},
        REMOTE_ADDR="10.2.2.2",
    )
    assert LOCKED in response.content.decode()


def test_a_password_change_revokes_the_users_api_tokens(client, world):
    key = token_issue(user=world.teacher)
    client.force_login(world.teacher)
    change(client, world.password)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/students/").status_code == 401


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/reset/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_it_resets_a_forgotten_password_by_e_mail(client, world):
    world.teacher.email = "lee@example.org"
    world.teacher.save()
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    response = client.post(reverse("password_reset"), {"email": "lee@example.org"})
    assert response.status_code == 302
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    assert mail.outbox[0].subject == "Reset your MTSS password"
    assert "teacher" in mail.outbox[0].body  # the username, which people forget too

    form_page = client.get(reset_link(), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert "You can now sign in" in client.get(response["Location"]).content.decode()
    assert can_sign_in(client, "teacher", NEW)


def test_it_does_not_reveal_whether_an_address_has_an_account(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_a_reset_link_works_once(client, world):
    world.teacher.email = "lee@example.org"
    world.teacher.save()
    client.post(reverse("password_reset"), {"email": "lee@example.org"})
    link = reset_link()
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    again = client.get(link, follow=True).content.decode()
    assert "This link has already been used or is too old" in again


def test_a_reset_lifts_the_lock_on_the_account(client, world):
    world.teacher.email = "lee@example.org"
    world.teacher.save()
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "teacher", "password": "x"}, REMOTE_ADDR="10.1.1.1"
        )
    client.post(reverse("password_reset"), {"email": "lee@example.org"})
    form_page = client.get(reset_link(), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = client.post(
        reverse("login"), {"username": "teacher", "password": NEW}, REMOTE_ADDR="10.3.3.3"
    )
    assert response.status_code == 302
