"""The score-import pages: who may use them, upload -> mapping + preview -> job -> report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from screening.import_views import SESSION_KEY
from screening.models import ScreeningScore
from students.imports import job_run, no_progress
from students.job_health import WORKER_STOPPED, import_jobs_check
from students.models_imports import ImportJob
from tests.factories import EnrollmentFactory, StudentFactory
from tests.fixtures.scores.corpus import XLSX_HEAD, csv_bytes

pytestmark = pytest.mark.django_db

UPLOAD = reverse("score_import:upload")


def upload(client, data: bytes, name: str = "fall.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def draft_of(response) -> str:
    match = re.search(r"/screening/import/([0-9a-f]{32})/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def clean_file(world) -> bytes:
    return csv_bytes(
        [
            ["Last Name", "Student ID", "Season", "Measure", "WCPM", "Percentile"],
            ["Garcia", world.student.local_id, "Fall", "district-orf", "72", "50"],
            ["Smith", world.classmate.local_id, "Fall", "district-orf", "", "12"],
        ]
    )


# -- who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher", 200),
        ("team_member", 200),
        ("principal", 200),
        ("district_admin", 200),
        ("interventionist", 403),
        ("nobody", 403),
    ],
)
def test_it_opens_the_upload_page_to_the_roles_that_screen(client, world, persona, status):
    client.force_login(world.persona(persona))
    response = client.get(UPLOAD)
    assert response.status_code == status
    if status == 403:
        assert "Importing score files is for teachers" in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_import_link_only_to_those_who_may_import(client, world):
    client.force_login(world.teacher)
    assert 'href="/screening/import/"' in client.get(reverse("home")).content.decode()
    client.force_login(world.interventionist)
    assert 'href="/screening/import/"' not in client.get(reverse("home")).content.decode()


# -- upload ------------------------------------------------------------------------------------------


def test_it_refuses_an_unreadable_upload_on_the_upload_page(client, world):
    client.force_login(world.district_admin)
    response = upload(client, XLSX_HEAD, name="scores.csv")
    assert response.status_code == 200
    assert (
        "This is an Excel workbook (.xlsx) or another zip file, not a CSV file."
        in response.content.decode()
    )
    assert not client.session.get(SESSION_KEY)


def test_it_guesses_the_columns_and_previews_the_file(client, world, screening):
    client.force_login(world.district_admin)
    response = upload(client, clean_file(world))
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    # Guessed: Student ID, WCPM (score), Measure, Season; Percentile and Last Name ignored.
    assert re.search(r'<option value="Student ID" selected>Student ID \(e.g. ', html)
    assert re.search(r'<option value="WCPM" selected>WCPM \(e.g. 72\)', html)
    assert re.search(r'<option value="Measure" selected>', html)
    assert re.search(r'<option value="Season" selected>', html)
    text = re.sub(r"\s+", " ", html)
    assert (
        "2 rows:</strong> 1 ready to import, 0 with problems, 1 without a score (skipped: not "
        "tested)." in text
    )
    assert "Garcia, Maria (grade 3)" in text
    assert "Fall 2026-2027" in text
    assert "Import 1 score</button>" in text


def test_it_shows_problems_in_the_preview_with_their_row_numbers(client, world, screening):
    client.force_login(world.teacher)
    data = csv_bytes(
        [
            ["Student ID", "Score", "Season", "Measure"],
            [world.student.local_id, "abc", "Fall", "district-orf"],
            [world.other_student.local_id, "60", "Fall", "district-orf"],
        ]
    )
    page = client.get(upload(client, data)["Location"])
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "2 rows:</strong> 0 ready to import, 2 with problems." in text
    assert (
        "<strong>Problem:</strong> &#x27;abc&#x27; is not a number. Enter a number, like 42."
        in text
    )
    assert (
        f"<strong>Problem:</strong> Student ID &#x27;{world.other_student.local_id}&#x27; is not "
        "one of the students you can see." in text
    )
    assert "No row is ready to import." in text


def test_the_import_button_counts_only_the_scores_that_will_be_saved(client, world, screening):
    client.force_login(world.teacher)
    data = csv_bytes(
        [
            ["Student ID", "Score", "Season", "Measure"],
            [world.student.local_id, "62", "Fall", "district-orf"],
            [world.other_student.local_id, "60", "Fall", "district-orf"],
        ]
    )
    url = upload(client, data)["Location"]
    text = re.sub(r"\s+", " ", client.get(url).content.decode())
    # One row has a problem and the mode is "import nothing if any row has a problem".
    assert "1 ready to import, 1 with problems" in text
    assert (
        '<button type="button" class="btn btn-primary" disabled>Nothing to import</button>' in text
    )
    assert "Import 1 score" not in text
    fields = {
        "action": "preview",
        "student": "Student ID",
        "id_kind": "local",
        "score": "Score",
        "measure_column": "Measure",
        "window_column": "Season",
        "date_use": "ignore",
    }
    html = client.post(url, fields | {"mode": "keep_valid"}, HTTP_HX_REQUEST="true")
    assert "Import 1 score</button>" in html.content.decode()


def test_it_rerenders_only_the_preview_for_htmx_and_keeps_the_choice(client, world, screening):
    client.force_login(world.district_admin)
    data = csv_bytes([["ID", "Points", "Period"], [world.student.local_id, "72", "BOY"]])
    url = upload(client, data)["Location"]
    page = client.get(url)
    assert "Choose the column that holds the student ID." not in page.content.decode()
    response = client.post(
        url,
        {
            "action": "preview",
            "student": "ID",
            "id_kind": "local",
            "score": "Points",
            "measure": screening.orf.pk,
            "window_column": "Period",
            "date_use": "ignore",
            "mode": "keep_valid",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="import-preview"')
    assert "1 ready to import" in html
    assert "HX-Request" in response["Vary"]
    saved = next(iter(client.session[SESSION_KEY].values()))
    assert saved["mapping"]["measure_id"] == screening.orf.pk
    assert saved["keep_valid"] is True


def test_it_says_what_is_missing_before_it_can_preview(client, world, screening):
    client.force_login(world.district_admin)
    data = csv_bytes([["Name", "Points"], ["Garcia", "72"]])
    page = client.get(upload(client, data)["Location"])
    text = page.content.decode()
    assert "Choose the column that holds the student ID." in text
    assert "Choose the measure column, or one measure for the whole file." in text
    assert "Import" not in re.sub(
        r"Import screening scores|Import scores", "", text.split("Preview")[-1]
    )


def test_it_keeps_another_users_draft_private(client, world, screening):
    client.force_login(world.district_admin)
    url = upload(client, clean_file(world))["Location"]
    client.force_login(world.principal)
    assert client.get(url).status_code == 404


def test_it_previews_in_a_constant_number_of_queries(
    client, world, screening, django_assert_max_num_queries
):
    for i in range(60):
        student = StudentFactory(school=world.school, local_id=f"Q{i:03d}")
        EnrollmentFactory(student=student, section=world.section)
    rows = [["Student ID", "Score"]] + [[f"Q{i:03d}", str(40 + i)] for i in range(60)]
    client.force_login(world.teacher)
    url = upload(client, csv_bytes(rows))["Location"]
    form = {
        "action": "preview",
        "student": "Student ID",
        "id_kind": "local",
        "score": "Score",
        "measure": screening.orf.pk,
        "window": screening.fall.pk,
        "date_use": "ignore",
        "mode": "all_or_nothing",
    }
    with django_assert_max_num_queries(16):
        response = client.post(url, form)
    assert "60 rows:</strong> 60 ready to import" in re.sub(r"\s+", " ", response.content.decode())


# -- import, progress, report ------------------------------------------------------------------------


def start_import(client, world, screening, data: bytes, *, mode: str = "all_or_nothing"):
    url = upload(client, data)["Location"]
    return client.post(
        url,
        {
            "action": "import",
            "student": "Student ID",
            "id_kind": "local",
            "score": "Score",
            "measure": screening.orf.pk,
            "window": screening.fall.pk,
            "date_use": "ignore",
            "mode": mode,
        },
    )


def test_it_queues_the_import_after_commit_and_shows_its_progress(
    client, world, screening, django_capture_on_commit_callbacks
):
    client.force_login(world.teacher)
    data = csv_bytes([["Student ID", "Score"], [world.student.local_id, "72"]])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = start_import(client, world, screening, data)
    assert len(callbacks) == 1  # the hand-over to Celery waits for the commit
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("score_import:job", args=[job.pk])
    assert job.status == ImportJob.Status.QUEUED
    assert job.created_by == world.teacher
    assert job.options["mapping"]["window_id"] == screening.fall.pk
    assert job.options["all_or_nothing"] is True
    assert ScreeningScore.objects.count() == 0
    assert not client.session[SESSION_KEY]  # the draft became the job

    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "Waiting for a worker to start the import" in fragment

    job_run(job_id=job.pk, progress=no_progress)
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment  # polling stops
    page = re.sub(r"\s+", " ", client.get(response["Location"]).content.decode())
    assert "<strong>Imported.</strong> 1 new score, 0 changed, 0 unchanged." in page
    assert ScreeningScore.objects.get().student_id == world.student.pk


def test_it_lists_every_rejected_row_on_the_report_and_as_csv(
    client, world, screening, django_capture_on_commit_callbacks
):
    client.force_login(world.district_admin)
    data = csv_bytes(
        [
            ["Student ID", "Score"],
            [world.student.local_id, "72"],
            [world.classmate.local_id, "=1+1"],
            ["NOPE-1", "50"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = start_import(client, world, screening, data, mode="keep_valid")
    job_run(job_id=ImportJob.objects.get().pk, progress=no_progress)
    page = re.sub(r"\s+", " ", client.get(response["Location"]).content.decode())
    assert "2 rows with problems were not imported (listed below)." in page
    assert (
        '<th scope="row" class="text-end fw-normal">3</th><td>&#x27;=1+1&#x27; is not a number.'
        in page
    )
    job = ImportJob.objects.get()
    csv_text = client.get(reverse("score_import:job_problems_csv", args=[job.pk])).content
    assert list(csv.reader(io.StringIO(csv_text.decode("utf-8-sig")))) == [
        ["Row", "Problem"],
        ["3", "'=1+1' is not a number. Enter a number, like 42."],
        ["4", "There is no student with ID 'NOPE-1' in Riverside Unified."],
    ]
    assert ScreeningScore.objects.count() == 1


def test_it_shows_a_job_to_its_uploader_and_the_district_admins_only(
    client, world, screening, django_capture_on_commit_callbacks
):
    client.force_login(world.teacher)
    data = csv_bytes([["Student ID", "Score"], [world.student.local_id, "72"]])
    with django_capture_on_commit_callbacks(execute=False):
        url = start_import(client, world, screening, data)["Location"]
    client.force_login(world.district_admin)
    assert client.get(url).status_code == 200
    for persona in ("other_teacher", "principal", "team_member"):
        client.force_login(world.persona(persona))
        assert client.get(url).status_code == 404, persona


def test_the_periodic_check_fails_a_job_whose_worker_stopped_and_the_page_says_so(
    client, world, tmp_path
):
    job = ImportJob.objects.create(
        district=world.district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=20),
        heartbeat_at=timezone.now() - dt.timedelta(minutes=10),
        file_path=str(tmp_path / "gone.csv"),
        created_by=world.teacher,
    )
    client.force_login(world.teacher)
    client.get(reverse("score_import:job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING  # opening the page changes nothing

    assert import_jobs_check() == 1

    page = client.get(reverse("score_import:job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.error == WORKER_STOPPED
    assert WORKER_STOPPED in page


def test_the_check_leaves_a_long_job_with_a_fresh_heartbeat_alone(client, world, tmp_path):
    job = ImportJob.objects.create(
        district=world.district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=50),
        heartbeat_at=timezone.now() - dt.timedelta(seconds=20),
        file_path=str(tmp_path / "big.csv"),
        created_by=world.teacher,
    )
    assert import_jobs_check() == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
