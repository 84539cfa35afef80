"""Sign-in lockout (django-axes, configured in students/lockout.py).

5 failures for one username within 15 minutes lock it (and the address the failures came
from) for 15 minutes after the last of them; 20 failures from one address across any
usernames lock that address; a success clears the username's count. Every sign-in path
shares the one count: /login/, /admin/login/ and the old-password check of the password
change page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from students.lockout import Attempt, lock_ends, lockout_message
from tests.factories import UserFactory

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
COOLOFF = dt.timedelta(minutes=15)
LOCKED = "Too many failed sign-ins. Try again in 15 minutes or ask your administrator."


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def ends(rows, *, username="teacher", ip="10.0.0.1", now=None):
    return lock_ends(
        rows,
        username=username,
        ip=ip,
        account_limit=5,
        address_limit=20,
        cooloff=COOLOFF,
        now=now or at(5),
    )


# --- The rule, without a database ------------------------------------------------------


def test_it_does_not_lock_after_four_failures():
    assert ends([Attempt("teacher", "10.0.0.1", 4, at(3))]) is None


def test_it_locks_for_fifteen_minutes_after_the_last_failure():
    assert ends([Attempt("teacher", "10.0.0.1", 5, at(4))]) == at(19)


def test_it_counts_the_failures_of_one_username_from_every_address():
    rows = [Attempt("teacher", "10.0.0.1", 3, at(1)), Attempt("teacher", "10.0.0.2", 2, at(4))]
    assert ends(rows, ip="192.0.2.1") == at(19)


def test_it_locks_an_address_that_locked_a_username_for_every_username():
    rows = [Attempt("teacher", "10.0.0.1", 5, at(2))]
    assert ends(rows, username="principal") == at(17)
    assert ends(rows, username="principal", ip="10.9.9.9") is None


def test_it_locks_an_address_that_sprays_many_usernames():
    sprayed = [Attempt(f"user{n}", "10.0.0.1", 4, at(n / 10)) for n in range(5)]
    assert ends(sprayed[:4], username="someone") is None  # 16 failures
    assert ends(sprayed, username="someone") == at(0.4) + COOLOFF  # 20 failures


def test_it_forgets_failures_older_than_the_cooloff():
    assert ends([Attempt("teacher", "10.0.0.1", 9, at(0))], now=at(15)) is None
    assert ends([Attempt("teacher", "10.0.0.1", 9, at(0))], now=at(14.9)) == at(15)


def test_it_words_the_wait_in_whole_minutes_rounded_up():
    assert lockout_message(at(4) + dt.timedelta(seconds=1), now=T0) == (
        "Too many failed sign-ins. Try again in 5 minutes or ask your administrator."
    )
    assert lockout_message(T0 + dt.timedelta(seconds=20), now=T0) == (
        "Too many failed sign-ins. Try again in 1 minute or ask your administrator."
    )


# --- Through the sign-in pages ---------------------------------------------------------

needs_db = pytest.mark.django_db


def sign_in(client, username: str, password: str, ip: str = "10.0.0.1", url: str = ""):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def fail(client, username: str, times: int, ip: str = "10.0.0.1", url: str = ""):
    response = None
    for _ in range(times):
        response = sign_in(client, username, "wrong password", ip, url)
    return response


def age_failures(minutes_ago: int) -> None:
    """Move every recorded failure into the past, as if the clock had run on."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes_ago))


