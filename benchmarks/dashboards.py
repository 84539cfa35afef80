"""Time every dashboard page on a 50,000-student district: server time cold and warm, and
the number of queries.

Run with `make bench` (services found like the tests') or directly with DATABASE_URL set:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/dashboards.py

What it does:
1. creates the database <name>_bench_dashboards beside DATABASE_URL's (BENCH_DB names
   another), migrates it, seeds it with `manage.py seed_demo --students N --seed S` and
   adds two earlier school years (`manage.py seed_demo_history`: the current year's windows,
   scores and referrals a year and two years earlier, for the three-year views) and runs
   VACUUM ANALYZE (as autovacuum would soon after a load); with BENCH_REUSE=1 an existing, already
   seeded database is used as it is (run seed_demo_history on it once for three-year
   figures that mean something);
2. loads mtss/wsgi.py as a web worker does, signs in the demo district administrator with
   django.test.Client (in this process, the full middleware stack, templates and charts
   included) and requests each page:
   "cold" is the first request after closing the database connection (a new connection,
   PostgreSQL's plan and catalog caches empty for it) and with no cached figures (a cache
   version of its own, dashboards/panel_cache.py), "warm" the median of the next three (the
   figures read from the cache); the query count is Django's for the cold request; "cpu" is
   each request's CPU time,
   this process's plus its PostgreSQL backend's (read from /proc when the server runs on
   this machine, else this process's only, marked "py"): on a machine loaded by other work
   the wall times stretch several-fold, the CPU time much less, so it is the figure to
   compare between runs there.
Target: every page under 1 second cold. Exit status 1 when one misses it.

Options (environment): BENCH_STUDENTS (default 50000), BENCH_SEED (default 1), BENCH_DB,
BENCH_REUSE=1, BENCH_KEEP=1 (keep a database this script created).
"""

from __future__ import annotations

import os
import time

import psycopg
from benchkit import BenchDatabase, database_url, setup_django
from benchkit.dashboard_pages import measure_pages

TARGET_SECONDS = 1.0


def _prepare(db: BenchDatabase, students: int, seed: int) -> None:
    db.create()
    db.migrate()
    print(f"$ python manage.py seed_demo --students {students} --seed {seed}", flush=True)
    started = time.perf_counter()
    db.manage("seed_demo", f"--students={students}", f"--seed={seed}")
    db.manage("seed_demo_history")
    print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    with psycopg.connect(dbname=db.name, autocommit=True, **db.params) as conn:
        conn.execute("VACUUM ANALYZE")


def _measure(url: str) -> list[tuple[str, float, float, int, int]]:
    setup_django(url)
    return measure_pages("district", say=lambda line: print(line, flush=True))


def main() -> int:
    url = database_url()
    if not url:
        return 2
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    seed = int(os.environ.get("BENCH_SEED", "1"))
    db = BenchDatabase.beside(url, "bench_dashboards", name=os.environ.get("BENCH_DB"))
    reuse = os.environ.get("BENCH_REUSE") == "1" and db.exists()
    if reuse:
        print(f"Reusing the database {db.name} as it is.")
    else:
        _prepare(db, students, seed)
    try:
        load = os.getloadavg()
        print(
            f"Dashboard pages, {students:,} students, load average {load[0]:.1f} on {os.cpu_count()} CPUs:"
        )
        results = _measure(db.url)
    finally:
        if not reuse and os.environ.get("BENCH_KEEP") != "1":
            db.drop()
    slow = [r for r in results if r[1] > TARGET_SECONDS]
    worst = max(results, key=lambda r: r[1])
    print(f"Slowest cold: {worst[0]} {worst[1]:.3f} s (target {TARGET_SECONDS:.1f} s).")
    if slow:
        print("Over target: " + ", ".join(f"{r[0]} ({r[1]:.2f} s)" for r in slow))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
