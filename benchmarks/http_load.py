"""Many users at once, in production mode, on a 50,000-student district (issue 21).

Run with `make bench` (services found like the tests') or directly with DATABASE_URL set:

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python benchmarks/http_load.py

What it does:
1. the database: <name>_bench_http_load beside DATABASE_URL's (BENCH_DB names another),
   created, migrated and seeded with `seed_demo --students N --seed S` and
   `seed_demo_history`, then VACUUM ANALYZE; with BENCH_REUSE=1 an existing one as it is;
2. the accounts (benchkit/load_accounts.py): real accounts of each role, their pages, a
   meeting in progress per team member's school; extra district administrators if needed;
3. the stable figures: every endpoint once per role in this process with the production
   settings: SQL queries and server time (benchkit/load_queries.py);
4. the production shape (benchkit/servers.py): `collectstatic`, gunicorn with DEBUG=0 and
   BENCH_WORKERS workers, a Celery worker; each account signs in through the sign-in page;
5. locust (benchkit/locustfile.py: teachers 60%, interventionists 15%, team members 15%,
   district administrators 10%) at 1, 10, 50 and 100 users (BENCH_LEVELS), each level for
   BENCH_SECONDS after all its users started. One user means one user at a time of each
   role in turn, taking its actions in turn, so that every endpoint has a single-user
   figure.
It prints requests/s, failures and p50/p95/p99 per endpoint per level, each p95's ratio to
the single-user p95, gunicorn's own median time per endpoint at one user, and the machine's
load average.

Targets (exit status 1 when one is missed): no failure at 100 users; at 50 users, p95 of a
score save under 300 ms and of every page under 1 s.

Options (environment): BENCH_SECONDS (per level, default 60), BENCH_WORKERS (gunicorn
workers, default 2 as docker-compose.yml runs), BENCH_THREADS (threads per worker, default 1),
BENCH_LEVELS (default "1,10,50,100"), BENCH_STUDENTS (default 50000), BENCH_SEED (1),
BENCH_DB, BENCH_REUSE=1, BENCH_KEEP=1 (keep a database this script created),
BENCH_QUERIES_ONLY=1 (stop after step 3: the stable figures only), BENCH_QUERIES=0 (skip
step 3, for the runs comparing worker counts).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests
from benchkit import BASE_DIR, BenchDatabase, database_url, setup_django
from benchkit.load_accounts import BENCH_PASSWORD, ROLES, prepare_accounts
from benchkit.load_queries import measure_endpoints
from benchkit.load_report import (
    Level,
    access_log_offset,
    missed_targets,
    print_levels,
    read_locust_csv,
    server_times,
)
from benchkit.servers import Servers, collectstatic, free_port, production_env

LOCUSTFILE = BASE_DIR / "benchmarks" / "benchkit" / "locustfile.py"
USER_CLASSES = {
    "teacher": "TeacherUser",
    "interventionist": "InterventionistUser",
    "team": "TeamUser",
    "admin": "AdminUser",
}
WEIGHTS = {"teacher": 60, "interventionist": 15, "team": 15, "admin": 10}


def _prepare(db: BenchDatabase, students: int, seed: int) -> None:
    db.create()
    db.migrate()
    print(f"$ python manage.py seed_demo --students {students} --seed {seed}", flush=True)
    db.manage("seed_demo", f"--students={students}", f"--seed={seed}")
    db.manage("seed_demo_history")
    with psycopg.connect(dbname=db.name, autocommit=True, **db.params) as conn:
        conn.execute("VACUUM ANALYZE")


def _sign_in_one(base: str, account: dict) -> float:
    started = time.perf_counter()
    page = requests.get(f"{base}/login/", timeout=60)
    token = page.cookies["csrftoken"]
    answer = requests.post(
        f"{base}/login/",
        data={
            "username": account["username"],
            "password": BENCH_PASSWORD,
            "csrfmiddlewaretoken": token,
        },
        headers={"Cookie": f"csrftoken={token}"},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or "sessionid" not in answer.cookies:
        raise SystemExit(f"{account['username']} could not sign in ({answer.status_code})")
    account["cookies"] = {
        "sessionid": answer.cookies["sessionid"],
        "csrftoken": answer.cookies.get("csrftoken", token),
    }
    return time.perf_counter() - started


def _sign_in(base: str, accounts: list[dict], workers: int) -> list[float]:
    """Each account signs in through the sign-in page (as many at once as there are web
    workers); its cookies go to the locust users. Returns the sign-in times (seconds)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda a: _sign_in_one(base, a), accounts))


