"""Fault tests of a score import on real services: the worker killed mid-import, and the
import's database session terminated mid-import. Workers run in their own processes with a
Redis of the test's own (tests/faults.py). After recovery the job says what happened, nothing
half-written is left, and the retry imports every row exactly once."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from screening.models import ScreeningScore
from screening.score_import.mapping import Mapping
from students.imports import TEST_PAUSE_ENV, enqueue, import_job_create
from students.job_health import WORKER_STOPPED, import_jobs_check
from students.models_imports import ImportJob
from tests.factories import EnrollmentFactory, StudentFactory
from tests.faults import idle_in_transaction_pids, own_redis, wait_for, worker
from tests.fixtures.scores.corpus import csv_bytes

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

__all__ = ["own_redis"]  # the fixture, imported for this module's tests


def score_job(world, screening, tmp_path) -> ImportJob:
    rows = [["Student ID", "Score"]]
    for i in range(3):
        student = StudentFactory(school=world.school, local_id=f"F{i}")
        EnrollmentFactory(student=student, section=world.section)
        rows.append([f"F{i}", str(60 + i)])
    path = tmp_path / "scores.csv"
    path.write_bytes(csv_bytes(rows))
    job = import_job_create(
        district=world.district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        file_path=path,
        created_by=world.district_admin,
    )
    mapping = Mapping(
        student="Student ID",
        score="Score",
        measure_id=screening.orf.pk,
        window_id=screening.fall.pk,
    )
    job.options = {**job.options, "mapping": mapping.to_json(), "as_user": True}
    job.save()
    return job


def finished(job_id: int) -> ImportJob | None:
    job = ImportJob.objects.get(pk=job_id)
    return job if job.is_finished else None


def retry(world, job: ImportJob) -> int:
    api = APIClient()
    api.force_authenticate(world.district_admin)
    response = api.post(f"/api/v1/imports/{job.pk}/retry/")
    assert response.status_code == 202, response.content
    return response.json()["id"]


def test_a_worker_killed_mid_import_fails_the_job_and_the_retry_imports_once(
    world, screening, own_redis, tmp_path, settings
):
    settings.JOB_STALE_SECONDS = 3
    job = score_job(world, screening, tmp_path)

    with worker(own_redis.url, tmp_path / "first.log", **{TEST_PAUSE_ENV: "60"}) as first:
        enqueue(job)
        wait_for(idle_in_transaction_pids, what="the import pausing inside its transaction")
        first.kill()
    wait_for(lambda: not idle_in_transaction_pids(), what="the killed session ending")

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING  # until the check notices
    assert ScreeningScore.objects.count() == 0  # rolled back
    wait_for(lambda: import_jobs_check() == 1, seconds=20, what="the heartbeat going stale")
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, WORKER_STOPPED)

    new_id = retry(world, job)
    with worker(own_redis.url, tmp_path / "second.log"):
        again = wait_for(lambda: finished(new_id), seconds=45, what="the retry finishing")

    assert again.status == ImportJob.Status.SUCCEEDED, again.error
    assert again.options["retry_of"] == job.pk
    assert again.report["totals"]["created"] == 3
    assert ScreeningScore.objects.count() == 3


def test_an_import_that_loses_its_database_session_fails_at_once_and_the_retry_imports_once(
    world, screening, own_redis, tmp_path
):
    job = score_job(world, screening, tmp_path)

    with worker(own_redis.url, tmp_path / "worker.log", **{TEST_PAUSE_ENV: "3"}) as w:
        enqueue(job)
        pids = wait_for(idle_in_transaction_pids, what="the import pausing")
        with connection.cursor() as cursor:
            for pid in pids:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        failed = wait_for(lambda: finished(job.pk), seconds=30, what="the job failing")

        assert failed.status == ImportJob.Status.FAILED
        assert "unexpected error" in failed.error and "Nothing was changed" in failed.error
        assert ScreeningScore.objects.count() == 0
        assert w.alive

        new_id = retry(world, failed)
        again = wait_for(lambda: finished(new_id), seconds=45, what="the retry finishing")

    assert again.status == ImportJob.Status.SUCCEEDED, again.error
    assert ScreeningScore.objects.count() == 3
