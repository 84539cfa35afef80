"""The API authorization matrix: every roster endpoint, the schema and the docs, asked by
every persona of the `world` fixture, plus token authentication.

Expected codes are written out per persona, by hand, from domain.md section 7: a teacher
sees the students of their sections, the interventionist of `world` has no caseload yet,
team members and principals see their school, the district admin the district, and the
teacher from the other school nothing of ours. Writes belong to administrators.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from students.models import Student
from students.tokens import token_issue

pytestmark = pytest.mark.django_db

PERSONAS = [
    "teacher",
    "other_teacher",
    "interventionist",
    "team_member",
    "principal",
    "district_admin",
    "nobody",
    "anonymous",
]


def client_as(world, persona: str) -> APIClient:
    client = APIClient()
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    return client


def matrix(expected: dict[str, int]) -> list[tuple[str, int]]:
    assert set(expected) == set(PERSONAS), "every persona needs an expected answer"
    return list(expected.items())


def new_student_payload(school_id: int, local_id: str = "NEW-1") -> dict:
    return {
        "school": school_id,
        "local_id": local_id,
        "first_name": "Ava",
        "last_name": "Moreno",
        "grade": 2,
    }


# -- schools ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {
            "teacher": 200,
            "other_teacher": 200,
            "interventionist": 200,
            "team_member": 200,
            "principal": 200,
            "district_admin": 200,
            "nobody": 200,
            "anonymous": 401,
        }
    ),
)
def test_it_answers_the_school_list_by_persona(world, persona, expected):
    response = client_as(world, persona).get("/api/v1/schools/")
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("teacher", ["Maple Elementary"]),
        ("other_teacher", ["Oak Elementary"]),
        ("interventionist", ["Maple Elementary"]),
        ("team_member", ["Maple Elementary"]),
        ("principal", ["Maple Elementary"]),
        ("district_admin", ["Maple Elementary", "Oak Elementary"]),
        ("nobody", []),
    ],
)
def test_it_lists_only_the_schools_a_persona_works_in(world, persona, names):
    response = client_as(world, persona).get("/api/v1/schools/")
    assert [s["name"] for s in response.json()["results"]] == names


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {
            "teacher": 200,
            "other_teacher": 404,
            "interventionist": 200,
            "team_member": 200,
            "principal": 200,
            "district_admin": 200,
            "nobody": 404,
            "anonymous": 401,
        }
    ),
)
def test_it_answers_the_school_detail_by_persona(world, persona, expected):
    response = client_as(world, persona).get(f"/api/v1/schools/{world.school.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["name"] == "Maple Elementary"


# -- students: reads -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected", "first_names"),
    [
        ("teacher", 200, {"Maria"}),
        ("other_teacher", 200, {"Noah"}),
        ("interventionist", 200, set()),
        ("team_member", 200, {"Maria", "Liam"}),
        ("principal", 200, {"Maria", "Liam"}),
        ("district_admin", 200, {"Maria", "Liam", "Noah"}),
        ("nobody", 200, set()),
        ("anonymous", 401, None),
    ],
)
def test_it_lists_only_the_students_a_persona_may_see(world, persona, expected, first_names):
    response = client_as(world, persona).get("/api/v1/students/")
    assert response.status_code == expected
    if first_names is not None:
        assert {s["first_name"] for s in response.json()["results"]} == first_names


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {
            "teacher": 200,
            "other_teacher": 404,
            "interventionist": 404,
            "team_member": 200,
            "principal": 200,
            "district_admin": 200,
            "nobody": 404,
            "anonymous": 401,
        }
    ),
)
def test_it_answers_the_student_detail_by_persona(world, persona, expected):
    response = client_as(world, persona).get(f"/api/v1/students/{world.student.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["last_name"] == "Garcia"


def test_it_shows_a_teacher_from_another_school_nothing_of_our_student(world):
    client = client_as(world, "other_teacher")
    detail = client.get(f"/api/v1/students/{world.student.pk}/")
    assert detail.status_code == 404
    assert "Garcia" not in detail.content.decode()
    by_name = client.get("/api/v1/students/", {"search": "Garcia"}).json()
    assert by_name["count"] == 0
    by_school = client.get("/api/v1/students/", {"school": world.school.pk}).json()
    assert by_school["count"] == 0
    patch = client.patch(f"/api/v1/students/{world.student.pk}/", {"grade": 4})
    assert patch.status_code == 404
    world.student.refresh_from_db()
    assert world.student.grade == 3


def test_it_shows_a_teacher_their_student_but_not_a_classmate_in_another_section(world):
    client = client_as(world, "teacher")
    assert client.get(f"/api/v1/students/{world.student.pk}/").status_code == 200
    assert client.get(f"/api/v1/students/{world.classmate.pk}/").status_code == 404


# -- students: writes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {
            "teacher": 403,
            "other_teacher": 403,
            "interventionist": 403,
            "team_member": 403,
            "principal": 201,
            "district_admin": 201,
            "nobody": 403,
            "anonymous": 401,
        }
    ),
)
def test_it_lets_only_administrators_add_a_student(world, persona, expected):
    before = Student.objects.count()
    response = client_as(world, persona).post(
        "/api/v1/students/", new_student_payload(world.school.pk)
    )
    assert response.status_code == expected
    assert Student.objects.count() == before + (1 if expected == 201 else 0)


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {
            "teacher": 403,
            "other_teacher": 404,
            "interventionist": 404,
            "team_member": 403,
            "principal": 200,
            "district_admin": 200,
            "nobody": 404,
            "anonymous": 401,
        }
    ),
)
def test_it_lets_only_administrators_change_a_student(world, persona, expected):
    response = client_as(world, persona).patch(
        f"/api/v1/students/{world.student.pk}/", {"grade": 4}
    )
    assert response.status_code == expected
    world.student.refresh_from_db()
    assert world.student.grade == (4 if expected == 200 else 3)


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {
            "teacher": 403,
            "other_teacher": 404,
            "interventionist": 404,
            "team_member": 403,
            "principal": 200,
            "district_admin": 200,
            "nobody": 404,
            "anonymous": 401,
        }
    ),
)
def test_it_lets_only_administrators_replace_a_student(world, persona, expected):
    payload = new_student_payload(world.school.pk, local_id=world.student.local_id)
    response = client_as(world, persona).put(f"/api/v1/students/{world.student.pk}/", payload)
    assert response.status_code == expected
    world.student.refresh_from_db()
    assert world.student.first_name == ("Ava" if expected == 200 else "Maria")


def test_it_refuses_a_principal_adding_a_student_to_another_school(world):
    before = Student.objects.count()
    response = client_as(world, "principal").post(
        "/api/v1/students/", new_student_payload(world.other_school.pk)
    )
    assert response.status_code == 403
    assert "administrator" in response.json()["detail"]
    assert Student.objects.count() == before


def test_it_refuses_a_principal_moving_a_student_to_another_school(world):
    response = client_as(world, "principal").patch(
        f"/api/v1/students/{world.student.pk}/", {"school": world.other_school.pk}
    )
    assert response.status_code == 403
    world.student.refresh_from_db()
    assert world.student.school_id == world.school.pk


def test_it_lets_a_district_admin_move_a_student_between_their_schools(world):
    response = client_as(world, "district_admin").patch(
        f"/api/v1/students/{world.student.pk}/", {"school": world.other_school.pk}
    )
    assert response.status_code == 200
    assert response.json()["school_name"] == "Oak Elementary"


# -- schema and docs -------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_it_serves_the_schema_and_docs_to_everyone(world, persona, url):
    # They describe the interface and hold no data (settings.SPECTACULAR_SETTINGS).
    assert client_as(world, persona).get(url).status_code == 200


# -- token authentication --------------------------------------------------------------


def test_it_accepts_a_token_in_the_authorization_header(world):
    key = token_issue(user=world.principal)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/students/")
    assert response.status_code == 200
    assert {s["first_name"] for s in response.json()["results"]} == {"Maria", "Liam"}


def test_it_lets_a_token_write_without_a_csrf_token(world):
    key = token_issue(user=world.principal)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post("/api/v1/students/", new_student_payload(world.school.pk))
    assert response.status_code == 201


def test_it_refuses_a_session_write_without_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.principal)
    response = client.post("/api/v1/students/", new_student_payload(world.school.pk))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Student.objects.filter(local_id="NEW-1").exists()


def test_it_answers_401_to_a_bad_token(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.get("/api/v1/students/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_it_answers_401_to_a_rotated_token(world):
    old = token_issue(user=world.principal)
    new = token_issue(user=world.principal, rotate=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/students/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert client.get("/api/v1/students/").status_code == 200


def test_it_answers_401_to_the_token_of_a_deactivated_account(world):
    key = token_issue(user=world.principal)
    world.principal.is_active = False
    world.principal.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/students/").status_code == 401


def test_it_scopes_a_token_like_the_session_of_its_user(world):
    key = token_issue(user=world.other_teacher)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"/api/v1/students/{world.student.pk}/").status_code == 404
