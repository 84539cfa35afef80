"""The district's Tier 1 resource list (smallgroups settings): only district administrators
keep it; online resources need their link, offline ones say what they are; every change is
on the record of access."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from smallgroups.models import SkillResource
from smallgroups.services import resource_create
from students.models import AccessLog

pytestmark = pytest.mark.django_db

URL = "/settings/resources/"
GOOD = {
    "title": "Partner reading routine",
    "skill": "fluency",
    "kind": "offline",
    "url": "",
    "description": "Pairs read the same passage aloud in turns; one timer per pair.",
    "lowest_grade": "1",
    "highest_grade": "3",
    "active": "on",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_district_administrators_reach_the_list(world):
    for user in (world.teacher, world.principal, world.team_member):
        client = _client(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, GOOD).status_code == 403
    assert not SkillResource.objects.exists()
    admin = _client(world.district_admin)
    response = admin.get(URL)
    assert response.status_code == 200
    assert "The list is empty. Add the first resource below" in response.content.decode()
    # Listed on the settings home for administrators only.
    assert "Tier 1 resources" in admin.get("/settings/").content.decode()
    with pytest.raises(PermissionDenied):
        resource_create(
            district=world.district,
            actor=world.teacher,
            **{**GOOD, "lowest_grade": 1, "highest_grade": 3, "active": True},
        )


def test_add_change_and_remove_a_resource(world):
    admin = _client(world.district_admin)
    response = admin.post(URL, GOOD)
    assert response.status_code == 302
    resource = SkillResource.objects.get()
    assert (resource.district, resource.skill, resource.kind) == (
        world.district,
        "fluency",
        "offline",
    )
    page = admin.get(URL).content.decode()
    assert "Partner reading routine" in page and "Reading fluency" in page
    edit = f"{URL}{resource.pk}/"
    assert admin.post(edit, {**GOOD, "kind": "online", "url": ""}).status_code == 400
    response = admin.post(edit, {**GOOD, "kind": "online", "url": "https://example.org/readers"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.url == "https://example.org/readers"
    assert admin.post(f"{edit}remove/").status_code == 302
    assert not SkillResource.objects.exists()
    assert list(
        AccessLog.objects.filter(object_type="skill_resource")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["create", "update", "delete"]
    # Another district's administrator cannot reach it.
    other = SkillResource.objects.create(
        district=world.district, **{**GOOD, "lowest_grade": 1, "highest_grade": 3, "active": True}
    )
    assert _client(world.teacher).post(f"{URL}{other.pk}/remove/").status_code == 403


def test_bad_resources_are_refused_in_words(world):
    admin = _client(world.district_admin)
    response = admin.post(URL, {**GOOD, "description": " "})
    assert response.status_code == 400
    assert "Say what the offline activity is and needs." in response.content.decode()
    response = admin.post(URL, {**GOOD, "lowest_grade": "5", "highest_grade": "2"})
    assert response.status_code == 400
    assert "The highest grade comes after the lowest." in response.content.decode()
    with pytest.raises(ValidationError):
        resource_create(
            district=world.district,
            actor=world.district_admin,
            **{**GOOD, "kind": "online", "lowest_grade": 1, "highest_grade": 3, "active": True},
        )
    assert not SkillResource.objects.exists()
