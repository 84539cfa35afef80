"""The score import on a real Celery worker (mtss.celery's app, this test's Redis database):
end to end from the upload page, and a database failure in the middle of the write."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from mtss.celery import app
from screening.models import ScreeningScore
from screening.score_import.mapping import Mapping
from students.imports import enqueue, import_job_create
from students.models import AccessLog
from students.models_imports import ImportJob
from students.models_outbox import OutboxEvent
from students.outbox import outbox_dispatch
from tests.factories import EnrollmentFactory, StudentFactory
from tests.fixtures.scores.corpus import csv_bytes

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_for(job_id: int, seconds: float = 60) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {seconds} s")


@pytest.fixture
def worker():
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
        yield w


def test_it_imports_an_uploaded_file_on_a_real_worker(
    client, world, screening, settings, tmp_path, worker
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.teacher)
    data = csv_bytes([["Student ID", "Score", "Season"], [world.student.local_id, "72", "Fall"]])
    url = client.post(
        "/screening/import/",
        {"file": SimpleUploadedFile("fall.csv", data, content_type="text/csv")},
    )["Location"]
    response = client.post(
        url,
        {
            "action": "import",
            "student": "Student ID",
            "id_kind": "local",
            "score": "Score",
            "measure": screening.orf.pk,
            "window_column": "Season",
            "date_use": "ignore",
            "mode": "all_or_nothing",
        },
    )
    job = wait_for(ImportJob.objects.get().pk)

    assert response.status_code == 302
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    # Written by the worker through its own connection while the import ran.
    assert job.progress == {
        "Checking rows": {"done": 1, "total": 1},
        "Saving scores": {"done": 1, "total": 1},
    }
    score = ScreeningScore.objects.get()
    assert (score.student_id, score.window_id, score.risk_level) == (
        world.student.pk,
        screening.fall.pk,
        "at_or_above",
    )
    assert score.entered_by_id == world.teacher.pk


CRASH_TRIGGER = """
CREATE OR REPLACE FUNCTION score_import_test_crash() RETURNS trigger AS $$
BEGIN
    IF NEW.score = 66.60 THEN
        RAISE EXCEPTION 'simulated disk failure';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER score_import_test_crash BEFORE INSERT ON screening_screeningscore
    FOR EACH ROW EXECUTE FUNCTION score_import_test_crash();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS score_import_test_crash ON screening_screeningscore;
DROP FUNCTION IF EXISTS score_import_test_crash();
"""


def next_score_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('screening_screeningscore', 'id'))")
        return cursor.fetchone()[0]


@pytest.fixture
def crashing_database():
    """The database refuses to store a score of 66.6, as a full disk would refuse a write."""
    with connection.cursor() as cursor:
        cursor.execute(CRASH_TRIGGER)
    yield
    with connection.cursor() as cursor:
        cursor.execute(DROP_TRIGGER)


def test_it_writes_nothing_and_fails_the_job_when_the_database_fails_mid_write(
    world, screening, settings, tmp_path, crashing_database, worker
):
    # Two rows per scores_bulk_record call: the failing row is in the third call, after two
    # calls' worth of scores, changes and access-log rows were already sent to PostgreSQL.
    settings.SCORE_IMPORT_CHUNK_ROWS = 2
    rows = [["Student ID", "Score"]]
    for i in range(4):
        student = StudentFactory(school=world.school, local_id=f"C{i}")
        EnrollmentFactory(student=student, section=world.section)
        rows.append([f"C{i}", str(50 + i)])
    rows.append([world.student.local_id, "66.6"])
    path = tmp_path / "crash.csv"
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
    # Even when valid rows are to be kept, a crash keeps nothing.
    job.options = {"mapping": mapping.to_json(), "all_or_nothing": False, "as_user": True}
    job.save()

    before = next_score_id()
    enqueue(job)
    job = wait_for(job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert job.error.startswith(
        "The import stopped on an unexpected error (ProgrammingError: simulated disk failure"
    )
    assert job.error.endswith("Nothing was changed.")
    # Ids are never given back on rollback: 5 were drawn, so the 4 rows of the first two
    # calls were inserted and the 5th was being inserted when the database failed. All
    # five are gone.
    assert next_score_id() - before - 1 == 5
    assert ScreeningScore.objects.count() == 0
    assert AccessLog.objects.filter(object_type="screening_score").count() == 0


def test_with_the_broker_down_the_job_waits_and_runs_once_the_broker_is_back(
    world, screening, settings, tmp_path
):
    path = tmp_path / "later.csv"
    path.write_bytes(csv_bytes([["Student ID", "Score"], [world.student.local_id, "72"]]))
    job = import_job_create(
        district=world.district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        file_path=path,
        created_by=world.district_admin,
    )
    job.options = {
        **job.options,
        "mapping": Mapping(
            student="Student ID",
            score="Score",
            measure_id=screening.orf.pk,
            window_id=screening.fall.pk,
        ).to_json(),
    }
    job.save()
    broker = settings.CELERY_BROKER_URL
    saved = app.conf.broker_url, app._pool, app.amqp._producer_pool
    settings.CELERY_BROKER_URL = app.conf.broker_url = "redis://127.0.0.1:1/0"  # nobody there
    app._pool = app.amqp._producer_pool = None
    try:
        started = time.perf_counter()
        enqueue(job)
        seconds = time.perf_counter() - started
    finally:
        app.conf.broker_url, app._pool, app.amqp._producer_pool = saved
        settings.CELERY_BROKER_URL = broker
    job.refresh_from_db()
    event = OutboxEvent.objects.get(name="imports.job_queued")

    assert seconds < 1.5
    assert job.status == ImportJob.Status.QUEUED  # waiting, not failed
    assert event.dispatched_at is None and "not reachable" in event.last_error

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert outbox_dispatch() >= 1  # what the every-minute beat task does
        job = wait_for(job.pk)

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert ScreeningScore.objects.get().score == 72
