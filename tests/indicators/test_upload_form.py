"""The browser upload form offers the calendar, attendance and marks imports (with the columns
each CSV needs) and gives them the same progress page and per-row report as the roster."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import CalendarDay
from students.imports import job_run
from students.models_imports import ImportJob
from tests.indicators.helpers import HOLIDAY, SCHOOL_DAYS, attendance_csv, calendar_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, kind, name, data, *, keep_valid=False):
    form = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if keep_valid:
        form["keep_valid"] = "on"
    return client.post(reverse("import_list"), form)


def test_the_form_offers_the_three_kinds_with_their_columns(client, world):
    client.force_login(world.district_admin)
    text = client.get(reverse("import_list")).content.decode()
    for kind in ("school_calendar", "attendance", "course_marks"):
        assert f'value="{kind}"' in text
    assert "School calendar: school days and holidays" in text
    assert "P present, T tardy, E excused absence, U unexcused absence" in text
    assert "grading_period, period_end" in text


def test_a_calendar_then_attendance_upload_reports_each_bad_row(
    client, world, media, django_capture_on_commit_callbacks
):
    client.force_login(world.district_admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = _upload(client, "school_calendar", "cal.csv", calendar_csv("Maple Elementary"))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    assert (job.kind, job.source) == ("school_calendar", ImportJob.Source.UPLOAD)
    job_run(job_id=job.pk)
    assert CalendarDay.objects.filter(school=world.school).count() == 21

    world.student.local_id = "S1"
    world.student.save()
    rows = [("S1", SCHOOL_DAYS[0], "P"), ("S1", HOLIDAY, "U"), ("S1", SCHOOL_DAYS[1], "X")]
    with django_capture_on_commit_callbacks(execute=False):
        response = _upload(client, "attendance", "att.csv", attendance_csv(rows))
    job = ImportJob.objects.latest("pk")
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED  # all or nothing by default

    report = client.get(reverse("import_report", args=[job.pk])).content.decode()
    assert "is not one of P (present)" in report  # row 4: status X
    rejected = {r["row"] for r in job.report["rejected"]}
    assert rejected == {3, 4}  # the holiday and the unknown status; row 2 is fine


def test_a_marks_file_that_is_not_csv_is_refused_with_a_plain_reason(client, world, media):
    client.force_login(world.district_admin)
    response = _upload(client, "course_marks", "marks.xlsx", b"PK\x03\x04")
    assert response.status_code == 200
    assert "marks.xlsx is not a .csv file" in response.content.decode()
    assert not ImportJob.objects.exists()
