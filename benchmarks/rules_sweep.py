"""Time the decision-rule sweep of a 50,000-student district against reading the same rows,
and against a naive per-student ORM loop.

Run with `make bench` (services found like the tests') or directly with DATABASE_URL set:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/rules_sweep.py

What it does:
1. creates the database <name>_bench_rules beside DATABASE_URL's, migrates it and runs
   `manage.py seed_demo --students N` (not timed; the screening demo adds scores and
   referrals, the interventions demo plans, and the decisions demo runs a first sweep);
   then deletes every flag and rule run, so the timed sweep starts from nothing;
2. raw read: the sweep's own queries (existing flags, every rule module's loader: scores
   with their cut rows, enrollments, referrals, plans, points, sessions) into DataFrames,
   nothing else: the floor for any sweep that reads from PostgreSQL;
3. full sweep: `decisions.sweep.sweep` for the district (load, rules, compare, write, run
   record, one transaction), first from nothing (every flag created), then again (nothing
   changes: no writes);
4. naive loop: for a sample of students, what a straightforward ORM implementation does per
   student (their scores with measure, window and cut-score set; the cut row per score;
   referrals; enrollments and each section's scores for the classwide median; existing
   flags; update_or_create of each flag), in a transaction rolled back; extrapolated to N.

Prints the times and the ratios. Targets: the first sweep within 3x the raw read, and at
least 30x faster than the extrapolated naive loop. Exit status 1 when missed.
Options (environment): BENCH_STUDENTS (default 50000), BENCH_SEED (default 2026),
BENCH_SAMPLE (default 500), BENCH_REPEAT (raw-read repeats, best kept; default 3),
BENCH_KEEP=1 to keep the database, BENCH_REUSE=1 to time a kept one again (migrated, not
re-seeded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchkit import BenchDatabase, database_url, setup_django

TARGET_VS_READ = 3.0
TARGET_VS_NAIVE = 30.0


def _raw_read(district_id: int, as_of) -> tuple[float, int]:
    """Seconds and rows of the sweep's queries alone (existing flags + every loader)."""
    from django.db import transaction

    from decisions.models import RuleSet
    from decisions.sweep import SweepScope, load_existing, rule_modules, school_year_for

    year = school_year_for(district_id, as_of)
    thresholds = RuleSet.objects.get(district_id=district_id, is_active=True).as_thresholds()
    started = time.perf_counter()
    rows = 0
    with transaction.atomic():
        scope = SweepScope(
            district_id=district_id,
            school_id=None,
            as_of=as_of,
            school_year_id=year.pk,
            year_start=year.start_date,
            year_end=year.end_date,
            thresholds=thresholds,
        )
        rows += len(load_existing(scope))
        for module in rule_modules():
            loaded = module.load(scope)
            frames = loaded.values() if isinstance(loaded, dict) else [loaded]
            rows += sum(len(f) for f in frames)
    return time.perf_counter() - started, rows


def _naive(district_id: int, as_of, sample: int) -> tuple[float, int]:
    """Seconds for `sample` students the naive way (rolled back)."""
    from django.db import transaction

    from decisions.models import Flag, RuleSet
    from decisions.sweep import school_year_for
    from mtss.lib.thresholds import odr_counted_severities
    from screening.models import CutScore, Referral, ScreeningScore
    from students.models import Enrollment, Student

    year = school_year_for(district_id, as_of)
    rule_set = RuleSet.objects.get(district_id=district_id, is_active=True)
    t = rule_set.as_thresholds()
    students = list(
        Student.objects.filter(district_id=district_id, active=True).order_by("pk")[:sample]
    )
    tier_of = {"at_or_above": 1, "some_risk": 2, "high_risk": 3}
    started = time.perf_counter()
    with transaction.atomic():
        for student in students:
            scores = list(
                ScreeningScore.objects.filter(
                    student=student,
                    window__school_year=year,
                    window__start_date__lte=as_of,
                    risk_level__isnull=False,
                ).select_related("measure", "window", "cut_score_set")
            )
            latest: dict[str, list] = {}
            for s in scores:
                current = latest.get(s.measure.domain)
                if current is None or s.window.start_date > current[0].window.start_date:
                    latest[s.measure.domain] = [s]
                elif s.window.start_date == current[0].window.start_date:
                    current.append(s)
            for domain, chosen in latest.items():
                evidence = []
                for s in chosen:
                    row = CutScore.objects.filter(
                        cut_score_set=s.cut_score_set, grade=s.grade, season=s.window.season
                    ).first()
                    evidence.append(
                        {
                            "score": float(s.score),
                            "risk_level": s.risk_level,
                            "benchmark": float(row.benchmark) if row else None,
                        }
                    )
                tier = max(tier_of[s.risk_level] for s in chosen)
                # The classwide check, per student: each of their sections' scores.
                for e in Enrollment.objects.filter(student=student, active=True):
                    list(
                        ScreeningScore.objects.filter(
                            student__enrollments__section_id=e.section_id,
                            window=chosen[0].window,
                            measure__domain=domain,
                        ).values_list("score", flat=True)
                    )
                if tier >= 2:
                    Flag.objects.update_or_create(
                        student=student,
                        section=None,
                        measure=None,
                        plan=None,
                        domain=domain,
                        kind="screening_risk",
                        school_year=year,
                        status="open",
                        defaults={
                            "district_id": district_id,
                            "school_id": student.school_id,
                            "recommended_tier": tier,
                            "rule": "screening_risk",
                            "rule_set": rule_set,
                            "evidence": {"scores": evidence},
                            "evidence_hash": "",
                            "basis_hash": "",
                            "window": chosen[0].window,
                        },
                    )
            referrals = Referral.objects.filter(
                student=student,
                school_year=year,
                date__lte=as_of,
                severity__in=odr_counted_severities(t),
            ).count()
            if referrals >= t.odr_tier2_at:
                Flag.objects.update_or_create(
                    student=student,
                    section=None,
                    measure=None,
                    plan=None,
                    domain="behavior",
                    kind="odr",
                    school_year=year,
                    status="open",
                    defaults={
                        "district_id": district_id,
                        "school_id": student.school_id,
                        "recommended_tier": 3 if referrals >= t.odr_tier3_at else 2,
                        "rule": "odr_bands",
                        "rule_set": rule_set,
                        "evidence": {"referrals": referrals},
                        "evidence_hash": "",
                        "basis_hash": "",
                    },
                )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, len(students)


