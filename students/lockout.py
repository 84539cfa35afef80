"""Sign-in lockout after repeated failures.

The rule: LOGIN_FAILURE_LIMIT failed sign-ins for one username within LOGIN_LOCKOUT_MINUTES
lock that username out for LOGIN_LOCKOUT_MINUTES, counted from the last of those failures.
The address those failures came from is locked for the same time, so whoever was guessing
cannot simply move on to the next username. A successful sign-in clears the username's
failures.

Why the address is only locked after a username lock (and not after any N failures from it):
a school's staff share one public address behind its router, and a Monday morning of typos
spread over several people must not lock the whole building out.

Failures live in PostgreSQL (students.LoginFailure) so every gunicorn worker sees the same
count. Attempts refused because of a lock are not recorded, so a lock cannot be extended
forever by someone hammering the form.

The rule itself is `lockout_until`, a pure function over timestamps; the rest reads and
writes rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from students.models import LoginFailure


def lockout_until(
    failure_times: Iterable[dt.datetime],
    *,
    limit: int,
    window: dt.timedelta,
    now: dt.datetime,
) -> dt.datetime | None:
    """When the lock caused by these failures ends, or None when there is no lock now.

    Locked when the latest `limit` failures all fall within `window` of each other; the lock
    lasts `window` after the last of them.
    """
    latest = sorted(failure_times, reverse=True)[:limit]
    if limit < 1 or len(latest) < limit:
        return None
    newest, oldest = latest[0], latest[-1]
    if newest - oldest > window:
        return None
    until = newest + window
    return until if until > now else None


def lockout_message(until: dt.datetime, *, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-ins. Try again in {minutes} {unit} or ask your administrator."


def normalize_username(username: str) -> str:
    # "Teacher" and "teacher " count against the same account: case and spaces must not
    # buy an attacker extra guesses.
    return (username or "").strip().lower()


def _settings() -> tuple[int, dt.timedelta]:
    return settings.LOGIN_FAILURE_LIMIT, dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def login_locked_until(
    *, username: str, ip: str | None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """The end of the lock on this username or this address, whichever is later; None if free.

    One query: the failures of the last two windows for the username or from the address.
    """
    now = now or timezone.now()
    limit, window = _settings()
    username = normalize_username(username)
    match = Q(username=username)
    if ip:
        match |= Q(ip=ip)
    rows = LoginFailure.objects.filter(match, at__gte=now - 2 * window).values_list(
        "username", "ip", "at"
    )
    by_username: dict[str, list[dt.datetime]] = defaultdict(list)
    from_this_ip: dict[str, list[dt.datetime]] = defaultdict(list)
    for row_username, row_ip, at in rows:
        by_username[row_username].append(at)
        if ip and row_ip == ip:
            from_this_ip[row_username].append(at)
    ends = [lockout_until(by_username[username], limit=limit, window=window, now=now)]
    # The address is locked when it produced a username lock (see the module docstring).
    ends += [
        lockout_until(times, limit=limit, window=window, now=now) for times in from_this_ip.values()
    ]
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=normalize_username(username), ip=ip or None)


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=normalize_username(username)).delete()
