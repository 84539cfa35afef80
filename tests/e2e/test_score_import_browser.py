"""The score import in Chromium: upload, fix the guessed mapping, preview, import, report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from screening.models import ScreeningScore
from students.imports import job_run, no_progress
from students.models_imports import ImportJob
from tests.e2e.conftest import login, screenshot
from tests.fixtures.scores.corpus import csv_bytes
from tests.screening.conftest import screening  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_walks_a_teacher_from_upload_to_report(
    page,
    live_server,
    world,
    screening,  # noqa: F811
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "fall.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Pupil", "Student ID", "Points", "Season"],
                ["Garcia", world.student.local_id, "72", "Fall"],
                ["Smith", world.classmate.local_id, "60", "Fall"],
            ]
        )
    )
    login(page, live_server, "teacher", world.password)
    page.get_by_role("button", name="Screening").click()  # the navigation's dropdown
    page.get_by_role("link", name="Import scores").click()
    page.get_by_label("Score file (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Check the columns of fall.csv")).to_be_visible()
    # The file has no measure column: the preview says what is missing.
    expect(
        page.get_by_text("Choose the measure column, or one measure for the whole file.")
    ).to_be_visible()
    expect(page.get_by_label("Score column")).to_have_value("Points")
    page.get_by_label("Measure for the whole file").select_option(label="Oral reading fluency")
    status = page.locator("#import-preview [role=status]").first
    expect(status).to_contain_text("2 rows: 1 ready to import, 1 with problems.")
    expect(
        page.get_by_role("cell", name=re.compile("is not one of the students you can see"))
    ).to_be_visible()
    screenshot(page, "score-import-preview")

    page.get_by_label("Import the rows that are ready and list the others").check()
    page.get_by_role("button", name="Import 1 score").click()
    expect(page.get_by_text("Waiting for a worker to start the import")).to_be_visible()

    job_run(job_id=ImportJob.objects.get().pk, progress=no_progress)
    # The page polls every second and stops once the job is finished.
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_text("Imported. 1 new score, 0 changed, 0 unchanged.")).to_be_visible()
    expect(page.get_by_role("heading", name="Rows with problems (1)")).to_be_visible()
    screenshot(page, "score-import-report")
    assert ScreeningScore.objects.get().student_id == world.student.pk