def _locust(
    servers: Servers, env: dict, users: int, seconds: int, classes: list[str], prefix: Path
) -> float:
    """One headless locust run; returns the seconds measured (after all users started)."""
    rate = max(1, users // 5)
    ramp = users / rate
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(rate),
            "-t",
            f"{int(ramp + seconds)}s",
            "--reset-stats",
            "--stop-timeout",
            "10",
            "--host",
            servers.url,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            *classes,
        ],
        cwd=BASE_DIR,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(prefix.with_suffix(".log"), "wb"),  # noqa: SIM115 -- closed with the child
    )
    return float(seconds)


def _run_levels(
    servers: Servers, env: dict, levels: list[int], seconds: int, work: Path
) -> tuple[list[Level], dict[str, float]]:
    results: list[Level] = []
    single_server: dict[str, float] = {}
    for users in levels:
        print(f"  {users} user(s) for {seconds} s ...", flush=True)
        level = Level(users=users, seconds=0, load=0)
        if users == 1:
            log_start = access_log_offset(servers.log_dir / "access.log")
            for role in ROLES:
                prefix = work / f"u1-{role}"
                level.seconds += _locust(
                    servers, {**env, "BENCH_IN_TURN": "1"}, 1, seconds, [USER_CLASSES[role]], prefix
                )
                for name, row in read_locust_csv(prefix).items():
                    level.rows.setdefault(name, row)
            single_server = server_times(servers.log_dir / "access.log", log_start)
        else:
            prefix = work / f"u{users}"
            level.seconds = _locust(
                servers, env, users, seconds, list(USER_CLASSES.values()), prefix
            )
            level.rows = read_locust_csv(prefix)
        level.load = os.getloadavg()[0]
        results.append(level)
    return results, single_server


def main() -> int:
    url = database_url()
    if not url:
        return 2
    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    threads = int(os.environ.get("BENCH_THREADS", "1"))
    levels = [int(n) for n in os.environ.get("BENCH_LEVELS", "1,10,50,100").split(",")]
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    db = BenchDatabase.beside(url, "bench_http_load", name=os.environ.get("BENCH_DB"))
    reuse = os.environ.get("BENCH_REUSE") == "1" and db.exists()
    if reuse:
        print(f"Reusing the database {db.name} as it is.")
    else:
        _prepare(db, students, int(os.environ.get("BENCH_SEED", "1")))
    work = Path(tempfile.mkdtemp(prefix="mtss-http-load-"))
    env = production_env(db.url, port=free_port())
    # This process too runs the production settings (for the query counts), on the test
    # client's host name.
    os.environ.update(
        {
            k: env[k]
            for k in ("DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "LOG_LEVEL", "CONN_MAX_AGE")
        }
    )
    os.environ["ALLOWED_HOSTS"] = env["ALLOWED_HOSTS"] + ",testserver"
    servers = Servers(env, workers=workers, threads=threads, log_dir=work)
    try:
        collectstatic(env)
        setup_django(db.url)
        top = max(levels)
        counts = {role: max(1, -(-top * w // 100)) for role, w in WEIGHTS.items()}
        print(f"Preparing accounts {counts} ...", flush=True)
        accounts = prepare_accounts(counts)
        if os.environ.get("BENCH_QUERIES", "1") == "1":
            print("Queries and server time per endpoint (in process, production settings, warm):")
            for name, queries, spent, cpu in measure_endpoints(accounts):
                print(
                    f"  {name:<18} {queries:4d} queries  {spent * 1000:7.1f} ms"
                    f"  (Python CPU {cpu * 1000:5.1f} ms)"
                )
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_QUERIES_ONLY") == "1":
            return 0
        print(f"Starting gunicorn ({workers} workers x {threads} threads) and a Celery worker ...")
        servers.start()
        sign_ins = _sign_in(servers.url, accounts, workers)
        print(
            f"  {len(accounts)} accounts signed in (median {sorted(sign_ins)[len(sign_ins) // 2]:.2f} s each)"
        )
        (work / "accounts.json").write_text(json.dumps(accounts))
        locust_env = {**os.environ, "BENCH_ACCOUNTS": str(work / "accounts.json")}
        load = os.getloadavg()
        print(
            f"Load before the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs"
        )
        results, single_server = _run_levels(servers, locust_env, levels, seconds, work)
    finally:
        servers.stop()
        if not reuse and os.environ.get("BENCH_KEEP") != "1":
            db.drop()
    print(
        f"\nHTTP load, {students:,} students, gunicorn {workers} workers x {threads} threads, "
        f"{os.cpu_count()} CPUs, {seconds} s per level (logs in {work}):"
    )
    print_levels(results)
    if single_server:
        print("\nServer time at 1 user (gunicorn's access log, median ms):")
        for name, ms in sorted(single_server.items()):
            print(f"  {name:<18} {ms:7.1f}")
    missed = missed_targets(results)
    print("\n" + ("Targets missed: " + "; ".join(missed) if missed else "All targets met."))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
