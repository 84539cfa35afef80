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
   PostgreSQL's plan and catalog caches empty for it), "warm" the median of the next three;
   the query count is Django's for the cold request; "cpu" is the cold request's CPU time,
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
import statistics
import time

import psycopg
from benchkit import BenchDatabase, database_url, setup_django

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


def _pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    school, winter = ids["school"], ids["winter"]
    return [
        ("index", "/dashboards/"),
        ("tiers (district, latest closed window)", "/dashboards/tiers/"),
        ("tiers + movement (winter)", f"/dashboards/tiers/?window={winter}"),
        ("tiers, one school", f"/dashboards/tiers/?school={school}"),
        ("core (district)", "/dashboards/core/"),
        ("core + growth (winter)", f"/dashboards/core/?window={winter}"),
        ("core, one school (classes)", f"/dashboards/core/?school={school}"),
        ("completion (district)", "/dashboards/completion/"),
        ("completion, one school", f"/dashboards/completion/?school={school}"),
        ("equity (district, at risk)", "/dashboards/equity/"),
        ("equity, placed, reading", "/dashboards/equity/?step=placed&domain=reading"),
        ("equity, one school, flagged", f"/dashboards/equity/?school={school}&step=flagged"),
        ("interventions", "/dashboards/interventions/"),
        ("behavior (district)", "/dashboards/behavior/"),
        ("behavior, one school", f"/dashboards/behavior/?school={school}"),
        ("tiers, three years (district)", "/dashboards/tiers/?span=3"),
        ("core, three years (district)", "/dashboards/core/?span=3"),
        ("equity, three years (district, at risk)", "/dashboards/equity/?span=3"),
        ("equity, three years, major referrals", "/dashboards/equity/?span=3&step=major_referral"),
        ("equity, three years, one school", f"/dashboards/equity/?span=3&school={school}"),
        ("behavior, three years (district)", "/dashboards/behavior/?span=3"),
        ("API equity", "/api/v1/dashboards/equity/?step=at_risk"),
        ("API tiers", "/api/v1/dashboards/tiers/"),
        ("CSV equity", "/dashboards/equity/?download=equity"),
    ]


def _backend_cpu(connection) -> float | None:  # noqa: ANN001 -- Django's connection
    """CPU seconds used so far by the connection's PostgreSQL backend, or None when its
    process cannot be read (a server on another machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, fields 14 and 15 of proc(5), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(url: str) -> list[tuple[str, float, float, int, int]]:
    setup_django(url)
    from django.db import connection, connections
    from django.test import Client

    from screening.models import ScreeningWindow
    from students.models import School, User

    admin = User.objects.get(username="district")
    ids = {
        "school": School.objects.order_by("pk").values_list("pk", flat=True).first(),
        "winter": ScreeningWindow.objects.filter(season="winter", school_year__is_current=True)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
    }
    client = Client()
    client.force_login(admin)
    # Load the app as a gunicorn worker does (mtss/wsgi.py: plotly warmed up, gc.freeze()),
    # then one request, so that imports, URL resolution and template loading (once per
    # process) are not charged to the first page.
    import mtss.wsgi  # noqa: F401

    client.get("/dashboards/")
    results = []
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # noqa: ANN001 -- Django's wrapper API
        executed.append(sql)
        return execute(sql, params, many, context)

    for label, path in _pages(ids):
        connections.close_all()
        executed.clear()
        connection.ensure_connection()
        backend = _backend_cpu(connection)
        with connection.execute_wrapper(count):
            cpu = time.process_time()
            started = time.perf_counter()
            response = client.get(path)
            cold = time.perf_counter() - started
            cpu = time.process_time() - cpu
        if backend is not None and (after := _backend_cpu(connection)) is not None:
            cpu_text = f"cpu {cpu + after - backend:6.3f} s"
        else:
            cpu_text = f"cpu {cpu:6.3f} s (py)"
        queries = list(executed)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        warm_runs = []
        for _ in range(3):
            started = time.perf_counter()
            client.get(path)
            warm_runs.append(time.perf_counter() - started)
        results.append(
            (label, cold, statistics.median(warm_runs), len(queries), len(response.content))
        )
        print(
            f"  {label:<40} cold {cold:6.3f} s   {cpu_text}   "
            f"warm {statistics.median(warm_runs):6.3f} s   {len(queries):3d} queries",
            flush=True,
        )
    return results


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
