"""The catalog through the API: district administrators add and change their district's
entries through `intervention_save` (validation, honest evidence, audit); the shared catalog
is read-only; every other role gets 403 and nothing is saved."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from interventions.models import Intervention
from students.models import AccessLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/interventions/"


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def program(**extra) -> dict:
    data = {
        "name": "Read Ahead",
        "publisher": "Example Learning Co.",
        "domain": "reading",
        "tiers": [2],
        "skills": ["decoding", "fluency"],
        "minutes_per_session": 30,
        "sessions_per_week": 4,
        "group_size_min": 3,
        "group_size_max": 5,
        "weeks": 12,
        "evidence_kind": "program",
        "evidence_source": "Evidence for ESSA program review",
        "evidence_rating": "Tier 2 (moderate)",
        "evidence_level": "moderate",
        "evidence_url": "https://example.org/reviews/read-ahead",
        "fidelity_checklist": ["Lesson started on time"],
    }
    data.update(extra)
    return data


def test_a_district_administrator_adds_and_changes_an_entry(world, kit):
    admin = client_as(world.district_admin)
    response = admin.post(URL, program(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["district"], body["evidence_kind"], body["publisher"]) == (
        world.district.pk,
        "program",
        "Example Learning Co.",
    )
    entry = Intervention.objects.get(pk=body["id"])
    assert AccessLog.objects.filter(
        object_type="intervention", object_id=str(entry.pk), action="create"
    ).exists()
    # PATCH changes the named fields only.
    response = admin.patch(f"{URL}{entry.pk}/", {"weeks": 16}, format="json")
    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert (entry.weeks, entry.minutes_per_session, entry.publisher) == (
        16,
        30,
        "Example Learning Co.",
    )
    assert AccessLog.objects.filter(
        object_type="intervention", object_id=str(entry.pk), action="update"
    ).exists()


def test_the_services_rules_answer_400_and_save_nothing(world, kit):
    admin = client_as(world.district_admin)
    # An ESSA tier on a practice overstates the evidence: refused by the service.
    response = admin.post(URL, program(evidence_kind="practice"), format="json")
    assert response.status_code == 400
    assert "evidence_level" in response.json()
    # The same name twice in the district.
    assert admin.post(URL, program(), format="json").status_code == 201
    response = admin.post(URL, program(), format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["Your district already has an entry with this name."]
    assert Intervention.objects.filter(district=world.district).count() == 1


def test_the_shared_catalog_is_read_only(world, kit):
    admin = client_as(world.district_admin)
    response = admin.patch(f"{URL}{kit.phonics.pk}/", {"weeks": 3}, format="json")
    assert response.status_code == 403
    assert "shared catalog is read-only" in response.json()["detail"]
    kit.phonics.refresh_from_db()
    assert kit.phonics.weeks != 3


@pytest.mark.parametrize(
    "persona", ["teacher", "interventionist", "team_member", "principal", "nobody"]
)
def test_other_roles_get_403_and_nothing_is_saved(world, kit, persona):
    user = client_as(world.persona(persona))
    assert user.post(URL, program(), format="json").status_code == 403
    own = Intervention.objects.create(
        district=world.district, name="Own entry", domain="reading", tiers=[2]
    )
    assert user.patch(f"{URL}{own.pk}/", {"weeks": 9}, format="json").status_code == 403
    assert not Intervention.objects.filter(name="Read Ahead").exists()
    own.refresh_from_db()
    assert own.weeks is None
