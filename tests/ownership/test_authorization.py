"""Who opens the teacher's side (codes, questions) and the student's pages, every persona of
the `world`: only the class's own teacher prints its codes or asks it a question (not even a
district administrator: they do not teach it); no staff sign-in opens a student's page."""

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
TEACHER_ONLY = dict.fromkeys(PERSONAS, 403) | {"teacher": 200, "anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["ownership:codes", "ownership:check"])
def test_only_the_classs_teacher_opens_the_teacher_pages(client, world, persona, name):
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    url = reverse(name, args=[world.section.pk])
    response = client.get(url)
    assert response.status_code == TEACHER_ONLY[persona]
    if persona == "anonymous":
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_staff_sign_in_opens_a_students_page(client, world, persona):
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    for url in (reverse("ownership:me"), reverse("ownership:chart", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "ownership:sign_in"
        ), url
