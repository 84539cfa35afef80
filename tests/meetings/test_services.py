"""Meeting services against the real database: agenda preparation, every decision type's
effects (and their rollback), conflicts, closing, series, concerns and action items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from decisions.models import Flag
from interventions import services as plan_services
from interventions.models import InterventionPlan, PlanPhase, TierPlacement
from meetings import services
from meetings.models import ActionItem, AgendaItem, Concern, Decision, Meeting
from mtss.errors import ApplicationError
from tests.factories import StudentFactory
from tests.meetings.conftest import Kit, days_ago, today

pytestmark = pytest.mark.django_db


def prepare(kit: Kit, meeting: Meeting | None = None) -> list[AgendaItem]:
    services.meeting_prepare_agenda(meeting=meeting or kit.meeting, actor=kit.world.team_member)
    return list(AgendaItem.objects.filter(meeting=meeting or kit.meeting).order_by("position"))


def item_of(kit: Kit, student) -> AgendaItem:
    return AgendaItem.objects.get(meeting=kit.meeting, student=student)


def status_of(flag: Flag) -> str:
    return Flag.objects.get(pk=flag.pk).status


def open_tier(student, domain: str = "reading") -> int | None:
    placement = TierPlacement.objects.filter(
        student=student, domain=domain, end_date__isnull=True
    ).first()
    return placement.tier if placement else None


# -- the agenda --------------------------------------------------------------------------------


def test_it_prepares_one_item_per_student_in_priority_order_for_the_meetings_school_only(kit):
    w = kit.world
    ben = StudentFactory(school=w.school, first_name="Ben", last_name="Cole")
    maria_reading = kit.flag(w.student, tier=2, domain="reading")
    maria_behavior = kit.flag(w.student, kind="odr", tier=3, domain="behavior")
    liam = kit.flag(w.classmate, tier=2, domain="math")
    ben_exit = kit.flag(ben, kind="progress_exit", tier=2, domain="reading")
    elsewhere = kit.flag(w.other_student, tier=3)

    items = prepare(kit)

    # Maria (Tier 3 referrals) first, Liam (Tier 2), then Ben (exit); Noah's school is not
    # this meeting's.
    assert [i.student_id for i in items] == [w.student.pk, w.classmate.pk, ben.pk]
    assert {f.pk for f in items[0].flags.all()} == {maria_reading.pk, maria_behavior.pk}
    assert [i.position for i in items] == [1, 2, 3]
    for flag in (maria_reading, maria_behavior, liam, ben_exit):
        assert status_of(flag) == "on_agenda"
    assert status_of(elsewhere) == "open"


def test_it_adds_only_what_is_new_when_prepared_again(kit):
    w = kit.world
    kit.flag(w.student, tier=3)
    prepare(kit)
    kit.flag(w.student, kind="odr", tier=2, domain="behavior")  # a new flag of Maria
    kit.flag(w.classmate, tier=2)
    items = prepare(kit)
    assert [i.student_id for i in items] == [w.student.pk, w.classmate.pk]
    # Maria was already on the agenda: no second item, her new flag waits for the next meeting.
    assert AgendaItem.objects.filter(meeting=kit.meeting, student=w.student).count() == 1


def test_it_proposes_plans_due_for_review_and_not_those_reviewed_recently(kit):
    w = kit.world
    ben = StudentFactory(school=w.school, first_name="Ben", last_name="Cole")
    due = kit.plan(w.student)  # started 70 days ago, never reviewed
    reviewed = kit.plan(ben)
    past = services.meeting_create(
        school=w.school,
        kind="problem_solving",
        scheduled_at=timezone.now() - dt.timedelta(weeks=2),
        actor=w.team_member,
    )
    services.meeting_record_decision(
        meeting=past, item=None, student=ben, type="continue", plan=reviewed, actor=w.team_member
    )
    items = prepare(kit)
    assert [i.student_id for i in items] == [w.student.pk]
    assert [p.pk for p in items[0].plans.all()] == [due.pk]
    assert items[0].reason == "Plan due for review"


def test_it_puts_a_teachers_concern_on_the_agenda(kit):
    w = kit.world
    concern = services.concern_submit(
        student=w.student, note="Reads far below the class since October.", actor=w.teacher
    )
    items = prepare(kit)
    assert [i.student_id for i in items] == [w.student.pk]
    assert list(items[0].concerns.all()) == [concern]
    assert Concern.objects.get(pk=concern.pk).status == "on_agenda"


def test_it_lets_a_teacher_raise_a_concern_only_about_their_own_students(kit):
    w = kit.world
    with pytest.raises(PermissionDenied):
        services.concern_submit(student=w.classmate, note="Please look at Liam.", actor=w.teacher)
    with pytest.raises(ValidationError):
        services.concern_submit(student=w.student, note="   ", actor=w.teacher)
    assert not Concern.objects.exists()


def test_it_builds_a_grade_level_agenda_with_summary_classwide_problem_and_the_grades_flags(kit):
    w = kit.world
    fall = kit.screening.fall
    younger = StudentFactory(school=w.school, grade=2, first_name="Zoe", last_name="Young")
    kit.at_risk(w.student, "high_risk")
    kit.at_risk(w.classmate, "some_risk")
    classwide = kit.flag(
        None, kind="classwide", tier=2, section=w.section, measure=kit.orf, window=fall
    )
    maria = kit.flag(w.student, tier=3, window=fall)
    kit.flag(younger, tier=3, window=fall)  # grade 2: not this meeting's grade
    kit.flag(w.classmate, kind="odr", tier=2, domain="behavior")  # not a screening flag
    meeting = services.meeting_create(
        school=w.school,
        kind="grade_level",
        grade=3,
        window=fall,
        scheduled_at=timezone.now(),
        actor=w.principal,
    )
    items = prepare(kit, meeting)
    assert [(i.kind, i.student_id) for i in items] == [
        ("summary", None),
        ("classwide", None),
        ("student", w.student.pk),
    ]
    summary = items[0].data["measures"][0]
    # Grade 3 at the school: Maria and Liam (both screened). Maria high risk, Liam some risk.
    assert (summary["screened"], summary["high_risk"], summary["some_risk"]) == (2, 1, 1)
    assert items[0].data["enrolled"] == 2
    assert list(items[1].flags.all()) == [classwide]
    assert status_of(maria) == "on_agenda"


def test_it_moves_items_up_and_down(kit):
    w = kit.world
    kit.flag(w.student, tier=3)
    kit.flag(w.classmate, tier=2)
    first, second = prepare(kit)
    services.agenda_item_move(item=second, direction="up", actor=w.team_member)
    assert list(
        AgendaItem.objects.filter(meeting=kit.meeting)
        .order_by("position")
        .values_list("student_id", flat=True)
    ) == [w.classmate.pk, w.student.pk]
    # The first item cannot go further up: nothing changes.
    services.agenda_item_move(item=second, direction="up", actor=w.team_member)
    assert AgendaItem.objects.get(pk=second.pk).position == 1


def test_it_takes_an_item_off_the_agenda_and_reopens_its_flags(kit):
    w = kit.world
    flag = kit.flag(w.student, tier=3)
    (item,) = prepare(kit)
    services.agenda_item_remove(item=item, actor=w.team_member)
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert status_of(flag) == "open"


def test_it_adds_a_student_with_their_open_flags(kit):
    w = kit.world
    flag = kit.flag(w.classmate, tier=2)
    item = services.agenda_item_add(meeting=kit.meeting, student=w.classmate, actor=w.principal)
    assert list(item.flags.all()) == [flag]
    assert status_of(flag) == "on_agenda"
    with pytest.raises(ApplicationError):
        services.agenda_item_add(meeting=kit.meeting, student=w.classmate, actor=w.principal)
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=kit.meeting, student=w.other_student, actor=w.principal)


def test_it_refuses_agenda_changes_by_people_outside_the_schools_team(kit):
    w = kit.world
    for persona in (w.teacher, w.interventionist, w.other_teacher, w.nobody):
        with pytest.raises(PermissionDenied):
            services.meeting_prepare_agenda(meeting=kit.meeting, actor=persona)
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.district_admin)


# -- decisions: effects ------------------------------------------------------------------------


def decide(kit: Kit, student, type: str, **kwargs) -> Decision:
    item = AgendaItem.objects.filter(meeting=kit.meeting, student=student).first()
    if item is None:
        item = services.agenda_item_add(
            meeting=kit.meeting, student=student, actor=kit.world.team_member
        )
    return services.meeting_record_decision(
        meeting=kit.meeting, item=item, type=type, actor=kit.world.team_member, **kwargs
    )


def placement_kwargs(kit: Kit, **extra) -> dict:
    values = dict(
        intervention=kit.fluency,
        interventionist=kit.world.interventionist,
        measure=kit.orf,
        goal=Decimal("90"),
        goal_date=today() + dt.timedelta(weeks=12),
        sessions_per_week=4,
        minutes_per_session=30,
    )
    values.update(extra)
    return values


def test_it_places_in_tier_2_with_a_new_plan_tier_history_and_the_flag_accepted(kit):
    w = kit.world
    flag = kit.flag(w.student, tier=2)
    prepare(kit)
    decision = decide(kit, w.student, "place_tier2", **placement_kwargs(kit))

    plan = InterventionPlan.objects.get(student=w.student, status="active")
    assert (plan.intervention, plan.tier, plan.interventionist) == (
        kit.fluency,
        2,
        w.interventionist,
    )
    assert (plan.sessions_per_week, plan.minutes_per_session) == (4, 30)
    assert open_tier(w.student) == 2
    assert status_of(flag) == "accepted"
    assert decision.plan == plan
    assert decision.follows_rule is True and decision.is_override is False
    assert list(decision.flags.all()) == [flag]
    assert decision.details["review_date"] == (today() + dt.timedelta(weeks=6)).isoformat()
    assert item_of(kit, w.student).status == "discussed"


def test_it_places_in_tier_3_only_with_a_reason_when_entry_criteria_are_not_met(kit):
    w = kit.world
    flag = kit.flag(w.student, tier=3)
    prepare(kit)
    # Phonics wants some or high reading risk; Maria has no screening score.
    with pytest.raises(ValidationError) as refused:
        decide(kit, w.student, "place_tier3", **placement_kwargs(kit, intervention=kit.phonics))
    assert "entry_override_reason" in refused.value.message_dict
    assert not InterventionPlan.objects.filter(student=w.student).exists()
    assert status_of(flag) == "on_agenda"

    decision = decide(
        kit,
        w.student,
        "place_tier3",
        rationale="Teacher's running records show she reads at a K level.",
        **placement_kwargs(kit, intervention=kit.phonics),
    )
    plan = decision.plan
    assert plan.tier == 3 and plan.entry_criteria_met is False
    assert plan.entry_override_reason == "Teacher's running records show she reads at a K level."
    assert open_tier(w.student) == 3
    assert decision.follows_rule is True  # Tier 3 recommended, Tier 3 placed
    assert status_of(flag) == "accepted"


def test_it_continues_a_plan_without_changing_it(kit):
    w = kit.world
    plan = kit.plan(w.student)
    flag = kit.flag(w.student, kind="progress_improve_fidelity", tier=2, plan=plan)
    prepare(kit)
    decision = decide(kit, w.student, "continue", plan=plan)
    plan.refresh_from_db()
    assert plan.status == "active" and plan.phases.count() == 1
    assert decision.follows_rule is True
    assert status_of(flag) == "accepted"
    assert decision.details["intervention"] == "Phonics small group"


def test_it_modifies_a_plan_by_starting_a_new_phase(kit):
    w = kit.world
    plan = kit.plan(w.student)
    flag = kit.flag(w.student, kind="progress_raise_goal", tier=2, plan=plan)
    prepare(kit)
    decision = decide(
        kit,
        w.student,
        "modify_plan",
        plan=plan,
        goal=Decimal("85"),
        rationale="Above the aim line for 4 weeks.",
    )
    plan.refresh_from_db()
    assert plan.goal == Decimal("85")
    assert list(PlanPhase.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]
    assert decision.follows_rule is True
    assert status_of(flag) == "accepted"


def test_it_intensifies_with_more_time_or_a_move_to_tier_3(kit):
    w = kit.world
    plan = kit.plan(w.student)  # 4x30
    kit.progress(plan, [42, 43, 43, 44])  # delivered as written; too few points to judge
    with pytest.raises(ValidationError):
        decide(kit, w.student, "intensify", plan=plan, sessions_per_week=3)  # that is less
    d = decide(kit, w.student, "intensify", plan=plan, sessions_per_week=5, minutes_per_session=40)
    assert d.follows_rule is None and d.judged_basis == "not_enough_data"
    plan.refresh_from_db()
    assert (plan.sessions_per_week, plan.minutes_per_session) == (5, 40)
    assert open_tier(w.student) == 2

    decision = decide(
        kit, w.student, "intensify", plan=plan, tier=3, rationale="Not responding after two phases."
    )
    plan.refresh_from_db()
    assert plan.status == "discontinued"
    new = decision.plan
    assert (new.tier, new.intervention, new.status) == (3, kit.phonics, "active")
    assert new.goal == plan.goal
    assert open_tier(w.student) == 3


def test_it_fades_with_less_time_or_a_move_to_tier_2(kit):
    w = kit.world
    plan = kit.plan(w.student, tier=3, sessions_per_week=5, minutes_per_session=45)
    decide(kit, w.student, "fade", plan=plan, sessions_per_week=3)
    plan.refresh_from_db()
    assert (plan.sessions_per_week, plan.minutes_per_session) == (3, 45)
    decision = decide(kit, w.student, "fade", plan=plan, tier=2)
    assert decision.plan.tier == 2 and open_tier(w.student) == 2


def test_it_exits_a_plan_and_returns_the_student_to_tier_1(kit):
    w = kit.world
    plan = kit.plan(w.student)
    flag = kit.flag(w.student, kind="progress_exit", tier=2, plan=plan)
    prepare(kit)
    decision = decide(kit, w.student, "exit", plan=plan, rationale="Goal met 3 times in a row.")
    plan.refresh_from_db()
    assert plan.status == "completed" and plan.exit_reason == "Goal met 3 times in a row."
    assert open_tier(w.student) == 1
    assert decision.tier == 1 and decision.follows_rule is True
    assert status_of(flag) == "accepted"


def test_it_refers_for_evaluation_without_touching_plans(kit):
    w = kit.world
    plan = kit.plan(w.student)
    flag = kit.flag(w.student, kind="dual_discrepancy", tier=3, plan=plan)
    prepare(kit)
    kit.progress(plan, [42, 43, 42, 44, 43, 44, 43, 44, 44, 45])  # delivered as written
    decision = decide(
        kit,
        w.student,
        "refer_evaluation",
        domain="reading",
        rationale="Dual discrepancy after two phases.",
    )
    plan.refresh_from_db()
    assert plan.status == "active"
    # The plan was delivered as written, so the fidelity gate lets the referral through, and
    # the plan's own analysis (far below its aim line: change) is what it follows.
    assert decision.follows_rule is True and decision.judged_basis == "plan"
    assert decision.judged_evidence["analysis"] == "change_intervention"
    assert status_of(flag) == "accepted"


def test_a_referral_on_lack_of_response_is_held_by_the_fidelity_gate(kit):
    w = kit.world
    plan = kit.plan(w.student)
    kit.progress(plan, [42, 43, 42, 44, 43, 44, 43, 44, 44, 45], delivered=0.5)
    kit.flag(w.student, kind="dual_discrepancy", tier=3, plan=plan)
    prepare(kit)
    with pytest.raises(ValidationError) as refused:
        decide(kit, w.student, "refer_evaluation", domain="reading")
    assert "fidelity" in refused.value.message_dict["rationale"][0]
    decision = decide(
        kit, w.student, "refer_evaluation", domain="reading", rationale="Parents asked."
    )
    assert decision.is_override is True and decision.judged_basis == "fidelity_gate"
    assert decision.judged_evidence["plan"] == plan.pk
    assert decision.judged_evidence["fidelity"] == pytest.approx(0.5, abs=0.02)


def test_it_needs_a_reason_to_go_against_the_rule_and_marks_the_override(kit):
    w = kit.world
    flag = kit.flag(w.classmate, kind="odr", tier=3, domain="behavior")
    prepare(kit)
    with pytest.raises(ValidationError) as refused:
        decide(kit, w.classmate, "monitor")
    assert "Tier 3" in refused.value.message_dict["rationale"][0]
    assert status_of(flag) == "on_agenda"
    assert not Decision.objects.exists()

    decision = decide(kit, w.classmate, "monitor", rationale="All referrals in one bad week.")
    assert decision.is_override is True and decision.follows_rule is False
    assert decision.recommendation == "Tier 3"
    flag.refresh_from_db()
    assert flag.status == "dismissed"
    assert "All referrals in one bad week." in flag.dismissed_reason


def test_it_dismisses_a_flag_with_the_rationale(kit):
    w = kit.world
    flag = kit.flag(w.classmate, tier=2)
    prepare(kit)
    with pytest.raises(ValidationError):
        decide(kit, w.classmate, "dismiss_flag")
    decision = decide(kit, w.classmate, "dismiss_flag", rationale="New arrival; tested in Spanish.")
    flag.refresh_from_db()
    assert flag.status == "dismissed"
    assert flag.dismissed_reason == "Dismiss the flag: New arrival; tested in Spanish."
    assert decision.is_override is True


def test_it_rolls_everything_back_when_the_plan_cannot_be_created(kit):
    w = kit.world
    kit.plan(w.student, intervention=kit.fluency)  # Maria already has an active Read Naturally
    flag = kit.flag(w.student, tier=2)
    prepare(kit)
    plans_before = InterventionPlan.objects.count()
    placements_before = TierPlacement.objects.count()
    with pytest.raises(ApplicationError):
        decide(kit, w.student, "place_tier2", **placement_kwargs(kit))
    assert not Decision.objects.exists()
    assert status_of(flag) == "on_agenda"
    assert InterventionPlan.objects.count() == plans_before
    assert TierPlacement.objects.count() == placements_before
    assert item_of(kit, w.student).status == "pending"


def test_it_rolls_back_the_new_plan_when_a_flag_can_no_longer_be_accepted(kit):
    w = kit.world
    flag = kit.flag(w.student, tier=2)
    prepare(kit)
    item = item_of(kit, w.student)
    flags_as_loaded = list(item.flags.all())
    # Meanwhile the nightly sweep resolved the flag (newer data).
    Flag.objects.filter(pk=flag.pk).update(status="resolved", resolved_at=timezone.now())
    with pytest.raises(ApplicationError):
        services.meeting_record_decision(
            meeting=kit.meeting,
            item=item,
            type="place_tier2",
            flags=flags_as_loaded,
            actor=w.team_member,
            **placement_kwargs(kit),
        )
    assert not InterventionPlan.objects.filter(student=w.student).exists()
    assert not TierPlacement.objects.filter(student=w.student).exists()
    assert not Decision.objects.exists()
    assert status_of(flag) == "resolved"


def test_it_lets_only_the_schools_team_record_decisions(kit):
    w = kit.world
    kit.flag(w.student, tier=2)
    (item,) = prepare(kit)
    for persona in (w.teacher, w.interventionist, w.other_teacher):
        with pytest.raises(PermissionDenied):
            services.meeting_record_decision(
                meeting=kit.meeting, item=item, type="monitor", actor=persona, rationale="x"
            )


# -- concurrency -------------------------------------------------------------------------------


def test_it_refuses_a_stale_save_of_item_notes_and_returns_both_texts(kit):
    w = kit.world
    kit.flag(w.student, tier=2)
    (item,) = prepare(kit)
    read_by_both = item.version
    services.agenda_item_save_notes(
        item=item,
        version=read_by_both,
        notes="Mom reports reading at home nightly.",
        actor=w.team_member,
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.agenda_item_save_notes(
            item=item,
            version=read_by_both,
            notes="Try a phonics screener first.",
            actor=w.principal,
        )
    assert conflict.value.saved == {"notes": "Mom reports reading at home nightly."}
    assert conflict.value.yours == {"notes": "Try a phonics screener first."}
    item.refresh_from_db()
    assert item.notes == "Mom reports reading at home nightly."
    assert conflict.value.version == item.version == read_by_both + 1
    # Saving again from the version the conflict named works.
    services.agenda_item_save_notes(
        item=item,
        version=conflict.value.version,
        notes="Mom reports reading at home nightly.\nTry a phonics screener first.",
        actor=w.principal,
    )


def test_it_refuses_a_stale_save_of_the_meeting(kit):
    w = kit.world
    m = kit.meeting
    services.meeting_update(
        meeting=m, version=m.version, changes={"notes": "First."}, actor=w.team_member
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.meeting_update(
            meeting=m, version=m.version, changes={"notes": "Second."}, actor=w.principal
        )
    assert conflict.value.saved["notes"] == "First."
    assert conflict.value.yours["notes"] == "Second."
    assert Meeting.objects.get(pk=m.pk).notes == "First."


# -- closing and minutes -----------------------------------------------------------------------


def test_it_freezes_the_minutes_when_the_meeting_closes(kit):
    w = kit.world
    kit.flag(w.student, tier=2)
    waiting = kit.flag(w.classmate, tier=2)
    prepare(kit)
    decide(kit, w.student, "place_tier2", **placement_kwargs(kit))
    services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        description="Send home a reading log",
        due_date=today() + dt.timedelta(days=7),
        student=w.student,
        actor=w.team_member,
    )
    meeting = services.meeting_close(meeting=kit.meeting, actor=w.team_member)
    sentence = meeting.minutes_data["decisions"][0]["sentence"]
    assert sentence.startswith("Maria G. will receive Read Naturally (Tier 2) from")
    assert "4x30 min a week" in sentence
    assert "Send home a reading log" in meeting.minutes_text
    # The flag nobody decided on goes back to open for the next meeting.
    assert status_of(waiting) == "open"

    # Later the interventionist changes the plan: the minutes stay as decided.
    plan = InterventionPlan.objects.get(student=w.student, status="active")
    plan_services.plan_update(plan=plan, actor=None, sessions_per_week=2)
    assert (
        services.minutes_for(Meeting.objects.get(pk=meeting.pk))["decisions"][0]["sentence"]
        == sentence
    )
    with pytest.raises(ApplicationError):
        decide(kit, w.classmate, "monitor", rationale="too late")


def test_it_schedules_a_series_every_n_weeks_at_the_same_local_time(kit):
    w = kit.world
    start = timezone.make_aware(dt.datetime(2026, 10, 20, 15, 30))
    meeting = services.meeting_create(
        school=w.school,
        kind="problem_solving",
        scheduled_at=start,
        actor=w.principal,
        facilitator=w.team_member,
        attendees=[w.team_member],
    )
    created = services.meeting_schedule_series(
        meeting=meeting, every_weeks=2, count=3, actor=w.principal
    )
    local = [timezone.localtime(m.scheduled_at) for m in created]
    # The clocks change on 1 November (Chicago): the meetings stay at 15:30 local time.
    assert [(t.date(), t.hour, t.minute) for t in local] == [
        (dt.date(2026, 11, 3), 15, 30),
        (dt.date(2026, 11, 17), 15, 30),
        (dt.date(2026, 12, 1), 15, 30),
    ]
    assert {m.series_id for m in created} == {Meeting.objects.get(pk=meeting.pk).series_id}
    assert all(list(m.attendees.all()) == [w.team_member] for m in created)


def test_it_lets_the_owner_mark_an_action_item_done(kit):
    w = kit.world
    item = services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        description="Share the plan with the family",
        due_date=days_ago(1),
        actor=w.team_member,
    )
    done = services.action_item_set_status(item=item, status="done", actor=w.teacher)
    assert done.status == "done" and done.completed_at is not None
    with pytest.raises(PermissionDenied):
        services.action_item_set_status(item=done, status="open", actor=w.other_teacher)
    with pytest.raises(ValidationError):
        services.action_item_create(
            meeting=kit.meeting,
            owner=w.other_teacher,
            description="x",
            due_date=today(),
            actor=w.team_member,
        )
    assert ActionItem.objects.count() == 1
