"""The decisions app's subscriptions to screening's events (students/outbox.py).

Screening announces; the decisions app decides what to sweep. Subscribed from
DecisionsConfig.ready(). Each handler runs after the change committed, sends once and raises
when the broker is unreachable, so the event stays pending and is delivered again by the
periodic dispatch: a sweep skipped during a broker outage is scheduled when it returns.

| event | sweep |
| --- | --- |
| `screening.scores_saved` | each school of the saved scores, a minute later, debounced (one per school per minute; a save while its schools' sweeps are scheduled records no event) |
| `screening.referral_recorded` | the student's school, the same way (ODR and October-catch flags) |
| `screening.window_closed` | the whole district, at once |
| `screening.cut_scores_activated` | the whole district, at once (its scores were reclassified) |
| `decisions.run_queued` | the run requested through the API |
| `decisions.preview_queued` | (no sweep) a what-if preview asked for, worked out on a worker |
"""

from __future__ import annotations

from typing import Any

from decisions.models import RuleRun
from decisions.tasks import (
    enqueue_school_sweeps,
    school_sweeps_scheduled,
    sweep_district,
    sweep_run,
    whatif_preview,
)
from decisions.whatif_jobs import PREVIEW_QUEUED
from screening.events import (
    CUT_SCORES_ACTIVATED,
    REFERRAL_RECORDED,
    SCORES_SAVED,
    WINDOW_CLOSED,
)
from students.outbox import event_record, subscribe

RUN_QUEUED = "decisions.run_queued"


def on_scores_saved(payload: dict[str, Any]) -> None:
    enqueue_school_sweeps(payload.get("school_ids", []), triggered_by=RuleRun.Trigger.SCORES)


def scores_saved_covered(payload: dict[str, Any]) -> bool:
    """A save while each of its schools' sweeps is already scheduled changes nothing: no
    event is recorded (one Redis command instead of an outbox row and its delivery)."""
    return school_sweeps_scheduled(payload.get("school_ids", []))


def on_referral_recorded(payload: dict[str, Any]) -> None:
    enqueue_school_sweeps([payload["school_id"]], triggered_by=RuleRun.Trigger.REFERRAL)


def on_window_closed(payload: dict[str, Any]) -> None:
    sweep_district.apply_async((payload["district_id"], RuleRun.Trigger.WINDOW_CLOSE), retry=False)


def on_cut_scores_activated(payload: dict[str, Any]) -> None:
    sweep_district.apply_async((payload["district_id"], RuleRun.Trigger.SETTINGS), retry=False)


def on_run_queued(payload: dict[str, Any]) -> None:
    sweep_run.apply_async((payload["run_id"],), retry=False)


def on_preview_queued(payload: dict[str, Any]) -> None:
    whatif_preview.apply_async((payload["preview_id"],), retry=False)


def rule_run_enqueue(run: RuleRun) -> None:
    """Start a queued run on a worker after commit (delivered later if the broker is down)."""
    event_record(RUN_QUEUED, {"run_id": run.pk})


def subscribe_all() -> None:
    subscribe(SCORES_SAVED, on_scores_saved, covered=scores_saved_covered)
    subscribe(REFERRAL_RECORDED, on_referral_recorded)
    subscribe(WINDOW_CLOSED, on_window_closed)
    subscribe(CUT_SCORES_ACTIVATED, on_cut_scores_activated)
    subscribe(RUN_QUEUED, on_run_queued)
    subscribe(PREVIEW_QUEUED, on_preview_queued)
