"""Time `manage.py import_oneroster` on a generated OneRoster 1.2 set into a fresh database.

The set: 50,000 students, 2,500 staff, 2,000 classes, 250,000 student enrollments (five
classes per student) plus one teacher per class, demographics for every student, 50 schools.
It is written to a temporary folder, then imported twice into the database
<name>_bench_oneroster beside DATABASE_URL's (migrated first): the first run creates
everything, the second must change nothing. Reported: seconds, rows per second and the
peak memory (max RSS) of the import process. Target: first import under 90 seconds.

    DATABASE_URL=postgres://... python benchmarks/oneroster_import.py
    (or `make bench`)

Environment: BENCH_STUDENTS (default 50000; staff, classes and enrollments scale with it),
BENCH_SEED (default 2026), BENCH_KEEP=1 keeps the database and the files afterwards.
Exit status 1 when the target is missed.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import BenchDatabase, database_url
from benchkit.oneroster_set import generate

TARGET_SECONDS = 90.0


def run_import(manage: list[str], folder: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB of the import process, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [*manage, "import_oneroster", str(folder), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"import failed with status {done.returncode}")
    # ru_maxrss of children is the largest child so far; the migrate child is much smaller.
    return seconds, max(peak_kb, before) / 1024, done.stdout


def main() -> int:
    url = database_url()
    if not url:
        return 2
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    seed = int(os.environ.get("BENCH_SEED", "2026"))
    keep = os.environ.get("BENCH_KEEP") == "1"
    db = BenchDatabase.beside(url, "bench_oneroster")
    folder = Path(tempfile.mkdtemp(prefix="oneroster-bench-"))
    db.create()
    try:
        started = time.perf_counter()
        counts = generate(folder, students=students, seed=seed)
        rows = sum(counts.values())
        print(
            f"generated {rows:,} rows in {time.perf_counter() - started:.1f} s into {folder}: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
            flush=True,
        )
        db.migrate()
        print(f"$ python manage.py import_oneroster {folder} --quiet", flush=True)
        first, peak, output = run_import(db.manage_py, folder, db.env)
        print(output.strip().splitlines()[-1])
        second, peak2, output2 = run_import(db.manage_py, folder, db.env)
        unchanged_line = next(
            (line for line in output2.splitlines() if line.startswith("students")), ""
        )
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
            db.drop()
    target = TARGET_SECONDS * students / 50000
    ok = first < target
    print(
        f"first import: {rows:,} rows in {first:.1f} s ({rows / first:,.0f} rows/s), peak memory {peak:,.0f} MB; "
        f"target < {target:.0f} s: {'OK' if ok else 'TOO SLOW'}"
    )
    print(
        f"re-import of the same set: {second:.1f} s ({rows / second:,.0f} rows/s), peak memory {peak2:,.0f} MB"
    )
    print(f"re-import students line: {unchanged_line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
