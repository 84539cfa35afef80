"""Classwide problems decided in a meeting (issue 15 item 7): the two decision types, how
they are judged, the class-level plan's exit rule at its boundary, and the hold on the
class's Tier 2 flags while the plan runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from decisions.classwide_plans import (
    class_median,
    classwide_plan_record_check,
    exit_met,
)
from decisions.models import ClasswidePlan, Flag
from meetings import services
from meetings.classwide import judge_classwide, meeting_record_classwide_decision
from meetings.models import AgendaItem, ClasswideDecision
from tests.factories import EnrollmentFactory, StudentFactory
from tests.meetings.conftest import Kit, today

# --- the pure rules (hand-computed) ----------------------------------------------------


def test_the_exit_rule_needs_the_last_n_checks_at_or_above_the_benchmark():
    # Benchmark 70, three checks needed. "At" counts: a median of exactly 70 meets it.
    assert exit_met([70, 70, 70], 70, needed=3) is True
    assert exit_met([65, 71, 70, 70], 70, needed=3) is True
    # One check 0.5 below the cut, last in line: not met.
    assert exit_met([70, 70, 69.5], 70, needed=3) is False
    # A low check in the middle breaks the run: the last three are 71, 69, 72.
    assert exit_met([75, 71, 69, 72], 70, needed=3) is False
    # Two good checks are not three.
    assert exit_met([80, 80], 70, needed=3) is False
    # Lower is better (an error count): at or below the cut meets it.
    assert exit_met([5, 4, 5], 5, needed=3, higher_is_better=False) is True
    assert exit_met([5, 6, 5], 5, needed=3, higher_is_better=False) is False


def test_the_class_median_of_a_check():
    assert class_median([60, 90, 70, 80]) == 75.0  # even count: mean of 70 and 80
    assert class_median([40, 70, 71]) == 70.0
    assert class_median([]) is None


def test_a_classwide_flag_recommends_the_classwide_intervention():
    start = judge_classwide("start_classwide", live_flags=1)
    core = judge_classwide("continue_core", live_flags=1)
    assert (start.follows, core.follows) == (True, False)
    assert "classwide intervention" in start.recommendation
    # The sweep resolved the flag before the meeting: no recommendation, not judged.
    assert judge_classwide("continue_core", live_flags=0).follows is None


# --- the services -----------------------------------------------------------------------


def classwide_item(kit: Kit, *, benchmark: float = 70.0) -> tuple[AgendaItem, Flag]:
    """A grade 3 data meeting with the world's section flagged classwide (median 55 on ORF
    against a benchmark of 70)."""
    w = kit.world
    flag = kit.flag(
        None,
        kind="classwide",
        tier=2,
        section=w.section,
        measure=kit.orf,
        window=kit.screening.fall,
    )
    flag.evidence = {
        "kind": "classwide",
        "rule": "classwide_median",
        "rule_enabled": True,
        "classwide_problem": True,
        "n": 3,
        "n_below_benchmark": 2,
        "higher_is_better": True,
        "benchmark": benchmark,
        "median_score": 55.0,
    }
    flag.save(update_fields=["evidence"])
    meeting = services.meeting_create(
        school=w.school,
        kind="grade_level",
        grade=3,
        window=kit.screening.fall,
        scheduled_at=timezone.now(),
        actor=w.principal,
    )
    services.meeting_prepare_agenda(meeting=meeting, actor=w.team_member)
    item = AgendaItem.objects.get(meeting=meeting, kind="classwide")
    return item, flag


def test_starting_a_classwide_intervention_follows_the_rule_and_makes_the_class_plan(kit):
    item, flag = classwide_item(kit)
    decision = meeting_record_classwide_decision(
        meeting=item.meeting, item=item, type="start_classwide", actor=kit.world.team_member
    )
    assert (decision.follows_rule, decision.is_override) == (True, False)
    plan = decision.plan
    assert (plan.section_id, plan.measure_id, plan.benchmark) == (
        kit.world.section.pk,
        kit.orf.pk,
        70.0,
    )
    assert (plan.status, plan.check_every_days, plan.exit_checks) == ("active", 7, 3)
    assert plan.start_date == timezone.localtime(item.meeting.scheduled_at).date()
    assert Flag.objects.get(pk=flag.pk).status == "accepted"
    assert AgendaItem.objects.get(pk=item.pk).status == "discussed"
    assert list(decision.flags.all()) == [flag]


def test_continuing_core_needs_a_reason_and_is_against_the_rule(kit):
    item, flag = classwide_item(kit)
    with pytest.raises(ValidationError) as exc:
        meeting_record_classwide_decision(
            meeting=item.meeting, item=item, type="continue_core", actor=kit.world.team_member
        )
    assert "rationale" in exc.value.message_dict
    assert not ClasswideDecision.objects.exists()
    assert Flag.objects.get(pk=flag.pk).status == "on_agenda"  # nothing half-written
    decision = meeting_record_classwide_decision(
        meeting=item.meeting,
        item=item,
        type="continue_core",
        rationale="New core curriculum started two weeks ago; rescreen in winter.",
        actor=kit.world.team_member,
    )
    assert (decision.follows_rule, decision.is_override, decision.plan) == (False, True, None)
    assert not ClasswidePlan.objects.exists()


def test_a_second_active_plan_for_the_class_is_refused(kit):
    item, _ = classwide_item(kit)
    meeting_record_classwide_decision(
        meeting=item.meeting, item=item, type="start_classwide", actor=kit.world.team_member
    )
    with pytest.raises(ValidationError):
        meeting_record_classwide_decision(
            meeting=item.meeting, item=item, type="start_classwide", actor=kit.world.team_member
        )
    assert ClasswidePlan.objects.count() == 1


def proposed(kit: Kit) -> set[int]:
    meeting = services.meeting_create(
        school=kit.world.school,
        kind="problem_solving",
        scheduled_at=timezone.now(),
        actor=kit.world.team_member,
    )
    services.meeting_prepare_agenda(meeting=meeting, actor=kit.world.team_member)
    return set(
        AgendaItem.objects.filter(meeting=meeting, kind="student").values_list(
            "student_id", flat=True
        )
    )


def test_tier2_flags_of_the_class_wait_for_the_plan_and_come_back_when_it_ends(kit):
    w = kit.world
    item, _ = classwide_item(kit)
    # Two more students in the flagged class for a hand-computed median.
    ana = StudentFactory(school=w.school, grade=3, first_name="Ana", last_name="Ng")
    ben = StudentFactory(school=w.school, grade=3, first_name="Ben", last_name="Ode")
    EnrollmentFactory(student=ana, section=w.section)
    EnrollmentFactory(student=ben, section=w.section)
    held = kit.flag(w.student, tier=2)  # in the flagged class
    intensive = kit.flag(ana, tier=3)  # Tier 3 does not wait (domain.md)
    other_class = kit.flag(w.classmate, tier=2)  # another class: not held
    math_flag = kit.flag(ben, tier=2, domain="math")  # another domain: not held
    plan = meeting_record_classwide_decision(
        meeting=item.meeting, item=item, type="start_classwide", actor=w.team_member
    ).plan

    assert proposed(kit) == {ana.pk, w.classmate.pk, ben.pk}
    assert Flag.objects.get(pk=held.pk).status == "open"  # waiting, not answered
    del intensive, other_class, math_flag

    # Checks: medians 68 (below), 70 (at), 74, 71: the plan ends on the fourth check.
    start = plan.start_date
    for week, scores in enumerate(
        [
            {w.student.pk: 60, ana.pk: 68, ben.pk: 75},  # median 68
            {w.student.pk: 70, ana.pk: 70, ben.pk: 90},  # median 70
            {w.student.pk: 74, ana.pk: 72, ben.pk: 80},  # median 74
        ],
        start=1,
    ):
        plan = classwide_plan_record_check(
            plan=plan, date=start + dt.timedelta(weeks=week), scores=scores, actor=w.team_member
        )
        assert plan.status == "active"  # 68 breaks the run; 70, 74 are two of three
    assert [c["median"] for c in plan.checks] == [68.0, 70.0, 74.0]
    assert w.student.pk not in proposed(kit)

    plan = classwide_plan_record_check(
        plan=plan,
        date=start + dt.timedelta(weeks=4),
        scores={w.student.pk: 71, ana.pk: 66, ben.pk: 78},  # median 71
        actor=w.team_member,
    )
    assert (plan.status, plan.ended_on) == ("met", start + dt.timedelta(weeks=4))
    # Released: the next agenda takes the student's Tier 2 flag up again.
    assert w.student.pk in proposed(kit)


def test_a_check_refuses_students_of_another_class_and_writes_nothing(kit):
    w = kit.world
    item, _ = classwide_item(kit)
    plan = meeting_record_classwide_decision(
        meeting=item.meeting, item=item, type="start_classwide", actor=w.team_member
    ).plan
    with pytest.raises(ValidationError):
        classwide_plan_record_check(
            plan=plan,
            date=today(),
            scores={w.student.pk: 80, w.classmate.pk: 80},
            actor=w.team_member,
        )
    assert ClasswidePlan.objects.get(pk=plan.pk).checks == []


# --- entry points -----------------------------------------------------------------------


def test_the_api_decision_endpoint_records_a_classwide_decision(kit):
    item, _ = classwide_item(kit)
    client = APIClient()
    client.force_authenticate(kit.world.team_member)
    refused = client.post(
        "/api/v1/decisions/",
        {"meeting": item.meeting.pk, "item": item.pk, "type": "continue_core"},
        format="json",
    )
    assert refused.status_code == 400
    response = client.post(
        "/api/v1/decisions/",
        {"meeting": item.meeting.pk, "item": item.pk, "type": "start_classwide"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["type"], body["follows_rule"], body["kind"]) == (
        "start_classwide",
        True,
        "classwide",
    )
    assert ClasswidePlan.objects.filter(pk=body["classwide_plan"]).exists()


def test_meeting_mode_shows_the_form_and_records_the_decision(kit, client):
    item, _ = classwide_item(kit)
    client.force_login(kit.world.team_member)
    page = client.get(f"/meetings/{item.meeting.pk}/run/{item.pk}/")
    assert page.status_code == 200
    assert "Start a classwide intervention" in page.content.decode()
    url = f"/meetings/{item.meeting.pk}/run/{item.pk}/classwide/"
    bad = client.post(url, {"type": "continue_core", "rationale": ""})
    assert bad.status_code == 400
    assert "Say why the class continues core instruction" in bad.content.decode()
    ok = client.post(url, {"type": "continue_core", "rationale": "Core curriculum is new."})
    assert ok.status_code == 302
    page = client.get(f"/meetings/{item.meeting.pk}/run/{item.pk}/").content.decode()
    assert "Against the rules" in page and "Core curriculum is new." in page


def test_the_same_form_sent_twice_records_one_decision(kit):
    item, _ = classwide_item(kit)
    first = meeting_record_classwide_decision(
        meeting=item.meeting,
        item=item,
        type="continue_core",
        rationale="New core curriculum.",
        actor=kit.world.team_member,
        idempotency_key="k-1",
    )
    again = meeting_record_classwide_decision(
        meeting=item.meeting,
        item=item,
        type="continue_core",
        rationale="New core curriculum.",
        actor=kit.world.team_member,
        idempotency_key="k-1",
    )
    assert again.pk == first.pk
    assert ClasswideDecision.objects.count() == 1


def test_the_api_records_a_check_for_the_team_only(kit):
    w = kit.world
    item, _ = classwide_item(kit)
    plan = meeting_record_classwide_decision(
        meeting=item.meeting, item=item, type="start_classwide", actor=w.team_member
    ).plan
    url = f"/api/v1/classwide-plans/{plan.pk}/checks/"
    body = {"date": plan.start_date.isoformat(), "scores": [{"student": w.student.pk, "score": 72}]}
    teacher = APIClient()
    teacher.force_authenticate(w.teacher)
    assert teacher.post(url, body, format="json").status_code == 404
    team = APIClient()
    team.force_authenticate(w.team_member)
    response = team.post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["checks"] == [
        {"date": plan.start_date.isoformat(), "median": 72.0, "n": 1}
    ]
    stranger = {"date": "2099-01-01", "scores": [{"student": w.classmate.pk, "score": 90}]}
    assert team.post(url, stranger, format="json").status_code == 400
    listed = team.get(f"/api/v1/classwide-plans/?section={w.section.pk}").json()["results"]
    assert [p["id"] for p in listed] == [plan.pk]
