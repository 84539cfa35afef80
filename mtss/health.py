"""/healthz: is the database reachable, is the broker reachable.

200 `{"status": "ok", "database": true, "broker": true, "down": []}` when both answer, else
503 with the one that failed set to false and named in `down` (`["database"]`). No login, no data: it is for orchestrators and load balancers
(exempt from the HTTPS redirect in production settings; the probe's Host header must still
be one of ALLOWED_HOSTS).
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def _broker_ok() -> bool:
    try:
        # A short timeout: a probe that hangs is as bad as one that fails. The client is
        # closed on exit so probes do not pile up connections.
        with redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        ) as client:
            return bool(client.ping())
    except Exception:
        logger.warning("healthz: broker unreachable", exc_info=True)
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    ok = all(checks.values())
    down = [name for name, up in checks.items() if not up]
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks, "down": down},
        status=200 if ok else 503,
    )
