"""A state-sized deployment in one database: how the costs grow with the number of students.

Run with `make bench` (services found like the tests') or directly with DATABASE_URL set:

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python benchmarks/state_scale.py

For each size in BENCH_STUDENTS_PER_DISTRICT (smallest first) it builds the database
<name>_bench_state_<D>x<S> beside DATABASE_URL's: `seed_demo --districts D --students S`
(D districts of S students, each with its own schools, staff and students), two earlier
school years (`seed_demo_history`, for the three-year dashboards), one sweep of every
district (so the timed sweeps are the nightly kind: the data has not changed since the last
sweep) and VACUUM ANALYZE. Then, each in a child process of its own:

1. sweeps: every district's rule sweep as one Celery task each (the nightly fan-out), on one
   worker process and then on two (separate `celery worker -c 1` processes, as on separate
   machines); wall time from the first send to the last run finished;
2. dashboards: every dashboard page of the largest district (district 1 when all are equal),
   cold and warm, as benchmarks/dashboards.py times them (benchkit.dashboard_pages);
3. import: one more district onboarded into the full database: its OneRoster set of S
   students imported (benchkit.oneroster_set), then the same set again (nothing changes).

It prints a table of each cost at every size and the ratio of the largest size to the
smallest beside the ratio of students. Exit status 1 when a cost grows more than
LINEAR_MARGIN times faster than the students do (worse than linear), or when two workers
are not faster than one at the largest size.

Options (environment): BENCH_DISTRICTS (default 10), BENCH_STUDENTS_PER_DISTRICT (sizes per
district, comma-separated, default "1000,5000": 10,000 and 50,000 students), BENCH_SEED
(default 1), BENCH_KEEP=1 keeps the databases, BENCH_REUSE=1 reuses kept ones as they are.
The issue's state size: BENCH_STUDENTS_PER_DISTRICT=5000,50000 (50,000 and 500,000 students;
hours of seeding on a 2-core machine, see docs/state-scale.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import psycopg
from benchkit import BenchDatabase, database_url

# A cost may grow up to this many times faster than the number of students. Fixed costs
# (process start, the first query's plan) make small sizes look dear, so real growth is
# usually below linear; more than 1.5x linear means something scans what it should not.
LINEAR_MARGIN = 1.5


def _phase(db: BenchDatabase, *args: str) -> dict:
    """Run one phase in a child process against `db`; its RESULT line."""
    done = subprocess.run(
        [sys.executable, __file__, "--phase", *args],
        env=db.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    result = None
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
        else:
            print(line, flush=True)
    if done.returncode != 0 or result is None:
        raise SystemExit(f"phase {args[0]} failed with status {done.returncode}")
    return result


def _prepare(db: BenchDatabase, districts: int, students: int, seed: int) -> float:
    """Seed the database; returns the seconds seed_demo took."""
    db.create()
    db.migrate()
    args = ("seed_demo", f"--districts={districts}", f"--students={students}", f"--seed={seed}")
    print("$ python manage.py " + " ".join(args), flush=True)
    started = time.perf_counter()
    db.manage(*args, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    db.manage("seed_demo_history", stdout=subprocess.DEVNULL)
    db.manage("apply_rules", stdout=subprocess.DEVNULL)
    with psycopg.connect(dbname=db.name, autocommit=True, **db.params) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  seeded in {seconds:.1f} s (then history, a first sweep, VACUUM ANALYZE)", flush=True)
    return seconds


def _measure_size(url: str, districts: int, students: int, seed: int) -> dict[str, float]:
    db = BenchDatabase.beside(url, f"bench_state_{districts}x{students}")
    reuse = os.environ.get("BENCH_REUSE") == "1" and db.exists()
    total = districts * students
    load = os.getloadavg()[0]
    print(
        f"\n== {districts} districts x {students:,} students = {total:,} students "
        f"(load average {load:.1f} on {os.cpu_count()} CPUs)",
        flush=True,
    )
    costs: dict[str, float] = {}
    if reuse:
        print(f"Reusing the database {db.name} (migrated, not re-seeded).", flush=True)
        db.migrate()
    else:
        costs["seed_demo (s)"] = _prepare(db, districts, students, seed)
    try:
        one = _phase(db, "sweeps", "1")
        two = _phase(db, "sweeps", "2")
        if one["failed"] or two["failed"]:
            raise SystemExit("a sweep failed")
        dash = _phase(db, "dashboards")
        imported = _phase(db, "import", str(students), str(seed))
    finally:
        if not reuse and os.environ.get("BENCH_KEEP") != "1":
            db.drop()
    costs.update(
        {
            "sweeps, 1 worker (s)": one["wall"],
            "sweeps, 2 workers (s)": two["wall"],
            "sweep per student, 1 worker (ms)": 1000 * one["wall"] / one["students"],
            "dashboards, all pages cold (s)": dash["cold_total"],
            "dashboards, slowest page cold (s)": dash["cold_max"],
            "dashboards, all pages warm (s)": dash["warm_total"],
            "one district's OneRoster import (s)": imported["seconds"],
            "the same import again, no change (s)": imported["again"],
        }
    )
    costs["load average"] = load
    return costs


# Costs whose growth is checked against the students' (the others are shown only).
CHECKED = (
    "sweeps, 1 worker (s)",
    "sweeps, 2 workers (s)",
    "dashboards, all pages cold (s)",
    "dashboards, slowest page cold (s)",
    "one district's OneRoster import (s)",
)


def _table(totals: list[int], by_size: list[dict[str, float]]) -> list[str]:
    """Print the table; returns the costs that grew worse than linear."""
    growth = totals[-1] / totals[0]
    head = f"{'cost':<38}" + "".join(f"{t:>12,}" for t in totals) + f"{'ratio':>9}  verdict"
    print("\n" + head)
    print("-" * len(head))
    worse = []
    for name in by_size[-1]:
        values = [costs.get(name) for costs in by_size]
        cells = "".join(f"{v:>12.3f}" if v is not None else f"{'-':>12}" for v in values)
        ratio = values[-1] / values[0] if values[0] and values[-1] is not None else None
        verdict = ""
        if name in CHECKED and ratio is not None:
            ok = ratio <= growth * LINEAR_MARGIN
            verdict = "OK" if ok else "WORSE THAN LINEAR"
            if not ok:
                worse.append(name)
        shown = f"{ratio:>8.2f}x" if ratio is not None else f"{'-':>9}"
        print(f"{name:<38}{cells}{shown}  {verdict}")
    print(
        f"{'students':<38}" + "".join(f"{t:>12,}" for t in totals) + f"{growth:>8.2f}x  "
        f"(a cost passes when its ratio <= {LINEAR_MARGIN:g} x {growth:.2f})"
    )
    return worse


def main() -> int:
    url = database_url()
    if not url:
        return 2
    districts = int(os.environ.get("BENCH_DISTRICTS", "10"))
    sizes = sorted(
        int(s) for s in os.environ.get("BENCH_STUDENTS_PER_DISTRICT", "1000,5000").split(",")
    )
    seed = int(os.environ.get("BENCH_SEED", "1"))
    if len(sizes) < 2:
        print("BENCH_STUDENTS_PER_DISTRICT needs two sizes or more.", file=sys.stderr)
        return 2
    by_size = [_measure_size(url, districts, s, seed) for s in sizes]
    totals = [districts * s for s in sizes]
    worse = _table(totals, by_size)
    largest = by_size[-1]
    speedup = largest["sweeps, 1 worker (s)"] / largest["sweeps, 2 workers (s)"]
    faster = speedup > 1.0
    print(
        f"two workers vs one at {totals[-1]:,} students: {speedup:.2f}x faster "
        f"(target > 1): {'OK' if faster else 'NOT FASTER'}"
    )
    if worse:
        print("Worse than linear: " + ", ".join(worse))
    return 0 if faster and not worse else 1


def phase(args: list[str]) -> int:
    from benchkit import state_phases

    name = args[0]
    if name == "sweeps":
        state_phases.sweeps(int(args[1]))
    elif name == "dashboards":
        state_phases.dashboards()
    elif name == "import":
        state_phases.oneroster_import(int(args[1]), int(args[2]))
    else:
        raise SystemExit(f"unknown phase {name!r}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--phase"]:
        sys.exit(phase(sys.argv[2:]))
    sys.exit(main())
