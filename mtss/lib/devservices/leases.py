"""Leases on this checkout's embedded servers: who uses them, so the last one out stops them.

A lease is a pid (or KEEP, for `env`) in var/services.json, under a file lock. Leases of
processes that died do not count, so a crashed `make run` leaves nothing the next one cannot
reuse and stop."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator

from mtss.lib.devservices.paths import var_dir

KEEP = "keep"  # lease of `env`: the servers stay up until `stop`


@contextlib.contextmanager
def locked_leases() -> Iterator[dict[str, list]]:
    var_dir().mkdir(parents=True, exist_ok=True)
    path = var_dir() / "services.json"
    with open(var_dir() / "services.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        leases = json.loads(path.read_text()) if path.exists() else {}
        for service, holders in leases.items():
            leases[service] = [h for h in holders if h == KEEP or alive(h)]
        yield leases
        path.write_text(json.dumps(leases))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def take_lease(service: str, holder: int | str) -> None:
    with locked_leases() as leases:
        holders = leases.setdefault(service, [])
        if holder not in holders:
            holders.append(holder)


def drop_lease(service: str, holder: int | str) -> bool:
    """Give the lease back; True when nobody else holds one (time to stop the server)."""
    with locked_leases() as leases:
        holders = [h for h in leases.get(service, []) if h != holder]
        leases[service] = holders
        return not holders
