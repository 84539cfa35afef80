"""The attendance, summary and marks API: scoped reads, bulk writes checked like the CSV."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from indicators.models import AttendanceRecord, CourseMark
from students.models_imports import ImportJob
from tests.indicators.helpers import HOLIDAY, SCHOOL_DAYS, calendar_csv, run_import

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def ready(world, tmp_path):
    run_import(
        tmp_path, ImportJob.Kind.SCHOOL_CALENDAR, calendar_csv("Maple Elementary"),
        district=world.district,
    )  # fmt: skip
    world.student.local_id = "S1"
    world.student.save()
    return world


def test_bulk_attendance_all_or_nothing(ready):
    world = ready
    api = _client(world.principal)
    rows = [
        {"student_id": "S1", "date": str(SCHOOL_DAYS[0]), "status": "U"},
        {"student_id": "S1", "date": str(HOLIDAY), "status": "P"},
    ]
    bad = api.post("/api/v1/attendance/bulk/", {"rows": rows}, format="json")
    assert bad.status_code == 400
    assert "holiday" in str(bad.json())
    assert not AttendanceRecord.objects.exists()
    good = api.post("/api/v1/attendance/bulk/", {"rows": rows[:1]}, format="json")
    assert good.status_code == 200, good.json()
    assert good.json() == {"created": 1, "updated": 0, "unchanged": 0}
    listed = api.get("/api/v1/attendance-summaries/").json()
    assert listed["results"][0]["days_absent"] == 1


def test_teacher_of_another_school_cannot_write_or_read(ready):
    world = ready
    AttendanceRecord.objects.create(
        student=world.student, school=world.school, date=SCHOOL_DAYS[0], status="P"
    )
    api = _client(world.other_teacher)
    assert api.get("/api/v1/attendance/").json()["results"] == []
    rows = [{"student_id": "S1", "date": str(SCHOOL_DAYS[1]), "status": "P"}]
    assert api.post("/api/v1/attendance/bulk/", {"rows": rows}, format="json").status_code == 400


def test_bulk_marks(ready):
    api = _client(ready.principal)
    rows = [
        {"student_id": "S1", "course_code": "MATH3", "grading_period": "Q1",
         "period_end": "2026-10-30", "mark": "F", "subject": "Math"},
    ]  # fmt: skip
    response = api.post("/api/v1/course-marks/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 200, response.json()
    mark = CourseMark.objects.get()
    assert (mark.passing, mark.core) == (False, True)
    assert api.get("/api/v1/course-marks/").json()["results"][0]["letter"] == "F"
