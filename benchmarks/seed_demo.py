"""Time `manage.py seed_demo --students 50000` into a fresh database.

Run with `make bench` (services found like the tests') or directly with DATABASE_URL set.
Creates the database <name>_bench_seed_demo beside DATABASE_URL's, migrates it, times the
command as a user would run it (Python start-up included), then drops the database.
Target: under 120 seconds for 50,000 students. Exit status 1 when the target is missed.

Options (environment): BENCH_STUDENTS (default 50000), BENCH_SEED (default 2026),
BENCH_KEEP=1 to keep the database afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120.0


def _connect_params(url: str) -> dict[str, str]:
    config = environ.Env.db_url_config(url)
    params = {
        "host": config.get("OPTIONS", {}).get("host") or config["HOST"],
        "port": str(config["PORT"] or ""),
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    return {k: v for k, v in params.items() if v}


def main() -> int:
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("DATABASE_URL is not set; run this through `make bench`.", file=sys.stderr)
        return 2
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    seed = int(os.environ.get("BENCH_SEED", "2026"))
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'mtss'}_bench_seed_demo"
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))
    env = {**os.environ, "DATABASE_URL": bench_url}
    params = _connect_params(url)

    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        command = [*manage, "seed_demo", f"--students={students}", f"--seed={seed}"]
        print("$ python manage.py " + " ".join(command[2:]), flush=True)
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True)
        seconds = time.perf_counter() - started
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ok = seconds < TARGET_SECONDS * students / 50000
    print(
        f"seed_demo: {students:,} students in {seconds:.1f} s "
        f"({students / seconds:,.0f} students/s); target < {TARGET_SECONDS:.0f} s for 50,000: "
        f"{'OK' if ok else 'TOO SLOW'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
