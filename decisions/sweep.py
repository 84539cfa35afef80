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

import json
import logging
import os
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from decisions.db_lane import DatabaseLane
from decisions.models import RuleRun
from decisions.reconcile import EXISTING, WANTED, Changes, reconcile
from decisions.served import link_served_flags
from decisions.services import rule_set_ensure
from decisions.thresholds import Thresholds
from students.models import SchoolYear

log = logging.getLogger(__name__)

# Two-key advisory locks (namespace, district id) never collide with the one-key locks the
# screening services take for norm groups.
LOCK_NAMESPACE = zlib.crc32(b"mtss.decisions.sweep") - 2**31
TEST_PAUSE_ENV = "MTSS_SWEEP_TEST_PAUSE"
# A queued run whose task never started (lost message, broker down) is given up after this.
QUEUED_GIVE_UP = timedelta(hours=2)
STALE_ERROR = (
    "The sweep stopped before it finished (its process ended); none of its changes were "
    "kept. A later sweep redid the work."
)


@dataclass
class SweepScope:
    """What every rule module needs to know about the sweep it is part of."""

    district_id: int
    school_id: int | None
    as_of: date
    school_year_id: int
    year_start: date
    year_end: date
    thresholds: Thresholds
    # Existing flags of the scope (decisions.reconcile.EXISTING columns): a module that only
    # reports some students (ODR) adds rows for those with a live flag so those can resolve.
    existing: pd.DataFrame = field(default_factory=pd.DataFrame)

    def student_filter(self, alias: str = "st") -> tuple[str, dict[str, Any]]:
        """SQL condition and parameters restricting students of alias to the scope."""
        sql = f"{alias}.district_id = %(district_id)s AND {alias}.active"
        params: dict[str, Any] = {"district_id": self.district_id}
        if self.school_id is not None:
            sql += f" AND {alias}.school_id = %(school_id)s"
            params["school_id"] = self.school_id
        return sql, params


@dataclass(frozen=True)
class RuleModule:
    name: str
    kinds: tuple[str, ...]
    load: Callable[[SweepScope], Any]
    apply: Callable[[SweepScope, Any], pd.DataFrame]


def read_frame(sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """One query into a DataFrame, columns named as the query names them."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=columns)


def empty_wanted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in WANTED})


def rule_modules() -> list[RuleModule]:
    """The registered rule families, in the order they run."""
    from decisions import sweep_progress, sweep_screening

    return [*sweep_screening.MODULES, *sweep_progress.MODULES]


# -- school year and existing flags --------------------------------------------------------------


def school_year_for(district_id: int, as_of: date) -> SchoolYear | None:
    """The district's school year containing `as_of`; in a summer gap the one just ended."""
    years = SchoolYear.objects.filter(district_id=district_id, start_date__lte=as_of)
    return years.order_by("-start_date").first()


_EXISTING_SQL = """
SELECT f.id, COALESCE(f.student_id, 0) AS student_id, COALESCE(f.section_id, 0) AS section_id,
       COALESCE(f.measure_id, 0) AS measure_id, COALESCE(f.plan_id, 0) AS plan_id,
       f.domain, f.kind, f.status, f.evidence_hash, f.basis_hash, f.recommended_tier,
       f.window_id, f.classwide_context
FROM decisions_flag f
WHERE f.district_id = %(district_id)s AND f.school_year_id = %(year_id)s
  AND f.status IN ('open', 'on_agenda') {scope}
UNION ALL
(SELECT DISTINCT ON (f.student_id, f.section_id, f.measure_id, f.plan_id, f.domain, f.kind)
        f.id, COALESCE(f.student_id, 0), COALESCE(f.section_id, 0), COALESCE(f.measure_id, 0),
        COALESCE(f.plan_id, 0), f.domain, f.kind, f.status, f.evidence_hash, f.basis_hash,
        f.recommended_tier, f.window_id, f.classwide_context
 FROM decisions_flag f
 WHERE f.district_id = %(district_id)s AND f.school_year_id = %(year_id)s
   AND f.status NOT IN ('open', 'on_agenda') {scope}
 ORDER BY f.student_id, f.section_id, f.measure_id, f.plan_id, f.domain, f.kind,
          f.resolved_at DESC, f.id DESC)
"""
# A school sweep owns the flags of the school's current students and sections, wherever the
# flag was first raised (a student who moved keeps one live flag, not two).
_SCHOOL_SCOPE = """
      AND (f.student_id IN (SELECT id FROM students_student WHERE school_id = %(school_id)s)
           OR f.section_id IN (SELECT id FROM students_section WHERE school_id = %(school_id)s))
"""


def load_existing(scope: SweepScope) -> pd.DataFrame:
    sql = _EXISTING_SQL.format(scope=_SCHOOL_SCOPE if scope.school_id is not None else "")
    frame = read_frame(
        sql,
        {
            "district_id": scope.district_id,
            "year_id": scope.school_year_id,
            "school_id": scope.school_id,
        },
    )
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EXISTING})
    return frame[list(EXISTING)]


