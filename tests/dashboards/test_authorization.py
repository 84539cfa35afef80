"""Authorization matrix: every dashboard page, CSV download and API endpoint x every
persona of the `world`.

Written out by hand from docs/dashboards.md: the dashboards describe whole schools, so they
are for school team members, school administrators (their school) and district
administrators (the district). Teachers, interventionists and accounts without a role get
403; an anonymous visitor is sent to sign in (pages) or gets 401 (API).
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
PAGE_CODES = {
    "teacher": 403,
    "other_teacher": 403,
    "interventionist": 403,
    "team_member": 200,
    "principal": 200,
    "district_admin": 200,
    "nobody": 403,
    "anonymous": 302,
}
API_CODES = PAGE_CODES | {"anonymous": 401}
PAGES = ["index", "tiers", "core", "completion", "equity", "interventions", "behavior"]
APIS = ["equity", "tiers", "core", "completion", "interventions", "behavior"]


def _client(client, world, persona):
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_it_lets_only_school_teams_and_administrators_open_the_pages(client, dash, page, persona):
    response = _client(client, dash.world, persona).get(reverse(f"dashboards:{page}"))
    assert response.status_code == PAGE_CODES[persona]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 403:
        assert b"school teams and administrators" in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_refuses_csv_downloads_like_the_page(client, dash, persona):
    response = _client(client, dash.world, persona).get(
        reverse("dashboards:equity"), {"download": "equity"}
    )
    expected = PAGE_CODES[persona]
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("api", APIS)
def test_it_lets_only_school_teams_and_administrators_call_the_api(client, dash, api, persona):
    response = _client(client, dash.world, persona).get(f"/api/v1/dashboards/{api}/")
    assert response.status_code == API_CODES[persona]


def test_it_answers_400_for_a_school_outside_the_users_scope(client, dash):
    w = dash.world
    client.force_login(w.principal)
    response = client.get("/api/v1/dashboards/equity/", {"school": w.other_school.pk})
    assert response.status_code == 400
    assert response.json() == {"school": ["Not one you can see. Choose from the list."]}
    # The same words for a school that does not exist at all.
    response = client.get("/api/v1/dashboards/equity/", {"school": 999999})
    assert response.json() == {"school": ["Not one you can see. Choose from the list."]}


def test_it_never_counts_another_schools_students_for_a_principal(client, dash):
    w = dash.world
    client.force_login(w.principal)
    body = client.get("/api/v1/dashboards/completion/").json()
    assert body["filters"]["schools"] == [w.school.pk]
    [row] = body["tables"]["completion"]
    assert row["students"] == 42  # Maple's grade 3; Oak's Noah is not counted


def test_it_keeps_student_names_out_of_the_behavior_api(client, dash):
    client.force_login(dash.world.district_admin)
    body = client.get("/api/v1/dashboards/behavior/").json()
    assert "top_students" not in body["tables"]
    assert "Liam" not in str(body)
