"""/api/v1/schools/ and /api/v1/students/: what they return, what they log, how they
refuse bad input, and how many queries a list costs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from students.models import AccessLog, Student
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def row_counts() -> tuple[int, int]:
    return Student.objects.count(), AccessLog.objects.count()


NEW_STUDENT = {
    "local_id": "R-2031",
    "sourced_id": "stu-2031",
    "first_name": "Ava",
    "last_name": "Moreno",
    "preferred_name": "Avi",
    "grade": 0,
    "birth_date": "2021-03-14",
    "sex": "F",
    "race_ethnicity": "hispanic_latino",
    "english_learner": True,
    "iep": False,
    "section_504": True,
    "economically_disadvantaged": True,
}


# -- create ----------------------------------------------------------------------------


def test_it_creates_a_student_and_logs_who_did_it(world):
    response = client_as(world.principal).post(
        "/api/v1/students/",
        {"school": world.school.pk, **NEW_STUDENT},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["school_name"] == "Maple Elementary"
    assert body["district"] == world.district.pk
    assert body["grade_label"] == "K"
    assert body["preferred_name"] == "Avi"
    assert body["birth_date"] == "2021-03-14"
    assert body["english_learner"] is True
    assert body["active"] is True
    student = Student.objects.get(pk=body["id"])
    assert (student.local_id, student.district_id) == ("R-2031", world.district.pk)
    log = AccessLog.objects.get(student=student)
    assert (log.action, log.user, log.ip) == ("create", world.principal, "10.1.2.3")
    assert log.detail["fields"]["local_id"] == "R-2031"
    assert log.detail["fields"]["school"] == world.school.pk
    assert log.detail["fields"]["birth_date"] == "2021-03-14"


def test_it_fills_the_optional_fields_with_their_defaults(world):
    response = client_as(world.principal).post(
        "/api/v1/students/",
        {
            "school": world.school.pk,
            "local_id": "R-1",
            "first_name": "Ava",
            "last_name": "Moreno",
            "grade": -1,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["grade_label"] == "PK"
    assert (body["sex"], body["race_ethnicity"]) == ("U", "unknown")
    assert (body["iep"], body["birth_date"], body["sourced_id"]) == (False, None, "")


# -- bad input: 400 with field errors, nothing written ---------------------------------


def test_it_rejects_malformed_json_and_writes_nothing(world):
    before = row_counts()
    response = client_as(world.principal).post(
        "/api/v1/students/", data='{"local_id": "X1", ', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert row_counts() == before


def test_it_rejects_a_json_list_instead_of_a_student(world):
    before = row_counts()
    response = client_as(world.principal).post("/api/v1/students/", [1, 2], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert row_counts() == before


def test_it_names_every_missing_required_field(world):
    before = row_counts()
    response = client_as(world.principal).post("/api/v1/students/", {})
    assert response.status_code == 400
    assert set(response.json()) == {"school", "local_id", "first_name", "last_name", "grade"}
    assert row_counts() == before


@pytest.mark.parametrize("grade", [-2, 13, "third"])
def test_it_rejects_a_grade_outside_pre_k_to_12(world, grade):
    before = row_counts()
    response = client_as(world.principal).post(
        "/api/v1/students/", {"school": world.school.pk, **NEW_STUDENT, "grade": grade}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["grade"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sex", "Q"),
        ("race_ethnicity", "martian"),
        ("birth_date", "2017-02-30"),
        ("iep", "perhaps"),
        ("first_name", ""),
        ("local_id", "x" * 65),
    ],
)
def test_it_rejects_a_bad_value_with_an_error_on_that_field(world, field, value):
    before = row_counts()
    response = client_as(world.principal).post(
        "/api/v1/students/", {"school": world.school.pk, **NEW_STUDENT, field: value}
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert row_counts() == before


def test_it_rejects_an_unknown_school_by_name(world):
    before = row_counts()
    response = client_as(world.district_admin).post(
        "/api/v1/students/", {"school": 987654, **NEW_STUDENT}
    )
    assert response.status_code == 400
    assert response.json() == {"school": ["There is no school with id 987654."]}
    assert row_counts() == before


def test_it_rejects_a_student_id_already_used_in_the_district(world):
    # Noah's ID belongs to the other school, but ids are unique across the district.
    before = row_counts()
    response = client_as(world.district_admin).post(
        "/api/v1/students/",
        {"school": world.school.pk, **NEW_STUDENT, "local_id": world.other_student.local_id},
    )
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["local_id"]
    assert world.other_student.local_id in errors["local_id"][0]
    assert row_counts() == before


def test_it_rejects_changing_a_student_id_to_one_already_used(world):
    before = row_counts()
    response = client_as(world.principal).patch(
        f"/api/v1/students/{world.student.pk}/", {"local_id": world.classmate.local_id}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["local_id"]
    assert row_counts() == before
    world.student.refresh_from_db()
    assert world.student.local_id != world.classmate.local_id


def test_it_requires_every_field_on_put(world):
    response = client_as(world.principal).put(f"/api/v1/students/{world.student.pk}/", {"grade": 4})
    assert response.status_code == 400
    assert set(response.json()) == {"school", "local_id", "first_name", "last_name"}


@pytest.mark.parametrize(
    "path", ["/api/v1/students/987654321/", "/api/v1/students/99999999999999999999999/"]
)
def test_it_answers_404_for_an_unknown_student(world, path):
    client = client_as(world.district_admin)
    assert client.get(path).status_code == 404
    assert client.patch(path, {"grade": 4}).status_code == 404


def test_it_answers_404_for_a_student_id_that_is_not_a_number(world):
    assert client_as(world.district_admin).get("/api/v1/students/abc/").status_code == 404


@pytest.mark.parametrize(
    "query", [{"grade": "third"}, {"grade": 14}, {"iep": "perhaps"}, {"school": "Maple"}]
)
def test_it_rejects_a_bad_list_filter(world, query):
    response = client_as(world.district_admin).get("/api/v1/students/", query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


# -- update ----------------------------------------------------------------------------


def test_it_changes_a_field_and_logs_before_and_after(world):
    response = client_as(world.principal).patch(
        f"/api/v1/students/{world.student.pk}/", {"grade": 4, "iep": True}
    )
    assert response.status_code == 200
    assert (response.json()["grade"], response.json()["iep"]) == (4, True)
    log = AccessLog.objects.get(student=world.student, action="update")
    assert log.user == world.principal
    assert log.detail == {
        "changes": {"grade": {"from": 3, "to": 4}, "iep": {"from": False, "to": True}}
    }


def test_it_logs_nothing_when_a_change_changes_nothing(world):
    response = client_as(world.principal).patch(
        f"/api/v1/students/{world.student.pk}/", {"grade": 3}
    )
    assert response.status_code == 200
    assert not AccessLog.objects.filter(action="update").exists()


# -- reads and their record of access --------------------------------------------------


def test_it_logs_a_view_with_its_purpose_when_a_student_is_read(world):
    response = client_as(world.teacher).get(
        f"/api/v1/students/{world.student.pk}/", {"purpose": "Nightly SIS sync"}
    )
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.action, log.user, log.student) == ("view", world.teacher, world.student)
    assert log.purpose == "Nightly SIS sync"


def test_it_logs_one_view_per_student_listed(world):
    response = client_as(world.principal).get("/api/v1/students/")
    assert response.json()["count"] == 2
    logged = set(AccessLog.objects.filter(action="view").values_list("student_id", flat=True))
    assert logged == {world.student.pk, world.classmate.pk}


def test_it_logs_nothing_for_a_student_the_reader_may_not_see(world):
    client_as(world.other_teacher).get(f"/api/v1/students/{world.student.pk}/")
    assert not AccessLog.objects.filter(student=world.student).exists()


# -- list filters and pages ------------------------------------------------------------


@pytest.fixture
def roster(world):
    """Three more students at Maple with hand-picked groups, beside Maria and Liam."""
    StudentFactory(
        school=world.school, first_name="Zoe", last_name="Hill", grade=1, english_learner=True
    )
    StudentFactory(
        school=world.school,
        first_name="Omar",
        last_name="Haddad",
        preferred_name="Bear",
        grade=1,
        iep=True,
        economically_disadvantaged=True,
    )
    StudentFactory(
        school=world.school,
        first_name="Ruth",
        last_name="Hill",
        grade=5,
        section_504=True,
        active=False,
        local_id="MAPLE-77",
    )
    return world


@pytest.mark.parametrize(
    ("query", "first_names"),
    [
        ({}, {"Maria", "Liam", "Zoe", "Omar", "Ruth"}),
        ({"grade": 1}, {"Zoe", "Omar"}),
        ({"english_learner": "true"}, {"Zoe"}),
        ({"iep": "true"}, {"Omar"}),
        ({"section_504": "true"}, {"Ruth"}),
        ({"economically_disadvantaged": "true"}, {"Omar"}),
        ({"active": "false"}, {"Ruth"}),
        ({"active": "true", "search": "hill"}, {"Zoe"}),
        ({"search": "bear"}, {"Omar"}),
        ({"search": "MAPLE-77"}, {"Ruth"}),
        ({"search": "ruth hill"}, {"Ruth"}),
        ({"iep": "false", "grade": 1}, {"Zoe"}),
    ],
)
def test_it_filters_the_student_list(roster, query, first_names):
    response = client_as(roster.principal).get("/api/v1/students/", query)
    assert response.status_code == 200
    assert {s["first_name"] for s in response.json()["results"]} == first_names


def test_it_filters_by_school_within_what_the_reader_sees(roster):
    client = client_as(roster.district_admin)
    oak = client.get("/api/v1/students/", {"school": roster.other_school.pk}).json()
    assert [s["first_name"] for s in oak["results"]] == ["Noah"]
    maple = client.get("/api/v1/students/", {"school": roster.school.pk}).json()
    assert maple["count"] == 5


def test_it_pages_the_student_list_in_name_order(roster):
    client = client_as(roster.principal)
    first = client.get("/api/v1/students/", {"page_size": 2}).json()
    # Last names in order: Garcia, Haddad, Hill (Ruth), Hill (Zoe), Smith.
    assert first["count"] == 5
    assert [s["last_name"] for s in first["results"]] == ["Garcia", "Haddad"]
    third = client.get("/api/v1/students/", {"page_size": 2, "page": 3}).json()
    assert [s["first_name"] for s in third["results"]] == ["Liam"]
    assert third["next"] is None
    assert client.get("/api/v1/students/", {"page": 9}).status_code == 404


# -- query counts ----------------------------------------------------------------------


def add_students(world, count: int) -> None:
    for _ in range(count):
        EnrollmentFactory(student=StudentFactory(school=world.school), section=world.section)


def list_queries(client: APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["teacher", "principal", "district_admin"])
def test_it_lists_students_in_a_constant_number_of_queries(
    world, persona, django_assert_max_num_queries
):
    client = client_as(world.persona(persona))
    add_students(world, 5)
    few = list_queries(client, "/api/v1/students/")
    add_students(world, 55)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/students/")
    assert len(response.json()["results"]) == 50
    assert list_queries(client, "/api/v1/students/") == few


def test_it_lists_schools_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_as(world.district_admin)
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/schools/").status_code == 200


# -- schema and docs -------------------------------------------------------------------


def test_it_publishes_the_roster_endpoints_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/students/", "/api/v1/students/{id}/", "/api/v1/schools/"} <= set(
        schema["paths"]
    )
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_it_generates_the_whole_schema_without_warnings(tmp_path):
    # The same check as `manage.py spectacular --validate --fail-on-warn`: a new endpoint
    # that the schema cannot describe fails here, not in an integrator's code generator.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/students/" in (tmp_path / "schema.yml").read_text()


def test_it_serves_the_api_docs_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    bundle = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert bundle in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert finders.find(bundle.removeprefix("/static/")) is not None


def test_it_keeps_birth_dates_as_dates_not_datetimes(world):
    world.student.birth_date = dt.date(2016, 9, 30)
    world.student.save()
    body = client_as(world.teacher).get(f"/api/v1/students/{world.student.pk}/").json()
    assert body["birth_date"] == "2016-09-30"


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/students/", "/api/v1/schools/"])
def test_it_answers_a_browser_with_json(world, path):
    # No browsable API: its HTML forms would list every school and student in <select>s.
    response = client_as(world.principal).get(path, HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"


def test_it_answers_a_browser_with_json_for_one_student(world):
    response = client_as(world.principal).get(
        f"/api/v1/students/{world.student.pk}/", HTTP_ACCEPT="text/html,*/*;q=0.8"
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Maria"
