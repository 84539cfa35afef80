"""Sign-in lockout: 5 failures for a username within 15 minutes lock it (and the address the
failures came from) for 15 minutes; a success clears the count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from students.lockout import lockout_message, lockout_until
from students.models import LoginFailure

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)
LOCKED = "Too many failed sign-ins. Try again in 15 minutes or ask your administrator."


def minutes(*offsets: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=m) for m in offsets]


# --- The rule, without a database ------------------------------------------------------


def test_it_does_not_lock_after_four_failures():
    assert lockout_until(minutes(0, 1, 2, 3), limit=5, window=WINDOW, now=T0) is None


def test_it_locks_for_fifteen_minutes_after_the_fifth_failure():
    times = minutes(0, 1, 2, 3, 4)
    now = T0 + dt.timedelta(minutes=4)
    assert lockout_until(times, limit=5, window=WINDOW, now=now) == T0 + dt.timedelta(minutes=19)


def test_it_does_not_lock_when_the_failures_are_spread_over_more_than_the_window():
    # 0 and 16 minutes apart: the five latest do not fit in 15 minutes.
    times = minutes(0, 4, 8, 12, 16)
    assert lockout_until(times, limit=5, window=WINDOW, now=T0 + WINDOW) is None


def test_it_lifts_the_lock_when_the_time_is_up():
    times = minutes(0, 1, 2, 3, 4)
    assert lockout_until(times, limit=5, window=WINDOW, now=T0 + dt.timedelta(minutes=19)) is None
    assert lockout_until(
        times, limit=5, window=WINDOW, now=T0 + dt.timedelta(minutes=18, seconds=59)
    ) == T0 + dt.timedelta(minutes=19)


def test_it_words_the_wait_in_whole_minutes_rounded_up():
    until = T0 + dt.timedelta(minutes=4, seconds=1)
    assert lockout_message(until, now=T0) == (
        "Too many failed sign-ins. Try again in 5 minutes or ask your administrator."
    )
    assert lockout_message(T0 + dt.timedelta(seconds=20), now=T0) == (
        "Too many failed sign-ins. Try again in 1 minute or ask your administrator."
    )


# --- Through the sign-in page ----------------------------------------------------------

needs_db = pytest.mark.django_db


def sign_in(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def fail(client, username: str, times: int, ip: str = "10.0.0.1"):
    response = None
    for _ in range(times):
        response = sign_in(client, username, "wrong password", ip)
    return response


def age_failures(minutes_ago: int) -> None:
    """Move every recorded failure into the past, as if the clock had run on."""
    for failure in LoginFailure.objects.all():
        failure.at -= dt.timedelta(minutes=minutes_ago)
        failure.save(update_fields=["at"])


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
def test_it_counts_the_username_whatever_its_case(client, world):
    fail(client, "Teacher", 3)
    fail(client, " TEACHER ", 2)
    assert LOCKED in sign_in(client, "teacher", world.password).content.decode()


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
def test_it_follows_the_limit_setting(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 30
    fail(client, "teacher", 3)
    response = sign_in(client, "teacher", world.password)
    assert "Try again in 30 minutes" in response.content.decode()


@needs_db
def test_it_signs_out_with_a_post_only(client, world):
    client.force_login(world.teacher)
    assert client.get(reverse("logout")).status_code == 405
    assert signed_in(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not signed_in(client)
