"""Celery tasks of the decisions app, and the triggers that enqueue them.

Tasks are thin (JSON ids in, `decisions.sweep.sweep` does the work), keep no result (the
RuleRun row is the result: enqueuing then never touches the result backend), idempotent (a
re-run writes nothing new) and acknowledged late, so a worker killed mid-sweep has its message
redelivered and the rerun finishes the job.

Triggers never let Celery block a user: they run after commit (`transaction.on_commit`), try
the broker once with short timeouts, and on any broker error log a line and return; the
nightly sweep catches up.
- `sweeps_after_scores(score_ids)`: from screening.services.after_scores_saved; one school
  sweep per school per minute at most (a Redis key per school), a minute after the first save.
- `sweep_after_window_close(district_id)`: from screening.services.window_close.
- `sweep_all_districts`: nightly, from django-celery-beat (decisions migration 0002).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import redis
from celery import shared_task
from django.conf import settings
from django.db import transaction

from decisions.models import RuleRun
from decisions.sweep import RunNotQueued, sweep
from students.models import District, Student

log = logging.getLogger(__name__)

SWEEP_TIME_LIMIT = 30 * 60
SWEEP_SOFT_TIME_LIMIT = 25 * 60
# Debounce of score-triggered sweeps: the first save of a school schedules a sweep this many
# seconds later; saves while the key lives ride along. The key expires before the sweep
# starts, so a save committed after the sweep began schedules another one.
DEBOUNCE_COUNTDOWN = 60
DEBOUNCE_KEY_SECONDS = 50
BROKER_TIMEOUT = 1.0  # seconds: a request never waits longer on a dead Redis
# Celery's send (kombu) retries a refused connection once after 2 s with the project's
# transport options; the triggers first ping Redis with a short timeout so a dead broker
# costs milliseconds, not seconds.


def _as_of(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@shared_task(
    name="decisions.tasks.sweep_district",
    acks_late=True,
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


# -- triggers ------------------------------------------------------------------------------------


def _redis() -> redis.Redis:
    return redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=BROKER_TIMEOUT,
        socket_timeout=BROKER_TIMEOUT,
        retry_on_timeout=False,
    )


def enqueue_school_sweeps(school_ids: Iterable[int], *, triggered_by: str) -> list[int]:
    """Schedule a sweep of each school unless one is already scheduled (debounce). Returns
    the schools scheduled now. Broker errors are logged and swallowed."""
    scheduled = []
    try:
        client = _redis()
        for school_id in sorted(set(school_ids)):
            key = f"mtss:decisions:sweep-scheduled:school:{school_id}"
            if client.set(key, "1", nx=True, ex=DEBOUNCE_KEY_SECONDS):
                # retry=False: one attempt, no waiting on a dead broker.
                sweep_school.apply_async(
                    (school_id, triggered_by), countdown=DEBOUNCE_COUNTDOWN, retry=False
                )
                scheduled.append(school_id)
    except Exception:  # the broker is down or slow: the nightly sweep catches up
        log.warning(
            "Could not schedule the decision-rule sweep for schools %s; the nightly sweep will "
            "catch up.",
            sorted(set(school_ids)),
            exc_info=True,
        )
    return scheduled


def enqueue_district_sweep(district_id: int, *, triggered_by: str) -> bool:
    try:
        _redis().ping()  # fails in milliseconds; Celery's own send retries for seconds
        sweep_district.apply_async((district_id, triggered_by), retry=False)
    except Exception:
        log.warning(
            "Could not queue the decision-rule sweep of district %s; the nightly sweep will "
            "catch up.",
            district_id,
            exc_info=True,
        )
        return False
    return True


def enqueue_rule_run(run_id: int) -> bool:
    """Queue a RuleRun made by `rule_run_request`; on a broker error mark it failed at once
    (nobody will ever pick it up) and return False."""
    try:
        _redis().ping()
        sweep_run.apply_async((run_id,), retry=False)
    except Exception as exc:
        log.warning("Could not queue rule run %s", run_id, exc_info=True)
        from django.utils import timezone

        RuleRun.objects.filter(pk=run_id, status=RuleRun.Status.QUEUED).update(
            status=RuleRun.Status.FAILED,
            error=f"The job queue is not reachable, so the run could not start ({exc}). "
            "Try again later; the nightly sweep runs anyway.",
            finished_at=timezone.now(),
        )
        return False
    return True


def sweeps_after_scores(score_ids: list[int]) -> None:
    """Called inside a score save's transaction: after commit, schedule the sweeps of the
    schools whose students got scores. Nothing happens if the save rolls back."""
    if not score_ids:
        return
    ids = list(score_ids)

    def schedule() -> None:
        try:
            schools = set(
                Student.objects.filter(screening_scores__id__in=ids)
                .values_list("school_id", flat=True)
                .distinct()
            )
        except Exception:
            log.warning("Could not find the schools of saved scores", exc_info=True)
            return
        enqueue_school_sweeps(schools, triggered_by=RuleRun.Trigger.SCORES)

    transaction.on_commit(schedule)


def sweep_after_window_close(district_id: int) -> None:
    """Called inside window_close's transaction: sweep the district once it commits."""
    transaction.on_commit(
        lambda: enqueue_district_sweep(district_id, triggered_by=RuleRun.Trigger.WINDOW_CLOSE)
    )
