"""Choosing the services: the environment's, localhost's default ones, or the embedded ones."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field

from mtss.lib.devservices import local
from mtss.lib.devservices.embedded_pg import (
    embedded_postgres_url,
    ensure_database,
    stop_embedded_postgres,
)
from mtss.lib.devservices.embedded_redis import embedded_redis_url, stop_embedded_redis
from mtss.lib.devservices.leases import KEEP, drop_lease, take_lease
from mtss.lib.devservices.paths import load_dotenv, port_open, say


@dataclass
class Services:
    env: dict[str, str]
    embedded: list[str] = field(default_factory=list)  # "postgres" / "redis" we lease
    redis_db: int | None = None  # the localhost Redis database number we claimed


@contextlib.contextmanager
def services(*, prefer_local: bool, holder: int | str | None = None) -> Iterator[Services]:
    """The environment with DATABASE_URL and REDIS_URL set; embedded servers leased meanwhile.

    With `holder=KEEP` the leases outlive this process (for `env`)."""
    load_dotenv()
    holder = os.getpid() if holder is None else holder
    svc = Services(env=dict(os.environ))
    env = svc.env
    try:
        if not env.get("DATABASE_URL"):
            if prefer_local and port_open(local.HOST, local.PG_PORT):
                env["DATABASE_URL"] = local.local_database_url(env.get("PGUSER", "postgres"))
                # pytest-django works in test_<name>; the named one exists too, for anything
                # (a benchmark, a check) that connects to DATABASE_URL itself.
                ensure_database(env["DATABASE_URL"])
            else:
                take_lease("postgres", holder)
                svc.embedded.append("postgres")
                env["DATABASE_URL"] = embedded_postgres_url()
        if not env.get("REDIS_URL"):
            if prefer_local and port_open(local.HOST, local.REDIS_PORT):
                number, claimed = local.claim_redis_db(holder)
                svc.redis_db = number if claimed else None
                env["REDIS_URL"] = f"redis://{local.HOST}:{local.REDIS_PORT}/{number}"
            else:
                take_lease("redis", holder)
                svc.embedded.append("redis")
                env["REDIS_URL"] = embedded_redis_url()
        yield svc
    finally:
        if holder != KEEP:
            release(svc, holder)


def release(svc: Services, holder: int | str) -> None:
    # Stopping must finish even if Ctrl-C is pressed again meanwhile.
    with signals_ignored():
        if svc.redis_db is not None:
            local.release_redis_db(svc.redis_db, holder)
        if "redis" in svc.embedded and drop_lease("redis", holder):
            stop_embedded_redis()
        if "postgres" in svc.embedded and drop_lease("postgres", holder):
            stop_embedded_postgres()


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    def note(signum: int, frame: object) -> None:
        say("still stopping, one moment...")

    previous = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
