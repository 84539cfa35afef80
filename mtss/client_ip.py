"""The client's address, for the record of access and the sign-in lockout.

X-Forwarded-For is written by whoever sends the request, so only the hops added by our own
proxies can be believed. Each proxy appends the address it received the request from; with
TRUSTED_PROXY_COUNT proxies in front of the app, the client is that many hops from the
right, and everything to its left is the client's own claim. With no proxy (the default,
and docker-compose.yml as shipped) the header is ignored and REMOTE_ADDR is the client.

A value that is not an IP address is ignored rather than stored: the access log and the
lockout keep addresses in PostgreSQL inet columns, which refuse anything else.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def forwarded_client(
    remote_addr: str | None, forwarded_for: str | None, *, proxies: int
) -> str | None:
    """The client's address given the peer, the X-Forwarded-For value and the proxy count.

    Falls back to the peer when the header is missing, shorter than the proxy chain, or
    not made of addresses: a request that did not come through all our proxies gets no
    say in its own address.
    """
    peer = _address(remote_addr)
    if proxies < 1 or not forwarded_for:
        return peer
    hops = [_address(hop) for hop in forwarded_for.split(",")]
    if len(hops) < proxies or any(hop is None for hop in hops[-proxies:]):
        return peer
    return hops[-proxies]


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person making this request, as far as our proxies vouch for it."""
    if request is None:
        return None
    return forwarded_client(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        proxies=settings.TRUSTED_PROXY_COUNT,
    )
