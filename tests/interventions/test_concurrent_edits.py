"""Two people editing the same plan: progress points and phases carry a version and refuse a
stale overwrite with both values (page and API); a plan closed or a phase started twice by a
double submit happens once (the form's idempotency token)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from interventions import services
from interventions.models import InterventionPlan, PlanPhase, ProgressScore
from mtss.errors import EditConflict
from tests.interventions.conftest import days_ago, start_plan

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# -- progress points -----------------------------------------------------------------------------


def test_a_stale_progress_correction_is_refused_with_both_scores(world, kit):
    plan = start_plan(world, kit)
    day = days_ago(7)
    first = services.progress_record(
        plan=plan, date=day, score=45, actor=world.interventionist, version=0
    )
    assert first.version == 1
    # A colleague, who also saw the empty box, types 47 for the same day.
    with pytest.raises(EditConflict) as caught:
        services.progress_record(plan=plan, date=day, score=47, actor=world.team_member, version=0)
    assert caught.value.saved["score"] == "45" and caught.value.yours["score"] == "47"
    assert caught.value.version == 1
    assert ProgressScore.objects.get(plan=plan, date=day).score == 45
    # The same score again is no conflict; saving over the version seen replaces it.
    services.progress_record(plan=plan, date=day, score=45, actor=world.team_member, version=0)
    again = services.progress_record(
        plan=plan, date=day, score=47, actor=world.team_member, version=1
    )
    assert (again.score, again.version) == (47, 2)


def test_the_progress_grid_cell_shows_both_scores_and_keeps_yours_with_the_new_version(
    client, world, kit
):
    plan = start_plan(world, kit)
    day = days_ago(7)
    client.force_login(world.interventionist)
    grid = client.get(reverse("interventions:progress_entry") + f"?date={day.isoformat()}")
    assert f'name="version-{plan.pk}" value="0"' in grid.content.decode()
    services.progress_record(plan=plan, date=day, score=45, actor=world.team_member)

    url = reverse("interventions:progress_cell", args=[plan.pk])
    post = {f"score-{plan.pk}": "47", f"version-{plan.pk}": "0", "date": day.isoformat()}
    html = client.post(url, post, HTTP_HX_REQUEST="true").content.decode()
    assert "Saved by your colleague: 45. Yours: 47" in html
    assert 'value="47"' in html and f'name="version-{plan.pk}" value="1"' in html
    assert ProgressScore.objects.get(plan=plan, date=day).score == 45

    post[f"version-{plan.pk}"] = "1"
    html = client.post(url, post, HTTP_HX_REQUEST="true").content.decode()
    assert "Saved" in html and f'name="version-{plan.pk}" value="2"' in html
    assert ProgressScore.objects.get(plan=plan, date=day).score == 47


def test_the_api_answers_a_stale_progress_score_with_409_and_both(world, kit):
    plan = start_plan(world, kit)
    day = days_ago(7)
    client = api(world.interventionist)
    url = f"/api/v1/plans/{plan.pk}/progress/"
    first = client.post(url, {"date": day, "score": "45", "version": 0}, format="json")
    assert first.status_code == 201 and first.json()["version"] == 1
    stale = client.post(url, {"date": day, "score": "47", "version": 0}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert (body["saved"]["score"], body["yours"]["score"], body["current_version"]) == (
        "45",
        "47",
        1,
    )


# -- plan phases ---------------------------------------------------------------------------------


def change(world, kit, plan, *, goal, version, actor=None, key=""):
    return services.plan_change_phase(
        plan=plan,
        goal=goal,
        reason="The team raised the goal",
        actor=actor or world.interventionist,
        start_date=days_ago(14),
        version=version,
        idempotency_key=key,
    )


def test_a_phase_change_made_from_an_older_phase_is_refused_with_both(world, kit):
    plan = start_plan(world, kit)
    change(world, kit, plan, goal=80, version=1)
    plan.refresh_from_db()
    with pytest.raises(EditConflict) as caught:
        change(world, kit, plan, goal=90, version=1, actor=world.team_member)
    assert caught.value.saved["goal"] == "80" and caught.value.yours["goal"] == "90"
    assert caught.value.version == 2
    assert PlanPhase.objects.filter(plan=plan).count() == 2


def test_the_phase_form_shows_both_and_keeps_yours_with_the_new_version(client, world, kit):
    plan = start_plan(world, kit)
    client.force_login(world.interventionist)
    page = client.get(reverse("interventions:plan_detail", args=[plan.pk]))
    form = page.context["phase_form"]
    assert form["version"].value() == 1
    change(world, kit, plan, goal=80, version=1, actor=world.team_member)

    data = {
        "goal": "90",
        "start_date": days_ago(14).isoformat(),
        "reason": "Mine",
        "version": "1",
        "idempotency_key": form["idempotency_key"].value(),
    }
    url = reverse("interventions:plan_phase_change", args=[plan.pk])
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Saved by your colleague" in html and ">80<" in html and ">90<" in html
    assert response.context["phase_form"]["version"].value() == "2"
    assert PlanPhase.objects.filter(plan=plan).count() == 2


def test_the_api_answers_a_stale_phase_change_with_409(world, kit):
    plan = start_plan(world, kit)
    client = api(world.interventionist)
    read = client.get(f"/api/v1/plans/{plan.pk}/").json()
    assert read["phase_version"] == 1
    body = {"goal": "80", "phase_reason": "Raised", "phase_version": 1}
    assert client.patch(f"/api/v1/plans/{plan.pk}/", body, format="json").status_code == 200
    body = {"goal": "90", "phase_reason": "Raised again", "phase_version": 1}
    stale = client.patch(f"/api/v1/plans/{plan.pk}/", body, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


# -- double submits ------------------------------------------------------------------------------


def test_a_phase_form_sent_twice_starts_one_phase(world, kit):
    plan = start_plan(world, kit)
    first = change(world, kit, plan, goal=80, version=1, key="k" * 32)
    second = change(world, kit, plan, goal=80, version=1, key="k" * 32)
    assert first.pk == second.pk
    assert PlanPhase.objects.filter(plan=plan).count() == 2


def test_a_close_form_sent_twice_closes_once_and_says_so_both_times(client, world, kit):
    plan = start_plan(world, kit)
    client.force_login(world.team_member)
    page = client.get(reverse("interventions:plan_detail", args=[plan.pk]))
    token = page.context["close_form"]["idempotency_key"].value()
    data = {"status": "completed", "exit_reason": "Goal met", "idempotency_key": token}
    url = reverse("interventions:plan_close", args=[plan.pk])
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    assert "The plan is completed." in first.content.decode()
    assert "The plan is completed." in second.content.decode()
    assert InterventionPlan.objects.get(pk=plan.pk).status == "completed"


def test_the_api_closes_a_plan_once_for_a_repeated_key(world, kit):
    plan = start_plan(world, kit)
    client = api(world.team_member)
    body = {"status": "completed", "exit_reason": "Goal met"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "close-" + "1" * 26}
    first = client.patch(f"/api/v1/plans/{plan.pk}/", body, format="json", **headers)
    assert first.status_code == 200
    again = client.patch(f"/api/v1/plans/{plan.pk}/", body, format="json", **headers)
    assert again.status_code == 200 and again.json()["status"] == "completed"
    without_key = client.patch(f"/api/v1/plans/{plan.pk}/", body, format="json")
    assert without_key.status_code == 400  # no key: the plan has ended, as before
