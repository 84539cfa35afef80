"""Celery tasks of the decisions app, and the sends its event handlers use.

Tasks are thin (JSON ids in, `decisions.sweep.sweep` does the work), keep no result (the
RuleRun row is the result: enqueuing then never touches the result backend), idempotent (a
re-run writes nothing new) and acknowledged late, rejected back to the queue when their worker
dies, so a worker killed mid-sweep has its message redelivered and the rerun finishes the job.

The sends below are called by the outbox's delivery (decisions/events.py), after the change
committed: they try the broker once (retry=False) and raise when it is unreachable, so the
event stays pending and the periodic dispatch sends it again once the broker is back.
- `enqueue_school_sweeps(school_ids)`: scores saved or a referral recorded; one school sweep
  per school per minute at most (a Redis key per school), a minute after the first save.
- `sweep_district.apply_async`: a screening window closed.
- `sweep_run.apply_async`: a run requested through the API.
- `sweep_all_districts`: nightly, from django-celery-beat (decisions migration 0002).
- `rule_runs_check`: every minute, fails the runs (and the what-if previews) whose worker
  stopped.
- `whatif_preview`: works out a what-if preview asked for on the settings pages
  (decisions/whatif_jobs.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import redis
from celery import shared_task

from decisions.models import RuleRun
from decisions.sweep import RunNotQueued, sweep
from decisions.sweep import rule_runs_check as runs_check
from decisions.whatif_jobs import preview_run, previews_check
from students.models import District
from students.outbox import broker_client

log = logging.getLogger(__name__)

SWEEP_TIME_LIMIT = 30 * 60
SWEEP_SOFT_TIME_LIMIT = 25 * 60
# Debounce of score-triggered sweeps: the first save of a school schedules a sweep this many
# seconds later; saves while the key lives ride along. The key expires before the sweep
# starts, so a save committed after the sweep began schedules another one.
DEBOUNCE_COUNTDOWN = 60
DEBOUNCE_KEY_SECONDS = 50


def _as_of(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@shared_task(
    name="decisions.tasks.sweep_district",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=SWEEP_TIME_LIMIT,
    soft_time_limit=SWEEP_SOFT_TIME_LIMIT,
)
def sweep_district(district_id: int, triggered_by: str = "manual", as_of: str | None = None) -> int:
    """Sweep one district; returns the RuleRun id."""
    return sweep(district_id=district_id, triggered_by=triggered_by, as_of=_as_of(as_of)).pk


@shared_task(
    name="decisions.tasks.sweep_school",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=SWEEP_TIME_LIMIT,
    soft_time_limit=SWEEP_SOFT_TIME_LIMIT,
)
def sweep_school(school_id: int, triggered_by: str = "manual", as_of: str | None = None) -> int:
    """Sweep one school of its district; returns the RuleRun id."""
    from students.models import School

    district_id = School.objects.values_list("district_id", flat=True).get(pk=school_id)
    return sweep(
        district_id=district_id,
        school_id=school_id,
        triggered_by=triggered_by,
        as_of=_as_of(as_of),
    ).pk


@shared_task(
    name="decisions.tasks.sweep_run",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=SWEEP_TIME_LIMIT,
    soft_time_limit=SWEEP_SOFT_TIME_LIMIT,
)
def sweep_run(run_id: int) -> str:
    """Run a queued RuleRun (created by the API so its id existed before the task)."""
    run = RuleRun.objects.get(pk=run_id)
    try:
        done = sweep(
            district_id=run.district_id,
            school_id=run.school_id,
            as_of=run.as_of,
            triggered_by=run.triggered_by,
            run_id=run.pk,
        )
    except RunNotQueued as exc:
        return f"already {exc.run.status}"  # a redelivered message: the run was taken
    return done.status


@shared_task(name="decisions.tasks.sweep_all_districts", ignore_result=True)
def sweep_all_districts() -> int:
    """Nightly: one sweep task per district (separate tasks, so districts spread over
    workers and one district's failure does not stop the others)."""
    ids = list(District.objects.order_by("pk").values_list("pk", flat=True))
    for district_id in ids:
        sweep_district.delay(district_id, RuleRun.Trigger.NIGHTLY)
    return len(ids)


@shared_task(name="decisions.tasks.rule_runs_check", ignore_result=True)
def rule_runs_check() -> int:
    """Every minute (beat, decisions migration 0006): fail the runs and the what-if previews
    whose worker stopped."""
    return runs_check() + previews_check()


@shared_task(
    name="decisions.tasks.whatif_preview",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,  # the SettingsPreview row is the result
    time_limit=SWEEP_TIME_LIMIT,
    soft_time_limit=SWEEP_SOFT_TIME_LIMIT,
)
def whatif_preview(preview_id: int) -> str:
    """Work out a queued what-if preview (a redelivered message finds it taken)."""
    return preview_run(preview_id).status


# -- sends (called by the event handlers, decisions/events.py) ---------------------------------


def _redis() -> redis.Redis:
    return broker_client()


def _school_key(school_id: int) -> str:
    return f"mtss:decisions:sweep-scheduled:school:{school_id}"


def school_sweeps_scheduled(school_ids: Iterable[int]) -> bool:
    """Whether a sweep is already scheduled for every one of these schools and still ahead
    (its debounce key lives), so a save now rides along with it: one Redis command. Broker
    errors propagate (the caller then records the event)."""
    keys = [_school_key(pk) for pk in sorted(set(school_ids))]
    return bool(keys) and _redis().exists(*keys) == len(keys)


def enqueue_school_sweeps(school_ids: Iterable[int], *, triggered_by: str) -> list[int]:
    """Schedule a sweep of each school unless one is already scheduled (debounce). Returns
    the schools scheduled now. Broker errors propagate (the event is delivered again)."""
    scheduled = []
    client = _redis()
    for school_id in sorted(set(school_ids)):
        key = _school_key(school_id)
        if client.set(key, "1", nx=True, ex=DEBOUNCE_KEY_SECONDS):
            try:
                # retry=False: one attempt, no waiting on a dead broker.
                sweep_school.apply_async(
                    (school_id, triggered_by), countdown=DEBOUNCE_COUNTDOWN, retry=False
                )
            except Exception:
                client.delete(key)  # not scheduled: the next delivery must try again
                raise
            scheduled.append(school_id)
    return scheduled
