"""What every benchmark script shares: its own database beside DATABASE_URL's, manage.py
commands run against it, and Django set up in the script's process.

A package rather than a module so that `make bench` (which runs every benchmarks/*.py)
does not take it for a benchmark.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def database_url() -> str | None:
    """DATABASE_URL, or None after telling the user how to run the script."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("DATABASE_URL is not set; run this through `make bench`.", file=sys.stderr)
    return url


def connect_params(url: str) -> dict[str, str]:
    config = environ.Env.db_url_config(url)
    params = {
        "host": config.get("OPTIONS", {}).get("host") or config["HOST"],
        "port": str(config["PORT"] or ""),
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    return {k: v for k, v in params.items() if v}


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


@dataclass(frozen=True)
class BenchDatabase:
    """A database named <DATABASE_URL's name>_<suffix> (or `name`) on the same server."""

    name: str
    url: str
    params: dict[str, str]

    @classmethod
    def beside(cls, url: str, suffix: str, *, name: str | None = None) -> BenchDatabase:
        parts = urlsplit(url)
        name = name or f"{parts.path.lstrip('/') or 'mtss'}_{suffix}"
        return cls(
            name=name,
            url=urlunsplit(parts._replace(path=f"/{name}")),
            params=connect_params(url),
        )

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url}

    def _server(self) -> psycopg.Connection:
        return psycopg.connect(dbname="postgres", autocommit=True, **self.params)

    def exists(self) -> bool:
        with self._server() as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return found.fetchone() is not None

    def create(self) -> None:
        """An empty database, whatever was there before."""
        with self._server() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if "django.db" in sys.modules:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
        with self._server() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    @property
    def manage_py(self) -> list[str]:
        """The command line of manage.py, for scripts that start it themselves."""
        return [sys.executable, str(BASE_DIR / "manage.py")]

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """`manage.py <args>` against this database, in a child process."""
        return subprocess.run([*self.manage_py, *args], env=self.env, check=True, **kwargs)

    def migrate(self) -> None:
        self.manage("migrate", "--no-input", "-v", "0")