# -- writes --------------------------------------------------------------------------------------


def _ids(values: pd.Series) -> list[int]:
    return pd.to_numeric(values).fillna(0).astype("int64").tolist()


# Rows travel as ONE JSON parameter read by jsonb_to_recordset: the C JSON encoder builds
# it in milliseconds, where a dozen array parameters (one holding every evidence as text)
# cost seconds of client-side quoting for a district.
_UPDATE_SQL = """
UPDATE decisions_flag f
SET school_id = u.school_id, window_id = NULLIF(u.window_id, 0), recommended_tier = u.tier,
    rule = u.rule, rule_set_id = %(rule_set_id)s,
    evidence = CASE WHEN u.as_of IS NULL THEN e.evidence
                    ELSE e.evidence || jsonb_build_object('as_of', u.as_of) END,
    evidence_hash = u.ehash, classwide_context = u.cw, updated_at = %(now)s
FROM ROWS FROM (jsonb_to_recordset(%(rows)s::jsonb)
         AS (id bigint, school_id bigint, window_id bigint, tier integer, rule text,
             as_of text, ehash text, cw boolean))
     WITH ORDINALITY AS u(id, school_id, window_id, tier, rule, as_of, ehash, cw, n)
JOIN jsonb_array_elements(%(evidence)s::jsonb) WITH ORDINALITY AS e(evidence, n) USING (n)
WHERE f.id = u.id AND f.status IN ('open', 'on_agenda')
"""

_RESOLVE_SQL = """
UPDATE decisions_flag SET status = 'resolved', resolved_at = %(now)s, updated_at = %(now)s
WHERE id = ANY(%(ids)s) AND status IN ('open', 'on_agenda')
"""


def _records(frame: pd.DataFrame) -> tuple[str, str]:
    """The flags to update (with their `id`) as one JSON array of records, and their evidence
    as one JSON array in the same order. The evidence array is the texts reconcile already
    encoded, joined: never encoded twice."""
    columns = {
        "id": _ids(frame["id"]),
        "school_id": _ids(frame["school_id"]),
        "window_id": _ids(frame["window_id"]),
        "tier": _ids(frame["recommended_tier"]),
        "rule": frame["rule"].astype(str).tolist(),
        "as_of": [ev.get("as_of") for ev in frame["evidence"]],
        "ehash": frame["evidence_hash"].tolist(),
        "cw": frame["classwide_context"].astype(bool).tolist(),
    }
    names = list(columns)
    rows = json.dumps(
        [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)],
        separators=(",", ":"),
    )
    evidence = b"[" + b",".join(frame["evidence_json"].tolist()) + b"]"
    return rows, evidence.decode()


_COPY_COLUMNS = (
    "district_id",
    "school_id",
    "school_year_id",
    "student_id",
    "section_id",
    "measure_id",
    "plan_id",
    "window_id",
    "domain",
    "kind",
    "recommended_tier",
    "status",
    "rule",
    "rule_set_id",
    "evidence",
    "evidence_hash",
    "basis_hash",
    "classwide_context",
    "dismissed_reason",
    "created_at",
    "updated_at",
)


def _copy_ids(values: pd.Series) -> list[bytes]:
    """Ids as COPY text, 0 ("none") as NULL."""
    return [str(v).encode() if v else b"\\N" for v in _ids(values)]


def _stored_evidence(text: bytes, as_of: Any) -> bytes:
    """The stored evidence: the hashed JSON with the run date put back (as the UPDATE's
    `evidence || jsonb_build_object('as_of', ...)` does)."""
    if as_of is None:
        return text
    tail = b'"as_of":' + json.dumps(str(as_of)).encode() + b"}"
    return text[:-1] + (tail if text == b"{}" else b"," + tail)


