"""Authorization matrix of the roster pages: every page x every persona of the `world`.

Expected codes are written out by hand from domain.md section 7 (who may see whom) and the
issue (administrators only read the record of access): 200 seen, 404 not in scope (the id's
existence is never revealed), 403 in scope but not allowed, 302 to the sign-in page for an
anonymous visitor.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

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

# page -> {persona: expected status}
MATRIX: dict[str, dict[str, int]] = {
    "home": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "student_list": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    # world.student: Maple Elementary, in the teacher's section.
    "profile_in_scope": {
        "teacher": 200,
        "other_teacher": 404,
        "interventionist": 404,  # no plan with this student
        "team_member": 200,
        "principal": 200,
        "district_admin": 200,
        "nobody": 404,
        "anonymous": 302,
    },
    # world.other_student: Oak Elementary, taught by other_teacher.
    "profile_other_school": {
        "teacher": 404,
        "other_teacher": 200,
        "interventionist": 404,
        "team_member": 404,
        "principal": 404,
        "district_admin": 200,
        "nobody": 404,
        "anonymous": 302,
    },
    # world.classmate: Maple Elementary, in a section the teacher does not teach.
    "profile_same_school_not_my_class": {
        "teacher": 404,
        "other_teacher": 404,
        "interventionist": 404,
        "team_member": 200,
        "principal": 200,
        "district_admin": 200,
        "nobody": 404,
        "anonymous": 302,
    },
    "access_log_in_scope": {
        "teacher": 403,
        "other_teacher": 404,
        "interventionist": 404,
        "team_member": 403,
        "principal": 200,
        "district_admin": 200,
        "nobody": 404,
        "anonymous": 302,
    },
    "access_log_other_school": {
        "teacher": 404,
        "other_teacher": 403,
        "interventionist": 404,
        "team_member": 404,
        "principal": 404,  # principal of Maple, not of Oak
        "district_admin": 200,
        "nobody": 404,
        "anonymous": 302,
    },
}


def url_for(page: str, world) -> str:
    return {
        "home": lambda: reverse("home"),
        "student_list": lambda: reverse("student_list"),
        "profile_in_scope": lambda: reverse("student_detail", args=[world.student.pk]),
        "profile_other_school": lambda: reverse("student_detail", args=[world.other_student.pk]),
        "profile_same_school_not_my_class": lambda: reverse(
            "student_detail", args=[world.classmate.pk]
        ),
        "access_log_in_scope": lambda: reverse("student_access_log", args=[world.student.pk]),
        "access_log_other_school": lambda: reverse(
            "student_access_log", args=[world.other_student.pk]
        ),
    }[page]()


CASES = [(page, persona, code) for page, row in MATRIX.items() for persona, code in row.items()]


@pytest.mark.parametrize(("page", "persona", "expected"), CASES)
def test_it_answers_each_persona_as_the_matrix_says(client, world, page, persona, expected):
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    url = url_for(page, world)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_covers_every_page_and_persona():
    for row in MATRIX.values():
        assert sorted(row) == sorted(PERSONAS)


def test_it_shows_a_teacher_from_another_school_nothing_of_our_student(client, world):
    client.force_login(world.other_teacher)
    listing = client.get(reverse("student_list")).content.decode()
    searched = client.get(reverse("student_list"), {"q": "Garcia"}).content.decode()
    by_id = client.get(reverse("student_list"), {"q": world.student.local_id}).content.decode()
    profile = client.get(reverse("student_detail", args=[world.student.pk]))
    profile_url = reverse("student_detail", args=[world.student.pk])
    for html in (listing, searched, by_id, profile.content.decode()):
        assert "Maria" not in html
        assert profile_url not in html
    assert "No students match" in searched
    assert "No students match" in by_id
    assert profile.status_code == 404


def test_it_gives_the_same_404_for_a_hidden_student_and_a_missing_one(client, world):
    client.force_login(world.teacher)
    hidden = client.get(reverse("student_detail", args=[world.other_student.pk]))
    missing = client.get(reverse("student_detail", args=[999_999]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_it_refuses_to_name_a_section_of_another_school(client, world):
    client.force_login(world.teacher)
    other_section = world.other_student.enrollments.get().section
    html = client.get(reverse("student_list"), {"section": other_section.pk}).content.decode()
    assert other_section.name not in html
    assert "Noah" not in html


def test_it_lets_an_interventionist_open_a_student_on_their_caseload_only(client, world):
    import datetime as dt

    from interventions.models import Intervention, InterventionPlan

    reading = Intervention.objects.create(name="Read Naturally", domain="reading")
    InterventionPlan.objects.create(
        student=world.classmate,
        intervention=reading,
        tier=2,
        domain="reading",
        interventionist=world.interventionist,
        start_date=dt.date(2026, 10, 1),
    )
    client.force_login(world.interventionist)
    assert client.get(reverse("student_detail", args=[world.classmate.pk])).status_code == 200
    assert client.get(reverse("student_detail", args=[world.student.pk])).status_code == 404
    assert client.get(reverse("student_access_log", args=[world.classmate.pk])).status_code == 403
