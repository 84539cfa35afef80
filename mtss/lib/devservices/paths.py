"""Where a checkout keeps its embedded servers, which ports they use, and how we talk."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
# Ports tried first, in this order, before any free port the system hands out: stable
# numbers are easier to remember (redis-cli -p 6390) and match the docs when free.
REDIS_PORTS = range(6390, 6400)
WEB_PORTS = range(8000, 8010)


def say(message: str) -> None:
    print(f"[devservices] {message}", flush=True)


def var_dir() -> Path:
    """This checkout's folder for the embedded servers' data (MTSS_VAR_DIR moves it: the
    tests run two `make run` from one checkout as if they were two)."""
    return Path(os.environ.get("MTSS_VAR_DIR") or BASE_DIR / "var").resolve()


def pgdata() -> Path:
    return var_dir() / "pgdata"


def redis_dir() -> Path:
    return var_dir() / "redis"


def shown(path: Path) -> str:
    """A path as short as a reader needs it: relative to the checkout when inside it."""
    with contextlib.suppress(ValueError):
        return str(path.relative_to(BASE_DIR))
    return str(path)


def checkout_name() -> str:
    """A name for this checkout on shared servers: its folder's name and a hash of its var/
    folder, so two clones both called `mtss` still differ (`mtss_a1b2c3`)."""
    folder = re.sub(r"[^a-z0-9]+", "_", BASE_DIR.name.lower()).strip("_")[:20] or "mtss"
    digest = hashlib.sha256(str(var_dir()).encode()).hexdigest()[:6]
    return f"{folder}_{digest}"


def load_dotenv() -> None:
    """Read .env like settings.py does, so a DATABASE_URL there counts as set."""
    path = BASE_DIR / ".env"
    if not path.exists():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.removeprefix("export ").strip()
        os.environ.setdefault(key, value.strip().strip("'\""))


# --- ports --------------------------------------------------------------------------------------


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Something answers on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_free(host: str, port: int) -> bool:
    """We could listen on host:port now (nothing bound there, whatever it answers)."""
    with socket.socket() as s:
        # As redis-server and runserver do: a port whose last connections linger in
        # TIME_WAIT (our own server, just stopped) is free for them, so for us too.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def pick_port(host: str, *preferred: int | None) -> int:
    """The first free port of `preferred`, else one the system hands out."""
    for port in preferred:
        if port and port_free(host, port):
            return port
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _ports_file() -> Path:
    return var_dir() / "ports.json"


def recorded_ports() -> dict[str, int]:
    """The ports this checkout used last time (var/ports.json), to use the same again."""
    try:
        data = json.loads(_ports_file().read_text())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, int)}


def record_port(service: str, port: int) -> None:
    ports = recorded_ports()
    if ports.get(service) == port:
        return
    ports[service] = port
    _ports_file().parent.mkdir(parents=True, exist_ok=True)
    _ports_file().write_text(json.dumps(ports, indent=1, sort_keys=True) + "\n")
