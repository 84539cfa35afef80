"""The rule sweep: load a district's (or a school's) rows, apply the pure rules, write flags.

`sweep(...)` is the one function behind the Celery tasks, `manage.py apply_rules`, the API's
"run the rules" and the demo. It

1. records a RuleRun (committed at once, so a run that dies is visible) and marks runs of the
   district left `running` by a dead process as failed;
2. in ONE transaction, under a transaction-level advisory lock on the district (two sweeps of
   a district never interleave; a school sweep waits for a district sweep too):
   - loads the active rule set, the school year of `as_of` and the existing flags;
   - runs every registered rule module: each loads its rows in a few set-based queries into
     pandas and returns the flags it wants (decisions.reconcile.WANTED columns);
   - compares each module's wanted flags with the existing flags (decisions.reconcile) and
     writes only the differences, in bulk (new flags by COPY, UPDATE ... FROM
     jsonb_to_recordset(...), one statement each); loads and writes run on a database lane
     (decisions.db_lane) so PostgreSQL works while pandas applies the rules;
   - marks the RuleRun succeeded with its counts, in the same transaction as the flags.

Rule modules are registered in `RULE_MODULES` (decisions/sweep_screening.py: screening risk,
classwide problems, office referrals; decisions/sweep_progress.py: progress monitoring). A new
rule family is one more module with a `load(scope)` and an `apply(scope, loaded)`.

Test hook: the environment variable MTSS_SWEEP_TEST_PAUSE (seconds, default 0) makes the
sweep sleep after writing its flags and before committing, holding its transaction and lock,
so a test can kill the process mid-sweep (tests/decisions/test_tasks.py). Never set it in
production.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from decisions.db_lane import DatabaseLane
from decisions.models import RuleRun
from decisions.reconcile import Changes, reconcile
from decisions.served import link_served_flags
from decisions.services import rule_set_ensure
from decisions.sweep_scope import RuleModule, SweepScope, empty_wanted, read_frame
from decisions.sweep_write import load_existing, write_changes
from students.heartbeat import Heartbeat
from students.models import SchoolYear

# The rule modules' shared pieces and the flag writes live beside this module; they are
# re-exported for the callers that name them here.
__all__ = [
    "QUEUED_GIVE_UP",
    "STALE_ERROR",
    "TEST_PAUSE_ENV",
    "RuleModule",
    "RunNotQueued",
    "SweepResult",
    "SweepScope",
    "empty_wanted",
    "load_existing",
    "mark_stale_runs",
    "read_frame",
    "rule_modules",
    "rule_runs_check",
    "run_start",
    "school_year_for",
    "sweep",
    "sweep_work",
    "write_changes",
]

log = logging.getLogger(__name__)

# Two-key advisory locks (namespace, district id) never collide with the one-key locks the
# screening services take for norm groups.
LOCK_NAMESPACE = zlib.crc32(b"mtss.decisions.sweep") - 2**31
TEST_PAUSE_ENV = "MTSS_SWEEP_TEST_PAUSE"
# A queued run whose task never started (lost message, broker down) is given up after this.
QUEUED_GIVE_UP = timedelta(hours=2)
STALE_ERROR = (
    "The worker stopped before the sweep finished (its process ended or lost the database); "
    "none of its changes were kept. A later sweep redoes the work, or retry this run."
)


def rule_modules() -> list[RuleModule]:
    """The registered rule families, in the order they run."""
    from decisions import sweep_indicators, sweep_progress, sweep_screening

    return [*sweep_screening.MODULES, *sweep_progress.MODULES, *sweep_indicators.MODULES]


# -- school year and existing flags --------------------------------------------------------------


def school_year_for(district_id: int, as_of: date) -> SchoolYear | None:
    """The district's school year containing `as_of`; in a summer gap the one just ended."""
    years = SchoolYear.objects.filter(district_id=district_id, start_date__lte=as_of)
    return years.order_by("-start_date").first()


