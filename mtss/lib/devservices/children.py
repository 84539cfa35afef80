"""The processes `run` starts (web, worker, beat), and stopping every one of them.

Each child runs in its own process group, so a terminal's Ctrl-C reaches only devservices,
which stops the children in order; each child also has PR_SET_PDEATHSIG set (Linux), so even
if devservices itself is killed with SIGKILL the children get SIGTERM and exit."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from mtss.lib.devservices.paths import BASE_DIR, say
from mtss.lib.devservices.services import signals_ignored

STOP_TIMEOUT = 15.0


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: get SIGTERM when the parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)


@dataclass
class Child:
    name: str
    process: subprocess.Popen

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        # The child leads its own group: the signal reaches its pool processes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


def start_child(name: str, argv: list[str], env: dict[str, str], *, quiet: bool = False) -> Child:
    """Start `argv`; `quiet` drops its standard output (its errors still show)."""
    parent = os.getpid()
    process = subprocess.Popen(
        argv,
        env=env,
        cwd=BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if quiet else None,
        start_new_session=True,  # our own Ctrl-C handling decides the order of shutdown
        preexec_fn=lambda: _die_with_parent(parent),
    )
    return Child(name, process)


def stop_children(children: list[Child]) -> None:
    with signals_ignored():
        if any(c.running for c in children):
            say("stopping " + ", ".join(c.name for c in children if c.running))
        for child in children:
            if child.running:
                child.signal_group(signal.SIGTERM)  # Celery: warm shutdown
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{child.name} did not stop in {STOP_TIMEOUT:.0f} s; killing it")
            # Whatever is left in the group (a pool process, a stuck child) goes now.
            child.signal_group(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=5)


def wait_for_http(url: str, *, timeout: float, children: list[Child]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not all(c.running for c in children):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


class Stop(Exception):
    """SIGTERM arrived: stop like on Ctrl-C."""


def raise_stop(signum: int, frame: object) -> None:
    raise Stop()
