"""The sweep on a real Celery worker (Redis, PostgreSQL), and a sweep killed mid-way.

The kill test runs `manage.py apply_rules` in a subprocess against the test database, with
MTSS_SWEEP_TEST_PAUSE making it sleep after writing its flags and before committing; the
test SIGKILLs it there, then reruns the sweep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from decisions import tasks
from decisions.models import Flag, RuleRun
from decisions.sweep import STALE_ERROR, TEST_PAUSE_ENV, sweep
from mtss.celery import app
from screening.models import ScreeningScore
from screening.services import ScoreInput, scores_bulk_record
from students.models_outbox import OutboxEvent
from tests.decisions.conftest import AS_OF

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, seconds: float = 60, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached in {seconds} s")


def finished_runs() -> list[RuleRun]:
    return list(RuleRun.objects.filter(status__in=["succeeded", "failed"]).order_by("pk"))


@pytest.fixture
def worker():
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
        yield w


@pytest.fixture
def no_debounce(monkeypatch):
    """Score-triggered sweeps start at once (the minute's wait is for production)."""
    monkeypatch.setattr(tasks, "DEBOUNCE_COUNTDOWN", 0)
    client = tasks._redis()
    for key in client.scan_iter("mtss:decisions:sweep-scheduled:*"):
        client.delete(key)
    yield
    for key in client.scan_iter("mtss:decisions:sweep-scheduled:*"):
        client.delete(key)


def test_a_sweep_on_a_real_worker_creates_the_flags_and_a_second_changes_nothing(
    sweep_world, worker
):
    sw = sweep_world
    api = APIClient()
    api.force_authenticate(sw.world.district_admin)

    started = api.post("/api/v1/rule-runs/", {"district": sw.world.district.pk}, format="json")
    run_id = started.json()["id"]
    first = wait_for(
        lambda: RuleRun.objects.filter(pk=run_id, status__in=["succeeded", "failed"]).first(),
        what="the queued run finishing",
    )
    polled = api.get(f"/api/v1/rule-runs/{run_id}/").json()

    assert started.status_code == 202
    assert first.status == "succeeded", first.error
    assert polled["status"] == "succeeded"
    assert first.total("created") == 7
    before = {f.pk: f.updated_at for f in Flag.objects.all()}

    tasks.sweep_district.delay(sw.world.district.pk, "manual", AS_OF.isoformat())
    second = wait_for(lambda: finished_runs()[1:], what="the second run")[0]

    assert second.status == "succeeded", second.error
    assert second.total("created") == second.total("updated") == second.total("resolved") == 0
    assert second.total("unchanged") == 7
    assert {f.pk: f.updated_at for f in Flag.objects.all()} == before


def test_saving_scores_in_the_browser_sweeps_the_school_on_the_worker(
    sweep_world, worker, no_debounce
):
    sw = sweep_world
    client = Client()
    client.force_login(sw.world.teacher)

    response = client.post(
        "/screening/entry/save/",
        {
            "section": sw.world.section.pk,
            "window": sw.fall.pk,
            "measure": sw.orf.pk,
            f"score-{sw.ben.pk}": "40",
        },
    )

    assert response.status_code == 302
    run = wait_for(finished_runs, what="the score-triggered run")[0]
    assert (run.status, run.triggered_by, run.school_id) == (
        "succeeded",
        "scores",
        sw.world.school.pk,
    )
    assert Flag.objects.get(student=sw.ben, kind="screening_risk").recommended_tier == 3
    # Oak was not part of this school's sweep.
    assert not Flag.objects.filter(school=sw.world.other_school).exists()


def test_saves_within_a_minute_share_one_scheduled_sweep(sweep_world, no_debounce):
    scheduled_first = tasks.enqueue_school_sweeps(
        [sweep_world.world.school.pk], triggered_by="scores"
    )
    scheduled_again = tasks.enqueue_school_sweeps(
        [sweep_world.world.school.pk], triggered_by="scores"
    )
    app.control.purge()

    assert scheduled_first == [sweep_world.world.school.pk]
    assert scheduled_again == []


def _save_box(client: Client, sw, student, value: str) -> None:
    url = reverse(
        "screening:score_entry_cell", args=[sw.world.section.pk, sw.fall.pk, sw.orf.pk, student.pk]
    )
    response = client.post(url, {f"score-{student.pk}": value}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Not saved" not in response.content.decode()


def test_a_box_saved_while_its_school_sweep_is_scheduled_records_no_event(sweep_world, no_debounce):
    sw = sweep_world
    client = Client()
    client.force_login(sw.world.teacher)
    events = OutboxEvent.objects.filter(name="screening.scores_saved")
    key = f"mtss:decisions:sweep-scheduled:school:{sw.world.school.pk}"
    recorded = events.count()  # the fixture's own scores

    _save_box(client, sw, sw.ben, "40")  # schedules the school's sweep
    _save_box(client, sw, sw.ana, "41")  # rides along with it: no outbox row
    _save_box(client, sw, sw.ben, "42")
    after_rides = events.count()
    tasks._redis().delete(key)  # the sweep started: the next save schedules another
    _save_box(client, sw, sw.ana, "43")
    app.control.purge()

    assert after_rides == recorded + 1
    assert events.count() == recorded + 2
    assert not events.filter(dispatched_at__isnull=True).exists()
    assert ScreeningScore.objects.get(student=sw.ana, window=sw.fall).score == 43


def test_scores_saved_inside_a_longer_transaction_still_record_their_event(
    sweep_world, no_debounce
):
    """An import writes its whole file in one transaction: a sweep scheduled now may have
    run by the time it commits, so its saves never ride along."""
    sw = sweep_world
    tasks._redis().set(f"mtss:decisions:sweep-scheduled:school:{sw.world.school.pk}", "1", ex=50)
    events = OutboxEvent.objects.filter(name="screening.scores_saved")
    recorded = events.count()

    with transaction.atomic():
        scores_bulk_record(
            rows=[ScoreInput(student=sw.ben, measure=sw.orf, window=sw.fall, value=44)],
            entered_by=None,
        )
    app.control.purge()

    assert events.count() == recorded + 1


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] > 0


def _idle_in_transaction(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "idle in transaction"


def test_a_sweep_killed_before_commit_leaves_no_trace_and_the_rerun_is_exact(sweep_world):
    sw = sweep_world
    sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="manual")
    assert Flag.objects.filter(status="open").count() == 7
    noah = Flag.objects.get(student=sw.noah, kind="screening_risk")
    # New data: Ana reaches benchmark (her flag and Lee's classwide flag should resolve),
    # Noah is retested (his flag should be updated).
    sw.score(sw.ana, 75)
    sw.score(sw.noah, 52)

    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": django_settings.REDIS_URL,
        TEST_PAUSE_ENV: "60",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "apply_rules",
            "--district",
            str(sw.world.district.pk),
            "--as-of",
            AS_OF.isoformat(),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        killed_run = wait_for(
            lambda: RuleRun.objects.filter(status="running").first(), what="the run starting"
        )
        # The sweep has written its flags and sleeps inside its transaction.
        wait_for(lambda: _idle_in_transaction(killed_run.backend_pid), what="the pause")
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    wait_for(lambda: not _alive(killed_run.backend_pid), what="the killed session ending")

    # Nothing of the killed sweep was kept, and it does not look finished.
    killed_run.refresh_from_db()
    assert killed_run.status == "running"
    assert Flag.objects.get(student=sw.ana, kind="screening_risk").status == "open"
    assert Flag.objects.get(pk=noah.pk).evidence["scores"][0]["score"] == 50
    assert Flag.objects.count() == 7

    rerun = sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="manual")

    killed_run.refresh_from_db()
    assert killed_run.status == "failed"
    assert killed_run.error == STALE_ERROR
    assert rerun.status == "succeeded"
    assert Flag.objects.count() == 7  # updated and resolved in place, nothing duplicated
    live = Flag.objects.filter(status="open")
    assert sorted((f.kind, f.student_id or 0, f.section_id or 0) for f in live) == sorted(
        [
            ("screening_risk", sw.maria.pk, 0),
            ("screening_risk", sw.noah.pk, 0),
            (
                "classwide",
                0,
                Flag.objects.get(kind="classwide", school=sw.world.other_school).section_id,
            ),
            ("odr", sw.liam.pk, 0),
            ("october_catch", sw.liam.pk, 0),
        ]
    )
    assert Flag.objects.get(pk=noah.pk).evidence["scores"][0]["score"] == 52
    assert Flag.objects.get(student=sw.ana).status == "resolved"
    assert Flag.objects.get(kind="classwide", section=sw.world.section).status == "resolved"