@needs_db
def test_it_signs_in_with_the_right_password(client, world):
    response = sign_in(client, "teacher", world.password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@needs_db
def test_it_says_plainly_when_the_password_is_wrong(client, world):
    response = fail(client, "teacher", 1)
    assert response.status_code == 200
    assert "That username and password do not match" in response.content.decode()


@needs_db
def test_it_locks_the_username_on_the_fifth_failure(client, world):
    assert LOCKED not in fail(client, "teacher", 4).content.decode()
    fifth = fail(client, "teacher", 1)
    assert LOCKED in fifth.content.decode()
    assert fifth.status_code == 429


@needs_db
def test_it_refuses_even_the_right_password_while_locked(client, world):
    fail(client, "teacher", 5)
    response = sign_in(client, "teacher", world.password)
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


@needs_db
def test_it_locks_the_username_from_any_address(client, world):
    fail(client, "teacher", 5, ip="10.0.0.1")
    response = sign_in(client, "teacher", world.password, ip="192.0.2.44")
    assert LOCKED in response.content.decode()


@needs_db
def test_it_locks_the_address_the_failures_came_from_for_other_usernames(client, world):
    fail(client, "teacher", 5, ip="10.0.0.1")
    from_same_ip = sign_in(client, "principal", world.password, ip="10.0.0.1")
    assert LOCKED in from_same_ip.content.decode()
    from_elsewhere = sign_in(client, "principal", world.password, ip="10.9.9.9")
    assert from_elsewhere.status_code == 302


@needs_db
def test_it_does_not_lock_a_shared_address_for_scattered_typos(client, world):
    # Five different people mistype once each from the school's one public address.
    for username in ["teacher", "principal", "team", "interventionist", "districtadmin"]:
        fail(client, username, 1, ip="10.0.0.1")
    assert sign_in(client, "teacher", world.password, ip="10.0.0.1").status_code == 302


@needs_db
def test_it_locks_an_address_that_sprays_four_guesses_at_many_accounts(client, world):
    # Password spraying: never the fifth guess at one account, so no account lock.
    for n in range(5):
        fail(client, f"staff{n}", 4, ip="10.0.0.1")
    assert LOCKED in sign_in(client, "teacher", world.password, ip="10.0.0.1").content.decode()
    assert sign_in(client, "teacher", world.password, ip="10.9.9.9").status_code == 302


@needs_db
def test_it_counts_the_username_whatever_its_case(client, world):
    fail(client, "Teacher", 3)
    fail(client, " TEACHER ", 2, ip="10.0.0.2")
    assert LOCKED in sign_in(client, "teacher", world.password, ip="10.0.0.3").content.decode()


@needs_db
def test_it_tells_the_minutes_left(client, world):
    fail(client, "teacher", 5)
    age_failures(10)
    response = sign_in(client, "teacher", world.password)
    assert "Try again in 5 minutes" in response.content.decode()


@needs_db
def test_it_lets_the_user_in_again_after_fifteen_minutes(client, world):
    fail(client, "teacher", 5)
    age_failures(16)
    assert sign_in(client, "teacher", world.password).status_code == 302
    assert signed_in(client)


@needs_db
def test_it_does_not_extend_the_lock_with_attempts_made_while_locked(client, world):
    fail(client, "teacher", 5)
    age_failures(10)
    fail(client, "teacher", 10)  # refused without being counted
    age_failures(6)
    assert sign_in(client, "teacher", world.password).status_code == 302


@needs_db
def test_it_clears_the_count_after_a_successful_sign_in(client, world):
    fail(client, "teacher", 4)
    assert sign_in(client, "teacher", world.password).status_code == 302
    client.post(reverse("logout"))
    fail(client, "teacher", 4)
    assert sign_in(client, "teacher", world.password).status_code == 302


@needs_db
def test_a_success_does_not_clear_the_failures_of_other_usernames_from_its_address(client, world):
    # A sprayer who owns one account must not wipe the address's count by signing in.
    for n in range(4):
        fail(client, f"staff{n}", 4, ip="10.0.0.1")
    assert sign_in(client, "teacher", world.password, ip="10.0.0.1").status_code == 302
    client.post(reverse("logout"))
    fail(client, "staff9", 4, ip="10.0.0.1")
    assert LOCKED in sign_in(client, "principal", world.password, ip="10.0.0.1").content.decode()


@needs_db
def test_it_follows_the_limit_setting(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 30
    fail(client, "teacher", 3)
    response = sign_in(client, "teacher", world.password)
    assert "Try again in 30 minutes" in response.content.decode()


@needs_db
def test_it_locks_the_admin_sign_in_with_the_same_count(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    root.set_password(world.password)
    root.save()
    fail(client, "root", 5)
    response = sign_in(client, "root", world.password, url=reverse("admin:login"))
    assert LOCKED in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


@needs_db
def test_failures_on_the_admin_sign_in_lock_the_main_sign_in(client, world):
    fail(client, "teacher", 5, url=reverse("admin:login"))
    assert LOCKED in sign_in(client, "teacher", world.password).content.decode()


@needs_db
def test_it_signs_out_with_a_post_only(client, world):
    client.force_login(world.teacher)
    assert client.get(reverse("logout")).status_code == 405
    assert signed_in(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not signed_in(client)
