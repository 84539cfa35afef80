"""The meetings API: scoping by persona, decisions that act, conflicts as 409, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from decisions.models import Flag
from interventions.models import InterventionPlan
from meetings import services
from meetings.models import AgendaItem, Concern, Decision
from tests.meetings.conftest import Kit, today

pytestmark = pytest.mark.django_db


def api(world, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.persona(persona))
    return client


def prepared(kit: Kit) -> tuple[AgendaItem, AgendaItem]:
    w = kit.world
    kit.flag(w.student, tier=2)
    kit.flag(w.classmate, tier=2)
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    maria = AgendaItem.objects.get(meeting=kit.meeting, student=w.student)
    liam = AgendaItem.objects.get(meeting=kit.meeting, student=w.classmate)
    return maria, liam


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("team_member", True),
        ("principal", True),
        ("district_admin", True),
        ("teacher", False),
        ("interventionist", False),
        ("other_teacher", False),
        ("nobody", False),
    ],
)
def test_it_lists_meetings_and_agendas_only_for_the_schools_team(kit, persona, sees):
    prepared(kit)
    client = api(kit.world, persona)
    meetings = client.get("/api/v1/meetings/").json()["results"]
    items = client.get(f"/api/v1/agenda-items/?meeting={kit.meeting.pk}").json()["results"]
    assert ([m["id"] for m in meetings] == [kit.meeting.pk]) is sees
    assert (len(items) == 2) is sees
    assert (client.get(f"/api/v1/meetings/{kit.meeting.pk}/").status_code == 200) is sees


def test_it_records_a_decision_that_acts(kit):
    w = kit.world
    maria, _ = prepared(kit)
    client = api(w, "team_member")
    response = client.post(
        "/api/v1/decisions/",
        {
            "meeting": kit.meeting.pk,
            "item": maria.pk,
            "type": "place_tier2",
            "intervention": kit.fluency.pk,
            "interventionist": w.interventionist.pk,
            "measure": kit.orf.pk,
            "goal": "90",
            "goal_date": (today() + dt.timedelta(weeks=12)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    plan = InterventionPlan.objects.get(student=w.student)
    assert body["plan"] == plan.pk and body["follows_rule"] is True
    assert Flag.objects.get(pk=body["flags"][0]).status == "accepted"


def test_it_answers_a_refused_decision_with_the_field_and_saves_nothing(kit):
    maria, _ = prepared(kit)
    client = api(kit.world, "team_member")
    response = client.post(
        "/api/v1/decisions/",
        {
            "meeting": kit.meeting.pk,
            "item": maria.pk,
            "type": "dismiss_flag",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "rationale" in response.json()
    assert not Decision.objects.exists()


def test_it_refuses_decisions_from_people_outside_the_team(kit):
    maria, _ = prepared(kit)
    response = api(kit.world, "teacher").post(
        "/api/v1/decisions/",
        {
            "meeting": kit.meeting.pk,
            "item": maria.pk,
            "type": "monitor",
            "rationale": "x",
        },
        format="json",
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_it_shows_a_teacher_only_the_decisions_about_their_own_students(kit):
    w = kit.world
    maria, liam = prepared(kit)
    for item in (maria, liam):
        services.meeting_record_decision(
            meeting=kit.meeting,
            item=item,
            type="dismiss_flag",
            rationale="Screened in the wrong language.",
            actor=w.team_member,
        )
    teacher = api(w, "teacher").get("/api/v1/decisions/").json()["results"]
    assert [d["student"] for d in teacher] == [w.student.pk]
    team = api(w, "team_member").get("/api/v1/decisions/").json()["results"]
    assert sorted(d["student"] for d in team) == sorted([w.student.pk, w.classmate.pk])
    assert api(w, "other_teacher").get("/api/v1/decisions/").json()["results"] == []


def test_it_answers_a_stale_notes_save_with_409_and_both_texts(kit):
    maria, _ = prepared(kit)
    first, second = api(kit.world, "team_member"), api(kit.world, "principal")
    version = first.get(f"/api/v1/agenda-items/{maria.pk}/").json()["version"]
    ok = first.patch(
        f"/api/v1/agenda-items/{maria.pk}/",
        {"version": version, "notes": "Vision screening due."},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == version + 1
    late = second.patch(
        f"/api/v1/agenda-items/{maria.pk}/",
        {"version": version, "notes": "Check hearing."},
        format="json",
    )
    assert late.status_code == 409
    body = late.json()
    assert body["saved"] == {"notes": "Vision screening due."}
    assert body["yours"] == {"notes": "Check hearing."}
    assert body["current_version"] == version + 1


def test_it_prepares_moves_and_removes_agenda_items(kit):
    w = kit.world
    kit.flag(w.student, tier=3)
    flag = kit.flag(w.classmate, tier=2)
    client = api(w, "principal")
    items = client.post(f"/api/v1/meetings/{kit.meeting.pk}/prepare/").json()
    assert [i["student"] for i in items] == [w.student.pk, w.classmate.pk]
    moved = client.post(
        f"/api/v1/agenda-items/{items[1]['id']}/move/", {"direction": "up"}, format="json"
    ).json()
    assert [i["student"] for i in moved] == [w.classmate.pk, w.student.pk]
    assert client.delete(f"/api/v1/agenda-items/{items[1]['id']}/").status_code == 204
    assert Flag.objects.get(pk=flag.pk).status == "open"


def test_it_creates_and_closes_meetings_and_returns_frozen_minutes(kit):
    w = kit.world
    client = api(w, "team_member")
    created = client.post(
        "/api/v1/meetings/",
        {
            "school": w.school.pk,
            "kind": "problem_solving",
            "scheduled_at": "2026-10-06T15:30:00-05:00",
            "attendees": [w.principal.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    other = client.post(
        "/api/v1/meetings/",
        {
            "school": w.other_school.pk,
            "kind": "problem_solving",
            "scheduled_at": "2026-10-06T15:30:00-05:00",
        },
        format="json",
    )
    assert other.status_code == 403
    closed = client.post(f"/api/v1/meetings/{created.json()['id']}/close/")
    assert closed.json()["status"] == "closed"
    minutes = client.get(f"/api/v1/meetings/{created.json()['id']}/minutes/").json()
    assert minutes["final"] is True and minutes["attendees"] == ["Pat Brown"]


def test_it_lets_teachers_raise_concerns_only_for_their_students(kit):
    w = kit.world
    teacher = api(w, "teacher")
    ok = teacher.post(
        "/api/v1/concerns/", {"student": w.student.pk, "note": "Tired lately."}, format="json"
    )
    assert ok.status_code == 201
    refused = teacher.post(
        "/api/v1/concerns/", {"student": w.classmate.pk, "note": "x"}, format="json"
    )
    assert refused.status_code == 404
    assert Concern.objects.count() == 1
    assert [c["student"] for c in teacher.get("/api/v1/concerns/").json()["results"]] == [
        w.student.pk
    ]
    assert api(w, "other_teacher").get("/api/v1/concerns/").json()["results"] == []


def test_it_lets_owners_see_and_close_their_action_items(kit):
    w = kit.world
    team = api(w, "team_member")
    created = team.post(
        "/api/v1/action-items/",
        {
            "meeting": kit.meeting.pk,
            "owner": w.teacher.pk,
            "description": "Call home",
            "due_date": (today() - dt.timedelta(days=1)).isoformat(),
            "student": w.student.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    teacher = api(w, "teacher")
    mine = teacher.get("/api/v1/action-items/?mine=true").json()["results"]
    assert [(a["description"], a["overdue"]) for a in mine] == [("Call home", True)]
    done = teacher.patch(
        f"/api/v1/action-items/{mine[0]['id']}/", {"status": "done"}, format="json"
    )
    assert done.json()["status"] == "done"
    assert api(w, "other_teacher").get("/api/v1/action-items/").json()["results"] == []


def test_it_lists_decisions_in_a_fixed_number_of_queries(kit, django_assert_max_num_queries):
    w = kit.world
    maria, liam = prepared(kit)
    for item in (maria, liam):
        services.meeting_record_decision(
            meeting=kit.meeting,
            item=item,
            type="dismiss_flag",
            rationale="Not needed.",
            actor=w.team_member,
        )
    client = api(w, "team_member")
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/decisions/")
    assert response.json()["count"] == 2
