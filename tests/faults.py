"""Real services for fault tests: a Redis server of the test's own (so it can be stopped and
restarted without touching anyone else's), and Celery workers as separate processes (so
they can be SIGKILLed), pointed at the test database."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from mtss.celery import app

ROOT = Path(__file__).resolve().parents[1]


def wait_for(predicate: Callable[[], Any], seconds: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached in {seconds} s")


def free_port() -> int:
    """A port the system just handed out: never the port of an earlier test's Redis, which a
    worker left behind might still be trying to reconnect to."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """redis-server on a free port, in a temporary folder, without persistence (the worst
    case: a restart loses everything Redis held)."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="mtss-fault-redis-")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "the test Redis answering")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        self.proc = None

    def _answers(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0


def test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _reset_broker_pools() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings) -> Iterator[OwnRedis]:
    """A private Redis, used as the broker by this process (sends, the outbox) too."""
    redis = OwnRedis()
    redis.start()
    before = app.conf.broker_url
    settings.CELERY_BROKER_URL = redis.url
    app.conf.broker_url = redis.url
    _reset_broker_pools()
    try:
        yield redis
    finally:
        app.conf.broker_url = before
        _reset_broker_pools()
        redis.stop()
        shutil.rmtree(redis.folder, ignore_errors=True)


class Worker:
    """`celery worker` in its own process, on the test database and the given broker."""

    def __init__(self, broker_url: str, log: Path, **env: str) -> None:
        self.log = log
        full_env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": broker_url,
            "JOB_HEARTBEAT_SECONDS": "1",
            **env,
        }
        self.out = log.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mtss",
                "worker",
                "-P",
                "solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"fault-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: b"ready." in log.read_bytes(), 120, "the worker starting")
        except BaseException:
            self.stop()
            raise

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.alive:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.out.close()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@contextmanager
def worker(broker_url: str, log: Path, **env: str) -> Iterator[Worker]:
    w = Worker(broker_url, log, **env)
    try:
        yield w
    finally:
        w.stop()


def backend_gone(pid: int | None) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def idle_in_transaction_pids() -> list[int]:
    """Sessions of the test database sleeping inside a transaction (a paused import)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]
