"""Import one school year of daily attendance for a 50,000-student district (~9 million rows)
through the import job, then sweep the early-warning rules; compare the sweep with a raw read
of the same rows.

Run with `make bench` (services found like the tests') or directly with DATABASE_URL set:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/attendance.py

What it does:
1. creates the database <name>_bench_attendance beside DATABASE_URL's and migrates it; writes
   a district, its school year, BENCH_SCHOOLS schools and BENCH_STUDENTS students with SQL
   (not timed);
2. writes the school calendars (weekdays, US-style holidays) and one CSV row per student and
   school day of the whole year (not timed);
3. imports the calendar, then the attendance, each as an ImportJob run by
   `students.imports.job_run` in a child process (as the Celery worker runs it): rows/second
   and the child's peak memory (ru_maxrss) are reported;
4. raw read: every attendance row of the year into a DataFrame (best of BENCH_REPEAT);
5. sweep: `decisions.sweep.sweep` of the district as of the last school day (first run:
   every flag created; second run: nothing changes), and the attendance rule module alone.

Target: the first sweep within 3x the raw read. Exit status 1 when missed.
Options (environment): BENCH_STUDENTS (50000), BENCH_SCHOOLS (25), BENCH_REPEAT (2),
BENCH_KEEP=1 to keep the database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from benchkit import BenchDatabase, database_url, setup_django

TARGET_VS_READ = 3.0
YEAR = (dt.date(2026, 8, 17), dt.date(2027, 6, 4))


def _roster(students: int, schools: int) -> int:
    from django.db import connection

    from students.models import District, School, SchoolYear

    district = District.objects.create(name="Bench attendance district")
    SchoolYear.objects.create(
        district=district, name="2026-2027", start_date=YEAR[0], end_date=YEAR[1], is_current=True
    )
    made = School.objects.bulk_create(
        [
            School(district=district, name=f"School {i:02d}", lowest_grade=0, highest_grade=12)
            for i in range(schools)
        ]
    )
    ids = [s.pk for s in made]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO students_student (district_id, school_id, local_id, sourced_id,
                first_name, last_name, preferred_name, grade, sex, race_ethnicity,
                english_learner, iep, section_504, economically_disadvantaged, active,
                created_at, updated_at)
            SELECT %(district)s, (%(schools)s::bigint[])[1 + (g %% %(n)s)],
                   'B' || lpad(g::text, 6, '0'), '', 'Student', 'No ' || g, '', g %% 13,
                   'U', 'unknown', g %% 9 = 0, g %% 7 = 0, FALSE, g %% 3 = 0, TRUE, now(), now()
            FROM generate_series(1, %(students)s) g
            """,
            {"district": district.pk, "schools": ids, "n": len(ids), "students": students},
        )
    return district.pk


def _files(folder: Path, district_id: int) -> tuple[Path, Path, int]:
    from indicators.demo_data import holidays
    from students.models import School, Student

    off = holidays(*YEAR)
    days = [d.date() for d in pd.bdate_range(*YEAR)]
    schools = list(School.objects.filter(district_id=district_id).values_list("name", flat=True))
    calendar = folder / "calendar.csv"
    with open(calendar, "w") as out:
        out.write("school,date,day,note\n")
        for name in schools:
            for d in days:
                out.write(
                    f"{name},{d},{'holiday' if d in off else 'school day'},{off.get(d, '')}\n"
                )
    school_days = [d for d in days if d not in off]
    local = np.array(
        Student.objects.filter(district_id=district_id)
        .order_by("id")
        .values_list("local_id", flat=True)
    )
    rng = np.random.default_rng(2026)
    rate = np.where(
        rng.random(len(local)) < 0.12,
        rng.uniform(0.10, 0.25, len(local)),
        rng.uniform(0, 0.06, len(local)),
    )
    attendance = folder / "attendance.csv"
    with open(attendance, "w") as out:
        out.write("student_id,date,status\n")
        for d in school_days:
            draws = rng.random(len(local))
            status = np.where(
                draws < rate, np.where(draws < rate / 2, "E", "U"), np.where(draws > 0.97, "T", "P")
            )
            pd.DataFrame({"s": local, "d": str(d), "c": status}).to_csv(
                out, header=False, index=False
            )
    return calendar, attendance, len(local) * len(school_days)