def _copy_created(
    cursor: Any, *, scope: SweepScope, rule_set_id: int, frame: pd.DataFrame, now: Any
) -> None:
    """New flags through COPY: the rows stream as tab-separated text, where one INSERT with
    the whole district's evidence as a single JSON literal cost seconds to send and parse."""
    district = str(scope.district_id).encode()
    year = str(scope.school_year_id).encode()
    rule_set = str(rule_set_id).encode()
    stamp = now.isoformat().encode()
    evidence = [
        # COPY text format: backslashes doubled (JSON has no raw tabs or newlines).
        _stored_evidence(text, ev.get("as_of")).replace(b"\\", b"\\\\")
        for text, ev in zip(frame["evidence_json"].tolist(), frame["evidence"], strict=True)
    ]
    columns = zip(
        _copy_ids(frame["school_id"]),
        _copy_ids(frame["student_id"]),
        _copy_ids(frame["section_id"]),
        _copy_ids(frame["measure_id"]),
        _copy_ids(frame["plan_id"]),
        _copy_ids(frame["window_id"]),
        [v.encode() for v in frame["domain"].astype(str).tolist()],
        [v.encode() for v in frame["kind"].astype(str).tolist()],
        [str(v).encode() for v in _ids(frame["recommended_tier"])],
        [v.encode() for v in frame["rule"].astype(str).tolist()],
        evidence,
        [v.encode() for v in frame["evidence_hash"].tolist()],
        [b"t" if v else b"f" for v in frame["classwide_context"].astype(bool).tolist()],
        strict=True,
    )
    lines = [
        b"\t".join(
            (
                district,
                school,
                year,
                student,
                section,
                measure,
                plan,
                window,
                domain,
                kind,
                tier,
                b"open",
                rule,
                rule_set,
                ev,
                ehash,
                b"",
                cw,
                b"",
                stamp,
                stamp,
            )
        )
        for (
            school,
            student,
            section,
            measure,
            plan,
            window,
            domain,
            kind,
            tier,
            rule,
            ev,
            ehash,
            cw,
        ) in columns
    ]
    sql = f"COPY decisions_flag ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        copy.write(b"\n".join(lines) + b"\n")


def write_changes(*, scope: SweepScope, rule_set_id: int, changes: Changes) -> None:
    """Apply the sweep's differences in at most three statements."""
    now = timezone.now()
    with connection.cursor() as cursor:
        if len(changes.create):
            _copy_created(
                cursor, scope=scope, rule_set_id=rule_set_id, frame=changes.create, now=now
            )
        if len(changes.update):
            rows, evidence = _records(changes.update)
            cursor.execute(
                _UPDATE_SQL,
                {
                    "rule_set_id": rule_set_id,
                    "now": now,
                    "rows": rows,
                    "evidence": evidence,
                },
            )
        if changes.resolve:
            cursor.execute(_RESOLVE_SQL, {"ids": changes.resolve, "now": now})


# -- the run record ------------------------------------------------------------------------------


def mark_stale_runs(*, district_id: int) -> int:
    """Fail the district's runs whose process is gone: `running` with a database session that
    no longer exists, or `queued` for longer than any task could wait."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE decisions_rulerun SET status = 'failed', error = %(error)s,
                   finished_at = %(now)s
            WHERE district_id = %(district_id)s AND (
                (status = 'running' AND (backend_pid IS NULL OR backend_pid NOT IN
                     (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)))
                OR (status = 'queued' AND created_at < %(queued_before)s))
            """,
            {
                "district_id": district_id,
                "error": STALE_ERROR,
                "now": now,
                "queued_before": now - QUEUED_GIVE_UP,
            },
        )
        return cursor.rowcount


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
        values = {
            "status": RuleRun.Status.RUNNING,
            "started_at": timezone.now(),
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
    parts: list[Changes] = []
    with DatabaseLane() as lane:
        loads = [lane.submit(_timed, timings, f"{m.name}_load", m.load, scope) for m in modules]
        writes = []
        for module, load in zip(modules, loads, strict=True):
            wanted = _timed(timings, f"{module.name}_apply", module.apply, scope, load.result())
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
        with transaction.atomic():
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
