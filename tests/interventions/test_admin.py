"""The catalog in the admin: criteria checked on save; plans read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interventions.models import Intervention
from tests.factories import UserFactory
from tests.interventions.conftest import start_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _form(**extra):
    data = {
        "name": "Partner reading",
        "domain": "reading",
        "tiers": "2",
        "entry_criteria": '{"domain_risk_in": ["some_risk"]}',
        "exit_criteria": '{"goal_met_points": 3}',
        "fidelity_checklist": '["Partners took turns"]',
        "skills": "fluency",
        "active": "on",
    }
    data.update(extra)
    return data


def test_it_refuses_a_typo_in_the_entry_criteria(admin_client):
    url = reverse("admin:interventions_intervention_add")
    response = admin_client.post(url, _form(entry_criteria='{"grade": [1, 3]}'))
    assert response.status_code == 200
    assert "Unknown entry criteria: grade" in response.content.decode()
    assert not Intervention.objects.filter(name="Partner reading").exists()
    response = admin_client.post(url, _form(tiers="2,4"))
    assert "Tiers must be 2, 3 or both" in response.content.decode()
    assert admin_client.post(url, _form()).status_code == 302
    assert Intervention.objects.get(name="Partner reading").entry_criteria == {
        "domain_risk_in": ["some_risk"]
    }


def test_it_shows_plans_read_only(admin_client, world, kit):
    plan = start_plan(world, kit)
    page = admin_client.get(reverse("admin:interventions_interventionplan_change", args=[plan.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:interventions_interventionplan_add")).status_code == 403
