"""Saving scores never waits on Celery: with the broker unreachable the save succeeds fast,
and the next sweep (run directly, as the nightly one would) creates the flag."""

from __future__ import annotations

import logging
import time

import pytest
from django.test import Client

from decisions.models import Flag, RuleRun
from decisions.sweep import sweep
from mtss.celery import app
from screening.models import ScreeningScore
from tests.decisions.conftest import AS_OF

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = "redis://127.0.0.1:1/0"


def _reset_broker_pools() -> None:
    # The app keeps its connection pool and producer pool; drop them so the next send
    # connects to the broker URL now configured.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    # Read before overriding the Django setting: the app may load its configuration lazily.
    before = app.conf.broker_url
    settings.CELERY_BROKER_URL = CLOSED_PORT
    app.conf.broker_url = CLOSED_PORT
    _reset_broker_pools()
    yield
    app.conf.broker_url = before
    _reset_broker_pools()


def save_class_scores(client: Client, sw, scores: dict) -> tuple[int, float]:
    data = {"section": sw.world.section.pk, "window": sw.fall.pk, "measure": sw.orf.pk}
    data.update({f"score-{student.pk}": value for student, value in scores.items()})
    started = time.perf_counter()
    response = client.post("/screening/entry/save/", data)
    return response.status_code, time.perf_counter() - started


def test_a_score_saved_in_the_browser_succeeds_fast_with_the_broker_down(
    sweep_world, broker_down, caplog
):
    sw = sweep_world
    client = Client()
    client.force_login(sw.world.teacher)

    with caplog.at_level(logging.WARNING, logger="decisions.tasks"):
        code, seconds = save_class_scores(client, sw, {sw.ben: 40})

    assert code == 302  # saved, back to the grid
    assert seconds < 2.0
    assert ScreeningScore.objects.get(student=sw.ben, measure=sw.orf).score == 40
    assert "nightly sweep will catch up" in caplog.text
    # Nothing was queued, so no flag yet; the next sweep catches up.
    assert not Flag.objects.filter(student=sw.ben).exists()

    run = sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="nightly")

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


def test_an_api_request_for_a_sweep_fails_the_run_clearly_with_the_broker_down(
    sweep_world, broker_down
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
    assert response.json()["status"] == "failed"
    assert "job queue is not reachable" in response.json()["error"]
    assert RuleRun.objects.get().status == "failed"
    assert seconds < 2.0
