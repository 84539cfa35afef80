"""The production shape for the load benchmark, on this machine: gunicorn with the production
settings (DEBUG=0, a SECRET_KEY, ALLOWED_HOSTS, static files collected and served by
WhiteNoise) and a Celery worker, each in its own process group so it can be stopped whole.

Plain HTTP on localhost, as docs/deployment.md describes trying the image without its TLS
proxy: SECURE_SSL_REDIRECT=0.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchkit import BASE_DIR


def production_env(database_url: str, *, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        # As docker-compose.yml sets it.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "BENCH_PORT": str(port),
    }


def collectstatic(env: dict[str, str]) -> None:
    """As the Dockerfile does at build time: hashed, compressed files for WhiteNoise.
    Skipped when the collected manifest is newer than every file of static/ (compressing
    plotly.js again takes a minute or two on a busy machine)."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    sources = [p.stat().st_mtime for p in (BASE_DIR / "static").rglob("*") if p.is_file()]
    if manifest.exists() and manifest.stat().st_mtime > max(sources, default=0):
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    """gunicorn (`workers` processes, `threads` threads each) and one Celery worker."""

    def __init__(self, env: dict[str, str], *, workers: int, threads: int, log_dir: Path) -> None:
        self.env = env
        self.port = int(env["BENCH_PORT"])
        self.workers = workers
        self.threads = threads
        self.log_dir = log_dir
        self.children: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _start(self, name: str, argv: list[str]) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 -- the child keeps it
        self.children.append(
            subprocess.Popen(
                argv,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def start(self) -> None:
        bin_dir = Path(sys.executable).parent
        self._start(
            "gunicorn",
            [
                str(bin_dir / "gunicorn"),
                "mtss.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--timeout",
                "60",
                # The access log, as in production, with the server time in microseconds.
                "--access-logfile",
                str(self.log_dir / "access.log"),
                "--access-logformat",
                "%(m)s %(U)s %(s)s %(D)s",
            ],
        )
        self._start(
            "celery",
            [sys.executable, "-m", "celery", "-A", "mtss", "worker", "--loglevel=WARNING"],
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(child.poll() is not None for child in self.children):
                raise SystemExit(f"a server stopped at start; see the logs in {self.log_dir}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer /healthz in {timeout:.0f} s")

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.children.clear()
