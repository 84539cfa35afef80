"""The what-if preview as a job on a real Celery worker: asked for on the page, worked out on
the worker, read on the page; and a worker killed while working it out, whose preview then
says so instead of "running" forever.

Worked example (conftest.py's district, fall window; the draft moves grade 3 fall ORF from
70 / 55 to 75 / 40): Ben 72 goes from at benchmark to some risk and gains a flag; Noah 50
goes from high to some risk and keeps one: 2 students change risk level, 1 gains a flag.
"""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from decisions.models import SettingsPreview
from decisions.sweep import sweep
from decisions.whatif import whatif_cut_scores
from decisions.whatif_jobs import TEST_PAUSE_ENV, WORKER_STOPPED, previews_check
from mtss.celery import app
from screening import services as screening_services
from tests.faults import own_redis, wait_for, worker

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

__all__ = ["own_redis"]  # the fixture, imported for this module's tests


def _draft(sw):
    return screening_services.cut_score_set_revise(
        cut_score_set=sw.orf_set,
        rows=[{"grade": 3, "season": "fall", "benchmark": "75", "high_risk_cut": "40"}],
        reason="Local cut study",
        activate=False,
        actor=None,
    )


def _finished(pk: int) -> SettingsPreview | None:
    return SettingsPreview.objects.filter(pk=pk, status__in=["succeeded", "failed"]).first()


def test_the_preview_runs_on_a_worker_and_its_page_shows_the_result(client, sweep_world):
    sw, world = sweep_world, sweep_world.world
    today = timezone.localdate()
    sweep(district_id=world.district.pk, as_of=today)
    draft = _draft(sw)
    url = reverse("decisions_settings:cut_score_whatif", args=[draft.pk])
    client.force_login(world.district_admin)

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert client.post(url)["Location"] == url
        preview = SettingsPreview.objects.get()
        preview = wait_for(lambda: _finished(preview.pk), 90, "the preview finishing")

    assert preview.status == "succeeded", preview.error
    assert (preview.started_at is not None, preview.heartbeat_at is not None) == (True, True)
    direct = whatif_cut_scores(cut_set=draft, as_of=today).summary()
    assert preview.summary == direct
    assert (direct["risk_changed"], direct["gained"], direct["lost"]) == (2, 1, 0)
    assert preview.progress == {"Done": {"done": 1, "total": 1}}
    # The finished job's fragment tells the polling page to reload into the result.
    poll = client.get(reverse("decisions_settings:preview_progress", args=[preview.pk]))
    assert poll["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert "Switch version 2 on" in page and "Gain a flag" in page
    preview.refresh_from_db()
    assert (preview.viewed_by, preview.version) == (world.district_admin, 2)


def test_a_preview_whose_worker_was_killed_says_so_and_can_be_asked_again(
    client, sweep_world, own_redis, tmp_path, settings
):
    sw, world = sweep_world, sweep_world.world
    draft = _draft(sw)
    url = reverse("decisions_settings:cut_score_whatif", args=[draft.pk])
    client.force_login(world.district_admin)
    settings.JOB_STALE_SECONDS = 3  # the worker below beats every second

    with worker(own_redis.url, tmp_path / "worker.log", **{TEST_PAUSE_ENV: "60"}) as w:
        client.post(url)
        preview = SettingsPreview.objects.get()
        wait_for(
            lambda: SettingsPreview.objects.filter(
                pk=preview.pk, progress__has_key="Reading today's flags"
            ).exists(),
            90,
            "the preview's first step",
        )
        page = client.get(url).content.decode()
        assert "Working out what would change" in page and "step 1 of 4" in page
        w.kill()

    preview.refresh_from_db()
    assert preview.status == "running"  # until its heartbeat is seen to have stopped
    wait_for(lambda: previews_check(preview_id=preview.pk) == 1, 15, "the heartbeat going stale")
    preview.refresh_from_db()
    assert (preview.status, preview.error) == ("failed", WORKER_STOPPED)
    page = client.get(url).content.decode()
    assert "The worker stopped before the preview was worked out" in page
    assert "Ask for the preview again" in page and "Switch version 2 on" not in page
    activate = reverse("decisions_settings:cut_score_activate", args=[draft.pk])
    client.post(activate, {"preview": str(preview.pk)})
    draft.refresh_from_db()
    assert not draft.is_active
