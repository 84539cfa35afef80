"""Sign-in lockout, on django-axes: our rule for when an account or an address is locked, and
the page a locked person sees.

Axes watches every call to Django's `authenticate()` (its backend comes first in
AUTHENTICATION_BACKENDS), so one count covers the sign-in page, the admin's sign-in and the
current-password check of the password change page (students/passwords.py reports its
failures through the same signal). Failures live in PostgreSQL (axes.AccessAttempt), so
every gunicorn worker sees the same count.

The rule (`lock_ends`), with LOGIN_FAILURE_LIMIT = 5, LOGIN_ADDRESS_FAILURE_LIMIT = 20 and
LOGIN_LOCKOUT_MINUTES = 15 by default:

- an account is locked after 5 failures for its username, from any address;
- an address is locked for every username once it has locked one account (whoever was
  guessing cannot simply move on to the next username), or once 20 failures came from it
  across any usernames (password spraying: a few guesses at each of many accounts);
- a lock lasts 15 minutes after the last failure that counts for it. A failure counts
  while it is less than 15 minutes older than the next one, so failures a few minutes
  apart keep adding up; a quiet 15 minutes clears them.

Attempts refused because of a lock are not counted (a lock cannot be extended forever by
hammering the form). A successful sign-in clears the failures of that username only: a
sprayer who owns one account must not wipe the address's count by signing in with it.

Why the address limit is higher than the account limit: a school's staff share one public
address behind its router, and a Monday morning of typos spread over several people must
not lock the whole building out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Attempt:
    """Failures of one username from one address, and when the last of them was."""

    username: str | None
    ip: str | None
    failures: int
    last_at: dt.datetime


def lock_ends(
    attempts: Iterable[Attempt],
    *,
    username: str | None,
    ip: str | None,
    account_limit: int,
    address_limit: int,
    cooloff: dt.timedelta,
    now: dt.datetime,
) -> dt.datetime | None:
    """When the lock on this username or address ends, or None when neither is locked."""
    live = [a for a in attempts if a.last_at + cooloff > now]
    ends: list[dt.datetime] = []

    def lock(group: list[Attempt], limit: int) -> None:
        if group and sum(a.failures for a in group) >= limit:
            ends.append(max(a.last_at for a in group) + cooloff)

    lock([a for a in live if a.username == username], account_limit)
    if ip:
        from_address = [a for a in live if a.ip == ip]
        lock(from_address, address_limit)
        by_username: dict[str | None, list[Attempt]] = defaultdict(list)
        for attempt in from_address:
            by_username[attempt.username].append(attempt)
        for group in by_username.values():
            lock(group, account_limit)
    return max(ends) if ends else None


def lockout_message(until: dt.datetime, *, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)s minute or ask your administrator.",
        "Too many failed sign-ins. Try again in %(minutes)s minutes or ask your administrator.",
        minutes,
    ) % {"minutes": minutes}


# --- Hooks named in settings (AXES_*) --------------------------------------------------


def normalize_username(request: HttpRequest, credentials: dict | None) -> str:
    # "Teacher" and " teacher " count against the same account: case and spaces must not
    # buy an attacker extra guesses.
    data = credentials if credentials else getattr(request, "POST", {})
    return (data.get("username") or "").strip().lower()


def failure_limit(request: HttpRequest | None = None, credentials: dict | None = None) -> int:
    return settings.LOGIN_FAILURE_LIMIT


def cooloff(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with `lock_ends` as the rule."""

    def locked_until(self, request: HttpRequest, credentials: dict | None = None):
        username = get_client_username(request, credentials)
        ip = request.axes_ip_address
        match = Q(username=username) | Q(ip_address=ip) if ip else Q(username=username)
        rows = AccessAttempt.objects.filter(
            match, attempt_time__gte=get_cool_off_threshold(request)
        ).values_list("username", "ip_address", "failures_since_start", "attempt_time")
        return lock_ends(
            [Attempt(*row) for row in rows],
            username=username,
            ip=ip,
            account_limit=failure_limit(),
            address_limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            cooloff=cooloff(),
            now=request.axes_attempt_time or timezone.now(),
        )

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # Axes locks when this reaches the limit; the rule decides, so report the limit
        # when locked and nothing otherwise.
        return failure_limit() if self.locked_until(request, credentials) else 0

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """The page shown instead of any sign-in form while the lock holds (HTTP 429)."""
    from axes.handlers.proxy import AxesProxyHandler

    now = timezone.now()
    until = AxesProxyHandler.get_implementation().locked_until(request, credentials)
    return render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message(until or now + cooloff(), now=now)},
        status=429,
    )
