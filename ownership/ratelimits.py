"""The limit on wrong sign-in codes per client address, on django-ratelimit.

Only wrong codes count: a whole class signs in from the school's one public address, and
thirty right codes in a minute must not lock it out. After STUDENT_CODE_FAILURE_RATE wrong
codes ("20/10m": 20 in a ten-minute window) the address is refused, right codes included,
until the window ends. The counts live in the "ratelimit" cache (Redis, settings.CACHES), so
every gunicorn worker sees them; Django's RedisCache increments with Redis's atomic INCR.
If Redis cannot be reached the sign-in is refused rather than left unlimited
(django-ratelimit's default, RATELIMIT_FAIL_OPEN = False).

Staff sign-in has its own lockout (django-axes, students/lockout.py); a code is not an
account, so it is counted here instead.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from mtss.client_ip import client_ip

GROUP = "ownership.sign_in_code"


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    return get_usage(
        request,
        group=GROUP,
        key=_address,
        rate=settings.STUDENT_CODE_FAILURE_RATE,
        increment=increment,
    )


def address_blocked(request: HttpRequest) -> bool:
    """True once this address has used up its wrong tries (its next try is refused)."""
    usage = _usage(request, increment=False)
    if usage is None:  # RATELIMIT_ENABLE = False
        return False
    # django-ratelimit limits above the count (`count > limit`); the rate names how many
    # wrong tries are allowed, so the one after the last allowed is refused.
    return usage["should_limit"] or usage["count"] >= usage["limit"]


def wrong_code_counted(request: HttpRequest) -> None:
    _usage(request, increment=True)
