"""The measured steps of benchmarks/state_scale.py, each run in a child process of its own
(`python benchmarks/state_scale.py --phase <name>` with DATABASE_URL set to the seeded
database), so Django is set up once per database and every phase starts cold. Each phase
prints one line `RESULT <json>` last; state_scale.py reads it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import BASE_DIR, setup_django
from benchkit.dashboard_pages import measure_pages
from benchkit.oneroster_set import generate

QUEUE = "bench_state_scale"  # a queue of its own: nothing else's messages in the way
SWEEP_TIMEOUT = 60 * 60
# The import phase's districts (the generated set's district org); the sweeps and the
# dashboards leave them out, so a kept database measured again measures the same districts.
IMPORTED = "dst-bench"


def _seeded_districts():
    from students.models import District

    return District.objects.exclude(sourced_id__startswith=IMPORTED)


def _result(value: dict) -> None:
    print("RESULT " + json.dumps(value), flush=True)


def _as_of():
    from django.utils import timezone

    from students.models import SchoolYear

    year = SchoolYear.objects.filter(is_current=True).order_by("pk").first()
    return min(max(timezone.localdate(), year.start_date), year.end_date)


def _start_workers(count: int) -> list[subprocess.Popen]:
    """`count` Celery worker processes of one pool process each, as on `count` machines."""
    workers = []
    for i in range(count):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mtss",
            "--quiet",
            "worker",
            "-c",
            "1",
            "-Q",
            QUEUE,
            "-n",
            f"state{i + 1}@bench",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
        ]
        # The workers' own output (start-up warnings) goes to a log file, not the report.
        log = open(Path(tempfile.gettempdir()) / f"state-scale-worker-{i + 1}.log", "w")  # noqa: SIM115
        workers.append(
            subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=os.environ.copy(),
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return workers


def _stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _wait_ready(count: int) -> None:
    from mtss.celery import app

    names = [f"state{i + 1}@bench" for i in range(count)]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answered = app.control.ping(destination=names, timeout=1.0)
        if len(answered) == count:
            return
    raise SystemExit(f"the {count} Celery workers did not answer within 120 s")


def sweeps(workers: int) -> None:
    """Every district's sweep as one task each (what the nightly sweep_all_districts sends),
    on `workers` worker processes; wall time from the first send to the last run finished."""
    setup_django(os.environ["DATABASE_URL"])
    from decisions.models import RuleRun
    from decisions.tasks import sweep_district
    from mtss.celery import app
    from students.models import Student

    as_of = _as_of()
    districts = list(_seeded_districts().order_by("pk").values_list("pk", flat=True))
    students = Student.objects.filter(active=True, district_id__in=districts).count()
    with app.connection_for_write() as conn:
        app.amqp.queues[QUEUE].bind(conn.default_channel).purge()
    procs = _start_workers(workers)
    try:
        _wait_ready(workers)
        after = RuleRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        started = time.perf_counter()
        for district_id in districts:
            sweep_district.apply_async(
                (district_id, RuleRun.Trigger.MANUAL, as_of.isoformat()), queue=QUEUE
            )
        while True:
            runs = list(
                RuleRun.objects.filter(pk__gt=after, status__in=["succeeded", "failed"]).values(
                    "status", "started_at", "finished_at"
                )
            )
            if len(runs) >= len(districts):
                break
            if time.perf_counter() - started > SWEEP_TIMEOUT:
                raise SystemExit("the sweeps did not finish within an hour")
            time.sleep(0.1)
        wall = time.perf_counter() - started
    finally:
        _stop_workers(procs)
    failed = sum(r["status"] == "failed" for r in runs)
    busy = sum((r["finished_at"] - r["started_at"]).total_seconds() for r in runs)
    print(
        f"  sweeps, {workers} worker(s): {len(runs)} districts in {wall:.2f} s "
        f"(runs' own time {busy:.2f} s), {failed} failed",
        flush=True,
    )
    _result({"wall": wall, "busy": busy, "failed": failed, "students": students})


def dashboards() -> None:
    """The dashboards of the district with the most students, as its administrator."""
    setup_django(os.environ["DATABASE_URL"])
    from django.db.models import Count

    from students.models import Membership, Role

    largest = (
        _seeded_districts().annotate(n=Count("students")).order_by("-n", "pk").values("pk", "n")[0]
    )
    admin = (
        Membership.objects.filter(district_id=largest["pk"], role=Role.DISTRICT_ADMIN)
        .order_by("user_id")
        .values_list("user__username", flat=True)[0]
    )
    print(f"  dashboards of {admin} ({largest['n']:,} students):", flush=True)
    rows = measure_pages(admin, say=lambda line: print(line, flush=True))
    _result(
        {
            "cold_total": sum(r[1] for r in rows),
            "cold_max": max(r[1] for r in rows),
            "warm_total": sum(r[2] for r in rows),
            "students": largest["n"],
        }
    )


def oneroster_import(students: int, seed: int) -> None:
    """One more district, onboarded into the full database: its (empty) district row made
    as an operator would, then its OneRoster set of `students` students imported with
    `import_oneroster --district` (one school per 500 students), then the same set again
    (a nightly sync where nothing changed)."""
    setup_django(os.environ["DATABASE_URL"])
    from django.db import connections

    from students.models import District

    # A kept database measured again: the set's staff and district org belong to the
    # district the first run made (accounts are platform-wide), so a second new district
    # cannot take them. Then only the unchanged re-import is timed, into that district.
    district = District.objects.filter(sourced_id=IMPORTED).first()
    first_run = district is None
    if first_run:
        district = District.objects.create(name="Benchmark Unified (state scale)")
    connections.close_all()
    command = [sys.executable, str(BASE_DIR / "manage.py"), "import_oneroster"]
    times = []
    with tempfile.TemporaryDirectory(prefix="state-scale-oneroster-") as tmp:
        counts = generate(Path(tmp), students=students, seed=seed, schools=max(1, students // 500))
        for _ in range(2 if first_run else 1):
            started = time.perf_counter()
            subprocess.run(
                [*command, tmp, "--quiet", f"--district={district.pk}"],
                check=True,
                cwd=BASE_DIR,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - started)
    rows = sum(counts.values())
    if not first_run:
        times.insert(0, None)
        print("  (the district was imported by an earlier run: its first import is not timed)")
    first = f"{times[0]:.2f} s" if times[0] is not None else "not timed"
    print(
        f"  OneRoster import of one more district: {rows:,} rows, first {first}; "
        f"again (nothing changed) {times[1]:.2f} s",
        flush=True,
    )
    _result({"seconds": times[0], "again": times[1], "rows": rows})
