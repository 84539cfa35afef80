"""Fault tests with real services: a sweep's worker killed mid-way, and a Redis restart while
the worker holds a scheduled sweep. Each uses a Redis of its own and workers in their own
processes (tests/faults.py); after recovery every run says what really happened and the
work is done exactly once."""

from __future__ import annotations

import time

import pytest
from rest_framework.test import APIClient

from decisions import tasks
from decisions.models import Flag, RuleRun
from decisions.sweep import STALE_ERROR, TEST_PAUSE_ENV, rule_runs_check
from tests.faults import backend_gone, idle_in_transaction_pids, own_redis, wait_for, worker

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

__all__ = ["own_redis"]  # the fixture, imported for this module's tests

FINISHED = ("succeeded", "failed")


def test_a_worker_killed_mid_sweep_fails_its_run_and_the_retry_does_the_work_once(
    sweep_world, own_redis, tmp_path
):
    sw = sweep_world
    api = APIClient()
    api.force_authenticate(sw.world.district_admin)

    with worker(own_redis.url, tmp_path / "first.log", **{TEST_PAUSE_ENV: "60"}) as first:
        run_id = api.post(
            "/api/v1/rule-runs/", {"district": sw.world.district.pk}, format="json"
        ).json()["id"]
        run = wait_for(
            lambda: RuleRun.objects.filter(pk=run_id, status="running").first(),
            what="the run starting",
        )
        # The sweep has written its flags and sleeps inside its transaction.
        wait_for(lambda: run.backend_pid in idle_in_transaction_pids(), what="the pause")
        first.kill()
    wait_for(lambda: backend_gone(run.backend_pid), what="the killed session ending")

    assert Flag.objects.count() == 0  # its writes were rolled back
    run.refresh_from_db()
    assert run.status == "running"  # until the every-minute check runs

    assert rule_runs_check() == 1
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", STALE_ERROR)

    retried = api.post(f"/api/v1/rule-runs/{run_id}/retry/")
    assert retried.status_code == 202
    with worker(own_redis.url, tmp_path / "second.log"):
        done = wait_for(
            lambda: RuleRun.objects.filter(pk=retried.json()["id"], status__in=FINISHED).first(),
            seconds=45,
            what="the retried run finishing",
        )

    assert done.status == "succeeded", done.error
    assert done.total("created") == 7
    assert Flag.objects.count() == 7  # once, not twice
    assert RuleRun.objects.filter(status="succeeded").count() == 1


def test_the_worker_survives_a_redis_restart_holding_a_scheduled_sweep_and_runs_it_once(
    sweep_world, own_redis, tmp_path, monkeypatch
):
    sw = sweep_world
    monkeypatch.setattr(tasks, "DEBOUNCE_COUNTDOWN", 8)
    log = tmp_path / "worker.log"
    with worker(own_redis.url, log) as w:
        sw.score(sw.ben, 40)  # announces scores saved: a school sweep 8 s from now
        wait_for(
            lambda: b"decisions.tasks.sweep_school[" in log.read_bytes(),
            what="the worker holding the scheduled sweep",
        )
        own_redis.stop()  # loses everything: no persistence
        time.sleep(1)
        own_redis.start()
        run = wait_for(
            lambda: RuleRun.objects.filter(status__in=FINISHED).first(),
            seconds=45,
            what="the scheduled sweep running after the restart",
        )
        time.sleep(2)  # a duplicate would show up now
        assert w.alive, log.read_text()[-3000:]

    assert b"'NoneType' object has no attribute 'hostname'" not in log.read_bytes()
    assert (run.status, run.triggered_by, run.school_id) == (
        "succeeded",
        "scores",
        sw.world.school.pk,
    )
    assert RuleRun.objects.count() == 1
    assert Flag.objects.get(student=sw.ben, kind="screening_risk").recommended_tier == 3
