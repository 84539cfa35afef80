"""Saving scores never waits on Celery: with the broker unreachable the save succeeds fast,
its event waits in the outbox, and once the broker is back the periodic dispatch schedules
the sweep that was skipped."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from decisions import tasks
from decisions.models import Flag, RuleRun
from decisions.sweep import sweep
from mtss.celery import app
from screening.models import ScreeningScore
from students.models_outbox import OutboxEvent
from students.outbox import outbox_dispatch
from tests.decisions.conftest import AS_OF

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = "redis://127.0.0.1:1/0"


def _reset_broker_pools() -> None:
    # The app keeps its connection pool and producer pool; drop them so the next send
    # connects to the broker URL now configured.
    app._pool = None
    app.amqp._producer_pool = None


_BEFORE: dict[str, str] = {}


@pytest.fixture
def broker_down(settings):
    # Read before overriding the Django setting: the app may load its configuration lazily.
    _BEFORE["url"] = app.conf.broker_url
    settings.CELERY_BROKER_URL = CLOSED_PORT
    app.conf.broker_url = CLOSED_PORT
    _reset_broker_pools()
    yield
    app.conf.broker_url = _BEFORE["url"]
    _reset_broker_pools()


def broker_back(settings) -> None:
    settings.CELERY_BROKER_URL = app.conf.broker_url = _BEFORE["url"]
    _reset_broker_pools()


def save_class_scores(client: Client, sw, scores: dict) -> tuple[int, float]:
    data = {"section": sw.world.section.pk, "window": sw.fall.pk, "measure": sw.orf.pk}
    data.update({f"score-{student.pk}": value for student, value in scores.items()})
    started = time.perf_counter()
    response = client.post("/screening/entry/save/", data)
    return response.status_code, time.perf_counter() - started


def test_a_score_saved_in_the_browser_succeeds_fast_with_the_broker_down(
    sweep_world, broker_down, settings
):
    sw = sweep_world
    client = Client()
    client.force_login(sw.world.teacher)

    code, seconds = save_class_scores(client, sw, {sw.ben: 40})

    assert code == 302  # saved, back to the grid
    assert seconds < 2.0
    assert ScreeningScore.objects.get(student=sw.ben, measure=sw.orf).score == 40
    event = OutboxEvent.objects.filter(name="screening.scores_saved").latest("pk")
    assert event.dispatched_at is None
    assert "not reachable" in event.last_error
    # Nothing was queued, so no flag yet.
    assert not Flag.objects.filter(student=sw.ben).exists()

    # The broker is back: the every-minute dispatch schedules the skipped school sweep.
    broker_back(settings)
    for key in tasks._redis().scan_iter("mtss:decisions:sweep-scheduled:*"):
        tasks._redis().delete(key)
    assert outbox_dispatch(ids=[event.pk]) == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert tasks._redis().exists(f"mtss:decisions:sweep-scheduled:school:{sw.world.school.pk}")
    app.control.purge()

    run = sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="scores")

    flag = Flag.objects.get(student=sw.ben, kind="screening_risk")
    assert flag.recommended_tier == 3  # 40 is below the cut point for risk 55
    assert run.status == "succeeded"


def test_closing_a_window_succeeds_with_the_broker_down(sweep_world, broker_down):
    from screening.services import window_close

    started = time.perf_counter()
    window = window_close(window=sweep_world.fall, actor=None)
    seconds = time.perf_counter() - started

    assert window.is_open is False
    assert seconds < 2.0


def test_an_api_request_for_a_sweep_waits_queued_with_the_broker_down_and_is_sent_later(
    sweep_world, broker_down, settings
):
    client = Client()
    client.force_login(sweep_world.world.district_admin)

    started = time.perf_counter()
    response = client.post(
        "/api/v1/rule-runs/",
        {"district": sweep_world.world.district.pk},
        content_type="application/json",
    )
    seconds = time.perf_counter() - started

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert RuleRun.objects.get().status == "queued"
    assert seconds < 2.0
    event = OutboxEvent.objects.get(name="decisions.run_queued")
    assert event.dispatched_at is None

    broker_back(settings)
    assert outbox_dispatch() >= 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    app.control.purge()
