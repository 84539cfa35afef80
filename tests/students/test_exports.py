"""Exports: only the students the user may see, CSV and Excel, and each one logged with its purpose."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from students.exports import cell, export_create, to_csv
from students.models import AccessLog
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def post_export(client, **data):
    payload = {"export": "students", "format": "csv", "purpose": "MTSS team meeting", **data}
    return client.post(reverse("export_page"), payload)


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_exports_only_the_teachers_own_students(client, world):
    client.force_login(world.teacher)

    response = post_export(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="students-')
    rows = csv_rows(response)
    assert [(r["First name"], r["Last name"], r["School"], r["Grade"]) for r in rows] == [
        ("Maria", "Garcia", "Maple Elementary", "3")
    ]


def test_it_exports_the_whole_district_for_a_district_administrator(client, world):
    client.force_login(world.district_admin)

    rows = csv_rows(post_export(client))

    assert sorted(r["Last name"] for r in rows) == ["Garcia", "Jones", "Smith"]


def test_it_writes_the_record_of_disclosure(client, world):
    client.force_login(world.principal)

    post_export(client, purpose="  Parent   conference ")

    summary = AccessLog.objects.get(object_type="export")
    assert (summary.user, summary.action, summary.purpose) == (
        world.principal,
        "export",
        "Parent conference",
    )
    assert (summary.detail["export"], summary.detail["format"], summary.detail["rows"]) == (
        "students",
        "csv",
        2,
    )
    per_student = AccessLog.objects.filter(object_type="student", action="export")
    assert {log.student for log in per_student} == {world.student, world.classmate}
    assert {log.detail["export_id"] for log in per_student} == {summary.detail["export_id"]}
    assert {log.purpose for log in per_student} == {"Parent conference"}


def test_it_requires_a_purpose_and_exports_nothing_without_one(client, world):
    client.force_login(world.teacher)

    response = post_export(client, purpose=" ")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "This field is required." in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_it_exports_excel(client, world):
    client.force_login(world.district_admin)

    response = post_export(client, format="xlsx")

    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("Student ID", "Last name", "First name")
    assert len(values) == 1 + 3
    assert {row[10] for row in values[1:]} == {"No"}  # IEP column, as words


def test_it_leaves_inactive_students_out_unless_asked(client, world):
    world.classmate.active = False
    world.classmate.save()
    client.force_login(world.principal)

    assert [r["Last name"] for r in csv_rows(post_export(client))] == ["Garcia"]
    assert sorted(r["Last name"] for r in csv_rows(post_export(client, include_inactive="on"))) == [
        "Garcia",
        "Smith",
    ]


def test_it_gives_someone_without_students_an_empty_file_and_still_logs_it(client, world):
    client.force_login(world.nobody)

    assert csv_rows(post_export(client)) == []
    assert AccessLog.objects.get(object_type="export").detail["rows"] == 0


def test_it_neutralises_spreadsheet_formulas(world):
    StudentFactory(school=world.school, first_name='=HYPERLINK("http://evil")', last_name="+cmd")

    exported = export_create(user=world.district_admin, key="students", fmt="csv", purpose="audit")

    text = exported.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+cmd" in text
    # A negative number stays a number; text that only starts like one does not.
    assert cell("-2") == "-2" and cell("-2+cmd|' /C calc'!A0") == "'-2+cmd|' /C calc'!A0"
    assert cell(7) == 7 and cell(-3) == -3 and cell(None) == ""
    assert to_csv(["a"], [[True]]).decode("utf-8-sig") == "a\r\nYes\r\n"


def test_it_lists_past_exports(client, world, django_assert_max_num_queries):
    client.force_login(world.teacher)
    post_export(client, purpose="Team meeting prep")
    client.force_login(world.district_admin)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("export_log"))

    text = page.content.decode()
    assert "Team meeting prep" in text and "Ms. Lee" in text


def test_it_shows_a_teacher_only_their_own_exports(client, world):
    client.force_login(world.principal)
    post_export(client, purpose="Principal reasons")
    client.force_login(world.teacher)

    assert "Principal reasons" not in client.get(reverse("export_log")).content.decode()


def test_it_renders_the_export_form_with_labels(client, world, django_assert_max_num_queries):
    client.force_login(world.teacher)

    with django_assert_max_num_queries(6):
        page = client.get(reverse("export_page"))

    text = page.content.decode()
    assert "Why do you need this export?" in text
    assert 'for="id_purpose"' in text and "Student list" in text