def _child_import(kind: str, path: str, district_id: int) -> None:
    """In the child process: run one import job, print seconds and peak memory as JSON."""
    from students.imports import job_run, no_progress
    from students.models_imports import ImportJob

    job = ImportJob.objects.create(
        district_id=district_id, kind=kind, file_path=path, original_name=Path(path).name,
        source=ImportJob.Source.COMMAND,
    )  # fmt: skip
    started = time.perf_counter()
    job = job_run(job_id=job.pk, progress=no_progress)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"status": job.status, "seconds": seconds, "peak_mib": peak_mib,
                      "totals": job.report.get("totals"), "error": job.error,
                      "phases": job.report.get("meta", {}).get("seconds")}))  # fmt: skip


def _import(db: BenchDatabase, kind: str, path: Path, district_id: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(district_id)],
        env=db.env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _raw_read(year_id: int) -> tuple[float, int]:
    from decisions.sweep_scope import read_frame

    started = time.perf_counter()
    frame = read_frame(
        """SELECT a.student_id, a.school_id, a.date, a.status
           FROM indicators_attendancerecord a
           JOIN students_student st ON st.id = a.student_id
           WHERE a.date BETWEEN %(start)s AND %(end)s""",
        {"start": YEAR[0], "end": YEAR[1], "year": year_id},
    )
    return time.perf_counter() - started, len(frame)


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        setup_django(os.environ["DATABASE_URL"])
        _child_import(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    url = database_url()
    if not url:
        return 2
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    schools = int(os.environ.get("BENCH_SCHOOLS", "25"))
    repeat = int(os.environ.get("BENCH_REPEAT", "2"))
    db = BenchDatabase.beside(url, "bench_attendance")
    db.create()
    try:
        db.migrate()
        setup_django(db.url)
        from django.db import connection, transaction

        from decisions.sweep import sweep, sweep_work
        from students.models import SchoolYear

        district_id = _roster(students, schools)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            calendar, attendance, rows = _files(Path(tmp), district_id)
            size = attendance.stat().st_size / 2**20
            print(
                f"files written in {time.perf_counter() - started:.1f} s: {rows:,} attendance rows ({size:,.0f} MiB)"
            )
            cal = _import(db, "school_calendar", calendar, district_id)
            print(f"calendar import: {cal['status']} in {cal['seconds']:.1f} s")
            att = _import(db, "attendance", attendance, district_id)
            if att["status"] != "succeeded":
                print(f"attendance import failed: {att['error']}")
                return 1
            print(
                f"attendance import: {rows:,} rows in {att['seconds']:.1f} s = "
                f"{rows / att['seconds']:,.0f} rows/s; peak memory of the worker {att['peak_mib']:,.0f} MiB"
            )
            print(f"  phases (s, cumulative): {att['phases']}")
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE indicators_attendancerecord")
        year = SchoolYear.objects.get(district_id=district_id)
        reads = [_raw_read(year.pk) for _ in range(repeat)]
        read_s, read_rows = min(reads)
        print(f"raw read: {read_rows:,} rows in {read_s:.2f} s (best of {repeat})")
        as_of = YEAR[1]
        t0 = time.perf_counter()
        run = sweep(district_id=district_id, as_of=as_of)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        sweep(district_id=district_id, as_of=as_of)
        second = time.perf_counter() - t0
        with transaction.atomic():
            result = sweep_work(district_id=district_id, school_id=None, as_of=as_of, write=False)
        att_s = sum(v for k, v in result.timings.items() if k.startswith("attendance_"))
        flags = run.counts.get("chronic_absence", {})
        print(
            f"sweep, first run: {first:.2f} s ({flags.get('created', 0):,} chronic-absence flags created)"
        )
        print(f"sweep, second run (nothing changes): {second:.2f} s")
        print(f"attendance rule module alone (load + rules + compare): {att_s:.2f} s")
        ratio = first / read_s
        print(f"first sweep / raw read = {ratio:.2f}x (target within {TARGET_VS_READ:.0f}x)")
        return 0 if ratio <= TARGET_VS_READ else 1
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            db.drop()


if __name__ == "__main__":
    sys.exit(main())
