"""Events between apps, through a transactional outbox (docs/decisions.md, "Events").

A lower app announces what happened with `event_record(name, payload)`, inside the
transaction of the change: the event is a row (students.models_outbox.OutboxEvent), so a
rolled-back change announces nothing and a committed one is never lost, whatever the broker
is doing. Higher apps react with `subscribe(name, handler)` from their AppConfig.ready(); a
lower app never imports the app that reacts.

Delivery calls each subscriber's handler with the payload:
- right after commit (`transaction.on_commit`), so work starts at once when the broker is up;
  the broker is pinged first with a one-second timeout, so a request never waits longer
  (through one Redis client per process, `broker_client`: no new connection per request);
- every minute by the beat task `students.tasks.outbox_dispatch`, which delivers whatever is
  still pending (the broker was down, the process died between commit and delivery).

A subscriber may say when its handler would do nothing (`subscribe(..., covered=...)`): when
every subscriber of an event says so at the time it happens, the event is not recorded at
all. Scores saved while the school's sweep is already scheduled cost one Redis question
instead of an outbox row and its delivery (four queries and two Redis round trips a save).
A covered check that fails (broker down) counts as "not covered": the event is recorded.

Each event is locked (FOR UPDATE SKIP LOCKED) and marked delivered in the same transaction
in which its handlers ran, so two dispatchers never deliver it twice. A handler that raises
(the broker went away) leaves the event pending, with the error and the attempt counted; it
is delivered again later, so handlers only hand work to idempotent Celery tasks. Handlers
send their tasks directly (not on commit): they already run after the change committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from students.models_outbox import OutboxEvent

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
# covered(payload): True when the handler would do nothing for this event now.
Covered = Callable[[dict[str, Any]], bool]

BROKER_TIMEOUT = 1.0  # seconds: the longest a request waits on an unreachable broker
BATCH = 200

_subscribers: dict[str, list[Handler]] = {}
_covered: dict[Handler, Covered] = {}
_clients: dict[str, redis.Redis] = {}


def subscribe(name: str, handler: Handler, *, covered: Covered | None = None) -> None:
    """Call `handler(payload)` for every event `name` (once per handler, however often
    AppConfig.ready() runs). `covered(payload)`, if given, answers whether the handler would
    do nothing for the event at this moment (see the module docstring)."""
    handlers = _subscribers.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)
    if covered is not None:
        _covered[handler] = covered


def subscribers(name: str) -> list[Handler]:
    return list(_subscribers.get(name, ()))


def _all_covered(name: str, payload: dict[str, Any]) -> bool:
    handlers = subscribers(name)
    if not handlers or any(h not in _covered for h in handlers):
        return False
    if transaction.get_connection().savepoint_ids:
        # Recorded inside a longer transaction (an import's whole file): what is covered now
        # may have run by the time it commits. Only a change that commits as its service
        # returns may ride along.
        return False
    try:
        return all(_covered[h](payload) for h in handlers)
    except Exception:
        logger.warning("could not tell whether event %s is covered", name, exc_info=True)
        return False


def event_record(name: str, payload: dict[str, Any]) -> OutboxEvent | None:
    """Record an event in the current transaction; it is delivered after commit. None when
    every subscriber said the event would change nothing now (nothing recorded)."""
    if _all_covered(name, payload):
        return None
    event = OutboxEvent.objects.create(name=name, payload=payload)
    pk = event.pk
    transaction.on_commit(lambda: dispatch_after_commit([(pk, name)]))
    return event


def dispatch_after_commit(rows: list[tuple[int, str]]) -> None:
    # Runs after the response's transaction committed: any error here is logged, never
    # raised into the request (the periodic dispatch delivers the event later). The ids and
    # names are known here: no query to look them up again.
    try:
        _dispatch(rows)
    except Exception:
        logger.warning(
            "could not deliver events %s now; the periodic dispatch will",
            [pk for pk, _ in rows],
            exc_info=True,
        )


def broker_client() -> redis.Redis:
    """This process's client of the broker's Redis (one connection pool per process and
    URL), failing within BROKER_TIMEOUT: the requests that check or send reuse an open
    connection instead of opening one each. A connection the server dropped (a restart) is
    opened again by the pool before a command; nothing is retried after a failure."""
    url = settings.CELERY_BROKER_URL
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(
            url,
            socket_connect_timeout=BROKER_TIMEOUT,
            socket_timeout=BROKER_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
    return client


def broker_problem() -> str:
    """'' when the broker answers a ping within BROKER_TIMEOUT, else what went wrong."""
    try:
        broker_client().ping()
    except Exception as exc:
        return f"The job queue is not reachable ({type(exc).__name__}: {exc})."
    return ""


def outbox_dispatch(*, ids: Iterable[int] | None = None, limit: int = BATCH) -> int:
    """Deliver pending events (these ids, else the oldest `limit`). Returns how many were
    delivered; the others stay pending with their error."""
    pending = OutboxEvent.objects.filter(dispatched_at__isnull=True)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    rows = list(pending.order_by("pk").values_list("pk", "name")[:limit])
    return _dispatch(rows)


def _dispatch(rows: list[tuple[int, str]]) -> int:
    if not rows:
        return 0
    problem = broker_problem() if any(subscribers(name) for _, name in rows) else ""
    delivered = 0
    for pk, name in rows:
        if problem and subscribers(name):
            _note_failure(pk, problem)
            continue
        try:
            delivered += _deliver(pk)
        except Exception as exc:
            logger.warning("event %s (%s) not delivered", pk, name, exc_info=True)
            problem = f"{type(exc).__name__}: {exc}"
            _note_failure(pk, problem)
    return delivered


def _deliver(pk: int) -> int:
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, dispatched_at__isnull=True)
            .first()
        )
        if event is None:  # delivered meanwhile, or being delivered by another process
            return 0
        for handler in subscribers(event.name):
            handler(event.payload)
        event.dispatched_at = timezone.now()
        event.attempts += 1
        event.last_error = ""
        event.save(update_fields=["dispatched_at", "attempts", "last_error"])
        return 1


def _note_failure(pk: int, error: str) -> None:
    OutboxEvent.objects.filter(pk=pk, dispatched_at__isnull=True).update(
        attempts=F("attempts") + 1, last_error=error[:2000]
    )


def events_delete_delivered(*, days: int = 30) -> int:
    """Forget events delivered more than `days` ago (nightly)."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = OutboxEvent.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted
