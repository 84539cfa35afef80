"""Who may open and post the interventions pages: every persona of the `world` fixture
against a plan of Maria (the teacher's student at the world school), delivered by the world's
interventionist in the world's group. 404 hides a student the user may not see; 403 is a
user who may see the plan but not do this."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from interventions.models import ProgressScore
from tests.interventions.conftest import days_ago, start_plan

pytestmark = pytest.mark.django_db

PERSONAS = (
    "teacher",
    "other_teacher",
    "interventionist",
    "team_member",
    "principal",
    "district_admin",
    "nobody",
)

# persona -> (plan page, add a score, end the plan, grid cell, group page, start a plan)
EXPECTED = {
    "teacher": (200, 403, 403, 403, 404, 403),
    "other_teacher": (404, 404, 404, 404, 404, 404),
    "interventionist": (200, 302, 403, 200, 200, 200),
    "team_member": (200, 302, 302, 200, 200, 200),
    "principal": (200, 302, 302, 200, 200, 200),
    "district_admin": (200, 302, 302, 200, 200, 200),
    "nobody": (404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_enforces_the_pages_authorization_matrix(world, kit, persona):
    plan = start_plan(world, kit, group=kit.group)
    client = Client()
    client.force_login(world.persona(persona))
    got = (
        client.get(reverse("interventions:plan_detail", args=[plan.pk])).status_code,
        client.post(
            reverse("interventions:plan_progress_add", args=[plan.pk]),
            {"date": days_ago(2).isoformat(), "score": "50"},
        ).status_code,
        client.post(
            reverse("interventions:plan_close", args=[plan.pk]),
            {"status": "completed", "exit_reason": "Goal met"},
        ).status_code,
        client.post(
            reverse("interventions:progress_cell", args=[plan.pk]),
            {f"score-{plan.pk}": "51", "date": days_ago(1).isoformat()},
        ).status_code,
        client.get(reverse("interventions:group_detail", args=[kit.group.pk])).status_code,
        client.get(reverse("interventions:plan_start"), {"student": world.student.pk}).status_code,
    )
    assert got == EXPECTED[persona]
    if EXPECTED[persona][1] != 302:
        assert not ProgressScore.objects.filter(date=days_ago(2)).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_the_caseload_catalog_and_plan_list_to_every_signed_in_user(world, kit, persona):
    start_plan(world, kit)
    client = Client()
    client.force_login(world.persona(persona))
    for name in ("caseload", "catalog", "plan_list", "progress_entry"):
        assert client.get(reverse(f"interventions:{name}")).status_code == 200, name
    caseload = client.get(reverse("interventions:caseload")).content.decode()
    assert ("Garcia, Maria" in caseload) == (persona == "interventionist")


def test_it_sends_anonymous_visitors_to_sign_in(world, kit):
    plan = start_plan(world, kit)
    response = Client().get(reverse("interventions:plan_detail", args=[plan.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