def mark_stale_runs(*, district_id: int | None) -> int:
    """Fail the runs (of a district, or all) whose worker is gone: `running` with a database
    session that no longer exists or a heartbeat older than settings.JOB_STALE_SECONDS, or
    `queued` for longer than any task could wait."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE decisions_rulerun SET status = 'failed', error = %(error)s,
                   finished_at = %(now)s
            WHERE (%(district_id)s::bigint IS NULL OR district_id = %(district_id)s) AND (
                (status = 'running' AND (backend_pid IS NULL OR backend_pid NOT IN
                     (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
                     OR COALESCE(heartbeat_at, started_at, created_at) < %(beat_before)s))
                OR (status = 'queued' AND created_at < %(queued_before)s))
            """,
            {
                "district_id": district_id,
                "error": STALE_ERROR,
                "now": now,
                "beat_before": now - timedelta(seconds=settings.JOB_STALE_SECONDS),
                "queued_before": now - QUEUED_GIVE_UP,
            },
        )
        return cursor.rowcount


def rule_runs_check() -> int:
    """The periodic dead-worker check (every minute, decisions.tasks.rule_runs_check)."""
    return mark_stale_runs(district_id=None)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def run_start(
    *,
    district_id: int,
    school_id: int | None,
    as_of: date,
    triggered_by: str,
    run_id: int | None = None,
    requested_by_id: int | None = None,
) -> RuleRun:
    """Mark stale runs, then create (or take over a queued) run as `running`, committed."""
    with transaction.atomic():
        mark_stale_runs(district_id=district_id)
        now = timezone.now()
        values = {
            "status": RuleRun.Status.RUNNING,
            "started_at": now,
            "heartbeat_at": now,
            "backend_pid": _backend_pid(),
            "as_of": as_of,
        }
        if run_id is not None:
            claimed = RuleRun.objects.filter(pk=run_id, status=RuleRun.Status.QUEUED).update(
                **values
            )
            run = RuleRun.objects.get(pk=run_id)
            if not claimed:
                raise RunNotQueued(run)
            return run
        return RuleRun.objects.create(
            district_id=district_id,
            school_id=school_id,
            triggered_by=triggered_by,
            requested_by_id=requested_by_id,
            **values,
        )


class RunNotQueued(Exception):
    """The run was already started (a redelivered task message) or given up."""

    def __init__(self, run: RuleRun) -> None:
        super().__init__(f"rule run {run.pk} is {run.status}, not queued")
        self.run = run


def _lock_district(district_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, district_id])


def _test_pause() -> None:
    seconds = float(os.environ.get(TEST_PAUSE_ENV) or 0)
    if seconds > 0:
        log.warning("%s=%s: sleeping before commit (tests only)", TEST_PAUSE_ENV, seconds)
        time.sleep(seconds)


@dataclass
class SweepResult:
    """What the work step computed, for the run record and the benchmark."""

    rule_set_id: int | None
    # Created / updated / resolved / unchanged per flag kind; None: no school year to sweep.
    counts: dict[str, dict[str, int]] | None
    timings: dict[str, float]


