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
import sys
import time

from benchkit import BenchDatabase, database_url

TARGET_SECONDS = 120.0


def main() -> int:
    url = database_url()
    if not url:
        return 2
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    seed = int(os.environ.get("BENCH_SEED", "2026"))
    db = BenchDatabase.beside(url, "bench_seed_demo")
    db.create()
    try:
        db.migrate()
        args = ("seed_demo", f"--students={students}", f"--seed={seed}")
        print("$ python manage.py " + " ".join(args), flush=True)
        started = time.perf_counter()
        db.manage(*args)
        seconds = time.perf_counter() - started
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            db.drop()
    ok = seconds < TARGET_SECONDS * students / 50000
    print(
        f"seed_demo: {students:,} students in {seconds:.1f} s "
        f"({students / seconds:,.0f} students/s); target < {TARGET_SECONDS:.0f} s for 50,000: "
        f"{'OK' if ok else 'TOO SLOW'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