def main() -> int:
    url = database_url()
    if not url:
        return 2
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    seed = int(os.environ.get("BENCH_SEED", "2026"))
    sample = int(os.environ.get("BENCH_SAMPLE", "500"))
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    db = BenchDatabase.beside(url, "bench_rules")
    reuse = os.environ.get("BENCH_REUSE") == "1" and db.exists()
    if not reuse:
        db.create()
    try:
        db.migrate()
        if reuse:
            print(f"Reusing the seeded database {db.name} (migrated).", flush=True)
        else:
            started = time.perf_counter()
            db.manage(
                "seed_demo",
                f"--students={students}",
                f"--seed={seed}",
                stdout=subprocess.DEVNULL,
            )
            print(
                f"seeded {students:,} students in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
        setup_django(db.url)
        from django.db import connection
        from django.utils import timezone

        from decisions.models import Flag, RuleRun
        from decisions.sweep import school_year_for, sweep
        from students.models import District

        district = District.objects.get()
        year = school_year_for(district.pk, timezone.localdate())
        as_of = min(max(timezone.localdate(), year.start_date), year.end_date)
        Flag.objects.all().delete()
        RuleRun.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

        reads = []
        for _ in range(repeat):
            seconds, rows = _raw_read(district.pk, as_of)
            reads.append(seconds)
        raw = min(reads)
        print(
            f"raw read: {rows:,} rows in {raw:.2f} s (best of {repeat}: "
            f"{', '.join(f'{r:.2f}' for r in reads)})",
            flush=True,
        )

        started = time.perf_counter()
        first = sweep(district_id=district.pk, as_of=as_of, triggered_by="manual")
        first_s = time.perf_counter() - started
        by_kind = ", ".join(
            f"{k} {v.get('created', 0):,}" for k, v in sorted(first.counts.items()) if k != "served"
        )
        print(
            f"sweep from nothing: {first_s:.2f} s, {first.total('created'):,} flags created "
            f"({by_kind})",
            flush=True,
        )
        started = time.perf_counter()
        second = sweep(district_id=district.pk, as_of=as_of, triggered_by="manual")
        second_s = time.perf_counter() - started
        writes = second.total("created") + second.total("updated") + second.total("resolved")
        print(
            f"sweep again (same data): {second_s:.2f} s, {writes} writes, "
            f"{second.total('unchanged'):,} unchanged",
            flush=True,
        )

        naive_s, n = _naive(district.pk, as_of, sample)
        naive_total = naive_s * students / n
        print(
            f"naive per-student ORM loop: {n} students in {naive_s:.2f} s "
            f"({1000 * naive_s / n:.1f} ms/student) -> {naive_total:,.0f} s for {students:,} "
            "(extrapolated)",
            flush=True,
        )
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            db.drop()

    vs_read = first_s / raw
    vs_read_again = second_s / raw
    vs_naive = naive_total / first_s
    ok = vs_read <= TARGET_VS_READ and vs_naive >= TARGET_VS_NAIVE
    print(
        f"ratios: sweep / raw read = {vs_read:.2f}x (again: {vs_read_again:.2f}x; target <= "
        f"{TARGET_VS_READ:g}x); naive loop / sweep = {vs_naive:,.0f}x (target >= "
        f"{TARGET_VS_NAIVE:g}x): {'OK' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
