"""The screening-score export: only the scores of students the user may see, each export
logged with its purpose (students/exports.py registry; screening/exports.py)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from screening.services import score_record
from students.models import AccessLog


@pytest.fixture
def scores(world, screening):
    """Fall ORF, grade 3 (benchmark 70, high-risk cut 55): Maria 72, Liam 60, Noah 40."""
    for student, value in ((world.student, 72), (world.classmate, 60), (world.other_student, 40)):
        score_record(
            student=student,
            measure=screening.orf,
            window=screening.fall,
            value=Decimal(value),
            entered_by=world.district_admin,
        )


def export(client, **data):
    payload = {
        "export": "screening_scores",
        "format": "csv",
        "purpose": "Fall data meeting",
        **data,
    }
    response = client.post(reverse("export_page"), payload)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_exports_only_the_teachers_own_students_scores(client, world, scores):
    client.force_login(world.teacher)

    rows = export(client)

    assert [
        (r["Last name"], r["Grade when screened"], r["Window"], r["Measure"], r["Score"])
        for r in rows
    ] == [("Garcia", "3", "Fall", "Oral reading fluency", "72.00")]
    assert rows[0]["Risk level"] == "At or above benchmark"  # 72 >= 70


def test_it_exports_the_district_for_a_district_administrator(
    client, world, scores, django_assert_max_num_queries
):
    client.force_login(world.district_admin)

    with django_assert_max_num_queries(8):
        rows = export(client)

    assert {(r["Last name"], r["Risk level"]) for r in rows} == {
        ("Garcia", "At or above benchmark"),  # 72 >= 70
        ("Smith", "Some risk"),  # 55 <= 60 < 70
        ("Jones", "High risk"),  # 40 < 55
    }


def test_it_logs_the_export_with_its_purpose_and_the_students_in_it(client, world, scores):
    client.force_login(world.other_teacher)

    rows = export(client, purpose="Parent conference")

    assert [r["Last name"] for r in rows] == ["Jones"]
    summary = AccessLog.objects.get(object_type="export")
    assert (summary.user, summary.purpose, summary.detail["export"], summary.detail["rows"]) == (
        world.other_teacher,
        "Parent conference",
        "screening_scores",
        1,
    )
    per_student = AccessLog.objects.filter(object_type="student", action="export")
    assert [(log.student, log.purpose) for log in per_student] == [
        (world.other_student, "Parent conference")
    ]


def test_it_leaves_inactive_students_out_unless_asked(client, world, scores):
    world.classmate.active = False
    world.classmate.save()
    client.force_login(world.principal)

    assert [r["Last name"] for r in export(client)] == ["Garcia"]
    assert [r["Last name"] for r in export(client, include_inactive="on")] == ["Garcia", "Smith"]


def test_it_gives_someone_without_students_an_empty_file(client, world, scores):
    client.force_login(world.nobody)

    assert export(client) == []
    assert AccessLog.objects.get(object_type="export").detail["rows"] == 0
