"""The client's address (mtss/client_ip.py): from REMOTE_ADDR, or from X-Forwarded-For only as
far as TRUSTED_PROXY_COUNT proxies vouch for it. The record of access and the sign-in
lockout use the same answer."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from mtss.client_ip import client_ip, forwarded_client
from students.models import AccessLog

LOCKED = "Too many failed sign-ins"


def request(remote: str = "10.0.0.1", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- The rule --------------------------------------------------------------------------


def test_it_ignores_x_forwarded_for_without_trusted_proxies():
    assert forwarded_client("10.0.0.1", "203.0.113.7", proxies=0) == "10.0.0.1"


def test_it_takes_the_hop_the_one_trusted_proxy_added():
    # The client may send its own X-Forwarded-For; the proxy appends the real peer.
    assert forwarded_client("10.0.0.1", "6.6.6.6, 203.0.113.7", proxies=1) == "203.0.113.7"
    assert forwarded_client("10.0.0.1", "203.0.113.7", proxies=1) == "203.0.113.7"


def test_it_counts_hops_from_the_right_with_two_proxies():
    assert forwarded_client("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.1", proxies=2) == (
        "203.0.113.7"
    )


def test_it_falls_back_to_the_peer_when_the_header_is_short_or_missing():
    assert forwarded_client("10.0.0.1", "203.0.113.7", proxies=2) == "10.0.0.1"
    assert forwarded_client("10.0.0.1", "", proxies=1) == "10.0.0.1"


@pytest.mark.parametrize(
    "value",
    ["not-an-ip", "999.1.1.1", "203.0.113.7<script>", ",,,", "203.0.113.7, ", "\x00", "a" * 500],
)
def test_it_ignores_a_malformed_header(value):
    assert forwarded_client("10.0.0.1", value, proxies=1) == "10.0.0.1"


def test_it_normalises_ipv6_and_rejects_a_malformed_peer():
    assert forwarded_client("10.0.0.1", "2001:DB8::1", proxies=1) == "2001:db8::1"
    assert forwarded_client("garbage", None, proxies=0) is None


def test_it_reads_the_setting(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="203.0.113.7")) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="203.0.113.7")) == "10.0.0.1"
    assert client_ip(None) is None


# --- Through the pages -----------------------------------------------------------------

needs_db = pytest.mark.django_db


@needs_db
def test_a_forged_header_does_not_reach_the_record_of_access(client, world):
    client.force_login(world.teacher)
    url = reverse("student_detail", args=[world.student.pk])
    response = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 200
    assert AccessLog.objects.get(student=world.student, action="view").ip == "10.0.0.1"


@needs_db
def test_a_malformed_header_is_no_error_on_a_logged_read(client, world):
    client.force_login(world.teacher)
    url = reverse("student_detail", args=[world.student.pk])
    response = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert response.status_code == 200
    assert AccessLog.objects.get(student=world.student, action="view").ip == "10.0.0.1"


@needs_db
def test_a_malformed_header_is_no_error_on_sign_in(client, world):
    response = client.post(
        reverse("login"),
        {"username": "teacher", "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


@needs_db
def test_a_forged_header_does_not_dodge_the_address_lock(client, world):
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": "teacher", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": "principal", "password": world.password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert LOCKED in response.content.decode()


@needs_db
def test_behind_a_trusted_proxy_the_lock_follows_the_forwarded_address(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "teacher", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other_client = client.post(
        reverse("login"),
        {"username": "principal", "password": world.password},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert other_client.status_code == 302
