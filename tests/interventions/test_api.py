"""The interventions API: catalog, plans (create, update, list), progress, sessions and the
analysis endpoint with exactly its eight fields; refusals are 400 with nothing saved; lists
read a constant number of queries; an authorization matrix over the `world` personas."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from interventions import services
from interventions.models import InterventionPlan, InterventionSession, ProgressScore, TierPlacement
from tests.factories import StudentFactory
from tests.interventions.conftest import at_risk, days_ago, start_plan, today

pytestmark = pytest.mark.django_db

ANALYSIS_FIELDS = {
    "points",
    "trend_slope",
    "aim_slope",
    "tolerance",
    "fidelity",
    "recommendation",
    "rule",
    "dual_discrepancy",
    "reconciled",
}


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def create_payload(world, kit, **extra):
    data = {
        "student": world.student.pk,
        "intervention": kit.phonics.pk,
        "tier": 2,
        "domain": "reading",
        "measure": kit.orf.pk,
        "start_date": days_ago(56).isoformat(),
        "baseline": 42,
        "goal": 72,
        "goal_date": (days_ago(56) + dt.timedelta(weeks=20)).isoformat(),
        "sessions_per_week": 5,
        "minutes_per_session": 30,
        "interventionist": world.interventionist.pk,
    }
    data.update(extra)
    return data


# -- catalog -------------------------------------------------------------------------------


def test_it_lists_the_catalog_with_dosage_and_criteria(world, kit):
    body = client_as(world.teacher).get("/api/v1/interventions/", {"domain": "reading"}).json()
    names = [r["name"] for r in body["results"]]
    assert names == ["Phonics small group", "Repeated reading"]
    phonics = body["results"][0]
    assert phonics["tiers"] == [2, 3]
    assert phonics["entry_criteria"] == {
        "domain_risk_in": ["some_risk", "high_risk"],
        "grades": [1, 5],
    }
    tier3 = client_as(world.teacher).get("/api/v1/interventions/", {"tier": 3}).json()
    assert [r["name"] for r in tier3["results"]] == ["Phonics small group"]


# -- plans ---------------------------------------------------------------------------------


def test_it_creates_a_plan_and_records_the_tier(world, kit):
    at_risk(world.student, kit)
    response = client_as(world.team_member).post(
        "/api/v1/plans/", create_payload(world, kit), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["tier"], body["domain"], body["baseline"], body["goal"]) == (
        2,
        "reading",
        "42.00",
        "72.00",
    )
    assert body["entry_criteria_met"] is True
    assert TierPlacement.objects.get(student=world.student).tier == 2


def test_it_requires_an_override_reason_through_the_api_too(world, kit):
    response = client_as(world.team_member).post(
        "/api/v1/plans/", create_payload(world, kit), format="json"
    )
    assert response.status_code == 400
    assert "No screening result in reading yet" in response.json()["entry_override_reason"][0]
    assert not InterventionPlan.objects.exists()


def test_it_answers_400_for_a_student_the_user_cannot_see(world, kit):
    response = client_as(world.team_member).post(
        "/api/v1/plans/", create_payload(world, kit, student=world.other_student.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"student": ["There is no such student among yours."]}


def test_it_updates_the_schedule_starts_a_phase_and_closes_a_plan(world, kit):
    plan = start_plan(world, kit)
    client = client_as(world.team_member)
    url = f"/api/v1/plans/{plan.pk}/"
    assert (
        client.patch(url, {"sessions_per_week": 3}, format="json").json()["sessions_per_week"] == 3
    )
    missing_reason = client.patch(url, {"goal": 80}, format="json")
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()
    body = client.patch(
        url,
        {"goal": 80, "phase_reason": "Raise the goal", "phase_start_date": days_ago(7).isoformat()},
        format="json",
    ).json()
    assert (body["goal"], body["phase_start"]) == ("80.00", days_ago(7).isoformat())
    body = client.patch(
        url, {"status": "completed", "exit_reason": "Goal met"}, format="json"
    ).json()
    assert (body["status"], body["end_date"]) == ("completed", today().isoformat())


def test_it_filters_plans_by_student_school_and_status(world, kit):
    a = start_plan(world, kit)
    b = start_plan(world, kit, student=world.classmate)
    services.plan_close(plan=b, status="discontinued", exit_reason="Moved", actor=world.team_member)
    client = client_as(world.principal)
    ids = lambda params: [r["id"] for r in client.get("/api/v1/plans/", params).json()["results"]]  # noqa: E731
    assert sorted(ids({})) == sorted([a.pk, b.pk])
    assert ids({"student": world.student.pk}) == [a.pk]
    assert ids({"status": "discontinued"}) == [b.pk]
    assert ids({"school": world.other_school.pk}) == []


def test_it_lists_plans_in_constant_queries(world, kit, django_assert_max_num_queries):
    client = client_as(world.district_admin)
    start_plan(world, kit)
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/plans/")
    for i in range(6):
        start_plan(world, kit, student=StudentFactory(school=world.school, last_name=f"K{i}"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/plans/").json()["count"] == 7


# -- progress, sessions, analysis ----------------------------------------------------------


def test_it_records_progress_and_returns_exactly_the_analysis_fields(world, kit):
    # The domain worked example: weeks 0..7 of a plan started 56 days ago (week 8 is today,
    # so week 7 is 7 days ago): trend 1.7619, aim (72 - 42) / 20 = 1.5.
    plan = start_plan(
        world, kit, start_date=days_ago(56), goal_date=days_ago(56) + dt.timedelta(weeks=20)
    )
    client = client_as(world.interventionist)
    for week, score in enumerate([42, 45, 44, 48, 50, 49, 53, 55]):
        response = client.post(
            f"/api/v1/plans/{plan.pk}/progress/",
            {"date": days_ago(56 - 7 * week).isoformat(), "score": score},
            format="json",
        )
        assert response.status_code == 201, response.json()
    assert client.get(f"/api/v1/plans/{plan.pk}/progress/").json()["count"] == 8
    body = client.get(f"/api/v1/plans/{plan.pk}/analysis/").json()
    assert set(body) == ANALYSIS_FIELDS
    assert body["points"] == 8
    assert round(body["trend_slope"], 4) == 1.7619
    assert body["aim_slope"] == pytest.approx(1.5)
    assert (body["tolerance"], body["fidelity"]) == (0.5, None)
    assert (body["recommendation"], body["rule"], body["dual_discrepancy"]) == (
        "continue",
        "trend_line",
        False,
    )


def test_it_reports_fidelity_from_sessions_posted_through_the_api(world, kit):
    plan = start_plan(world, kit, start_date=days_ago(13), sessions_per_week=5)
    client = client_as(world.interventionist)
    client.post(
        f"/api/v1/plans/{plan.pk}/progress/",
        {"date": days_ago(0).isoformat(), "score": 45},
        format="json",
    )
    # Span: 13 days ago to today = 14 days; planned 5 x 14 / 7 = 10; 8 attended -> 0.8.
    for d in range(8):
        response = client.post(
            f"/api/v1/plans/{plan.pk}/sessions/",
            {"date": days_ago(13 - d).isoformat(), "minutes": 30, "attended": True},
            format="json",
        )
        assert response.status_code == 201
    client.post(
        f"/api/v1/plans/{plan.pk}/sessions/",
        {"date": days_ago(2).isoformat(), "minutes": 30, "attended": False},
        format="json",
    )
    assert client.get(f"/api/v1/plans/{plan.pk}/analysis/").json()["fidelity"] == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"date": "DAY1", "score": 251}, "score"),
        ({"date": "DAY1", "score": "12.345"}, "score"),
        ({"date": "BEFORE", "score": 50}, "date"),
        ({"date": "FUTURE", "score": 50}, "date"),
        ({"date": "not-a-date", "score": 50}, "date"),
    ],
)
def test_it_refuses_bad_progress_with_400_and_saves_nothing(world, kit, payload, field):
    plan = start_plan(world, kit)
    dates = {"DAY1": days_ago(1), "BEFORE": days_ago(71), "FUTURE": days_ago(-1)}
    payload = {
        **payload,
        "date": dates[payload["date"]].isoformat() if payload["date"] in dates else payload["date"],
    }
    response = client_as(world.interventionist).post(
        f"/api/v1/plans/{plan.pk}/progress/", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not ProgressScore.objects.exists()


def test_it_refuses_a_session_on_a_completed_plan_with_400(world, kit):
    plan = start_plan(world, kit)
    services.plan_close(
        plan=plan, status="completed", exit_reason="Goal met", actor=world.team_member
    )
    response = client_as(world.team_member).post(
        f"/api/v1/plans/{plan.pk}/sessions/",
        {"date": days_ago(1).isoformat(), "minutes": 30, "attended": True},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "This plan is completed: sessions can't be added to it."
    assert not InterventionSession.objects.exists()


# -- authorization matrix ------------------------------------------------------------------

# Expected codes per persona. The plan belongs to Maria (the teacher's student, world
# school), delivered by the world's interventionist.
#   read:    GET plan, GET analysis
#   score:   POST a progress score
#   close:   PATCH status
#   create:  POST a new plan for Maria's classmate (not on anyone's caseload)
MATRIX = {
    "teacher": {"read": 200, "score": 403, "close": 403, "create": 403},
    "other_teacher": {"read": 404, "score": 404, "close": 404, "create": 403},
    "interventionist": {"read": 200, "score": 201, "close": 403, "create": 400},
    "team_member": {"read": 200, "score": 201, "close": 200, "create": 201},
    "principal": {"read": 200, "score": 201, "close": 200, "create": 201},
    "district_admin": {"read": 200, "score": 201, "close": 200, "create": 201},
    "nobody": {"read": 404, "score": 404, "close": 404, "create": 403},
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_it_enforces_the_authorization_matrix(world, kit, persona):
    expected = MATRIX[persona]
    plan = start_plan(world, kit)
    at_risk(world.classmate, kit)
    client = client_as(world.persona(persona))
    got = {
        "read": client.get(f"/api/v1/plans/{plan.pk}/").status_code,
        "score": client.post(
            f"/api/v1/plans/{plan.pk}/progress/",
            {"date": days_ago(1).isoformat(), "score": 50},
            format="json",
        ).status_code,
        "create": client.post(
            "/api/v1/plans/", create_payload(world, kit, student=world.classmate.pk), format="json"
        ).status_code,
    }
    assert client.get(f"/api/v1/plans/{plan.pk}/analysis/").status_code == expected["read"]
    got["close"] = client.patch(
        f"/api/v1/plans/{plan.pk}/", {"status": "completed", "exit_reason": "x"}, format="json"
    ).status_code
    assert got == expected


def test_it_needs_credentials(world, kit):
    plan = start_plan(world, kit)
    assert APIClient().get(f"/api/v1/plans/{plan.pk}/analysis/").status_code == 401
    assert APIClient().get("/api/v1/interventions/").status_code == 401


def test_it_lists_no_plan_for_another_schools_teacher(world, kit):
    start_plan(world, kit)
    assert client_as(world.other_teacher).get("/api/v1/plans/").json()["count"] == 0