def _merge_counts(changes: list[Changes]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for change in changes:
        for kind, actions in change.counts.items():
            into = counts.setdefault(kind, {})
            for action, n in actions.items():
                into[action] = into.get(action, 0) + n
    return counts


def _constraints(mode: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def _timed(timings: dict[str, float], name: str, step: Callable[..., Any], *args: Any) -> Any:
    started = time.perf_counter()
    try:
        return step(*args)
    finally:
        timings[name] = time.perf_counter() - started


def _write_module(scope: SweepScope, rule_set_id: int, changes: Changes) -> None:
    # Checked at the end of each statement rather than at commit, so the foreign-key checks
    # of the new flags run on the lane, beside the rules of the next module.
    # (On an error the transaction is rolled back, so the mode needs no restoring then.)
    _constraints("IMMEDIATE")
    write_changes(scope=scope, rule_set_id=rule_set_id, changes=changes)
    _constraints("DEFERRED")


def sweep_work(
    *, district_id: int, school_id: int | None, as_of: date, write: bool = True
) -> SweepResult:
    """Load, apply, reconcile and (with `write`) write. Runs in the caller's transaction.

    Each rule module's flags are compared with the existing ones and written on their own
    (their keys never overlap: each module owns its kinds). Reads and writes run on a
    database lane (decisions.db_lane), so PostgreSQL loads the next module's rows and writes
    the last module's flags while pandas applies the rules."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    rule_set = rule_set_ensure(district_id=district_id)
    year = school_year_for(district_id, as_of)
    if year is None:
        return SweepResult(rule_set_id=rule_set.pk, counts=None, timings=timings)
    scope = SweepScope(
        district_id=district_id,
        school_id=school_id,
        as_of=as_of,
        school_year_id=year.pk,
        year_start=year.start_date,
        year_end=year.end_date,
        thresholds=rule_set.as_thresholds(),
    )
    scope.existing = load_existing(scope)
    timings["existing"] = time.perf_counter() - started
    modules = rule_modules()
    # Each module sees only the thresholds it declares (decisions.sweep_scope).
    scopes = [scope.for_module(m) for m in modules]
    parts: list[Changes] = []
    with DatabaseLane() as lane:
        loads = [
            lane.submit(_timed, timings, f"{m.name}_load", m.load, scope.for_module(m, load=True))
            for m in modules
        ]
        writes = []
        for module, mscope, load in zip(modules, scopes, loads, strict=True):
            wanted = _timed(timings, f"{module.name}_apply", module.apply, mscope, load.result())
            if not len(wanted):
                wanted = empty_wanted()
            changes = _timed(timings, f"{module.name}_reconcile", reconcile, wanted, scope.existing)
            parts.append(changes)
            if write and changes.writes:
                writes.append(
                    lane.submit(
                        _timed,
                        timings,
                        f"{module.name}_write",
                        _write_module,
                        scope,
                        rule_set.pk,
                        changes,
                    )
                )
        for done in writes:
            done.result()
    counts = _merge_counts(parts)
    if write:
        # After every module wrote: the flags (new and old) learn which plan already serves them.
        served = _timed(
            timings,
            "served",
            lambda: link_served_flags(
                district_id=district_id, school_year_id=year.pk, school_id=school_id
            ),
        )
        if any(served.values()):
            counts["served"] = served
    return SweepResult(rule_set_id=rule_set.pk, counts=counts, timings=timings)


def sweep(
    *,
    district_id: int,
    school_id: int | None = None,
    as_of: date | None = None,
    triggered_by: str = RuleRun.Trigger.MANUAL,
    run_id: int | None = None,
    requested_by_id: int | None = None,
) -> RuleRun:
    """Apply every decision rule to the district (or one school) and record a RuleRun.

    Returns the finished run (status succeeded). On error the run is marked failed with the
    error text and the exception propagates; none of the sweep's flag writes are kept.
    """
    as_of = as_of or timezone.localdate()
    run = run_start(
        district_id=district_id,
        school_id=school_id,
        as_of=as_of,
        triggered_by=triggered_by,
        run_id=run_id,
        requested_by_id=requested_by_id,
    )
    try:
        with Heartbeat(RuleRun._meta.db_table, run.pk), transaction.atomic():
            _lock_district(district_id)
            result = sweep_work(district_id=district_id, school_id=school_id, as_of=as_of)
            _test_pause()
            run.status = RuleRun.Status.SUCCEEDED
            run.rule_set_id = result.rule_set_id
            run.counts = result.counts or {}
            if result.counts is None:
                run.error = "The district has no school year on or before this date: nothing to do."
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "rule_set", "counts", "error", "finished_at"])
    except BaseException as exc:
        # BaseException too: a soft time limit or a KeyboardInterrupt must not leave the run
        # looking as if it might still finish.
        RuleRun.objects.filter(pk=run.pk).update(
            status=RuleRun.Status.FAILED,
            error="".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000],
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        raise
    return run
