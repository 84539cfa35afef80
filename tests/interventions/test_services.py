"""Plan services: starting with entry criteria, phases, closing with tier history, progress
scores, sessions (one plan and a whole group), fidelity observations, student ownership.

Every refusal is checked to save nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from interventions import services
from interventions.models import (
    FidelityObservation,
    InterventionPlan,
    InterventionSession,
    PlanPhase,
    ProgressScore,
    SelfRating,
    TierPlacement,
)
from mtss.errors import ApplicationError
from students.models import AccessLog
from tests.factories import StudentFactory
from tests.interventions.conftest import at_risk, days_ago, start_plan, today

pytestmark = pytest.mark.django_db


# -- starting a plan ---------------------------------------------------------------------


def test_it_starts_a_plan_with_phase_one_and_a_tier_2_placement(world, kit):
    plan = start_plan(world, kit)
    assert plan.status == "active"
    assert plan.entry_criteria_met is True
    assert plan.entry_check["met"] is True
    assert "some risk" in " ".join(plan.entry_check["reasons"])
    assert plan.phase_start == days_ago(70)
    assert plan.planned_weeks == 12  # from the catalog entry
    [phase] = PlanPhase.objects.filter(plan=plan)
    assert (phase.number, phase.goal, phase.baseline) == (1, Decimal("72"), Decimal("42"))
    [placement] = TierPlacement.objects.filter(student=world.student)
    assert (placement.domain, placement.tier, placement.end_date) == ("reading", 2, None)
    assert placement.plan == plan
    assert AccessLog.objects.filter(object_type="intervention_plan", action="create").count() == 1


def test_it_refuses_a_student_who_does_not_meet_the_entry_criteria_without_a_reason(world, kit):
    at_risk(world.student, kit, level="at_or_above")
    with pytest.raises(ValidationError) as caught:
        start_plan(world, kit)
    message = " ".join(caught.value.message_dict["entry_override_reason"])
    assert "does not meet the entry criteria" in message
    assert "at or above benchmark" in message
    assert not InterventionPlan.objects.exists()
    assert not TierPlacement.objects.exists()


def test_it_places_a_student_outside_the_criteria_when_a_reason_is_given(world, kit):
    at_risk(world.student, kit, level="at_or_above")
    plan = start_plan(world, kit, entry_override_reason="Teacher data show decoding gaps")
    assert plan.entry_criteria_met is False
    assert plan.entry_override_reason == "Teacher data show decoding gaps"


def test_it_refuses_a_student_with_no_screening_result_unless_a_reason_is_given(world, kit):
    student = StudentFactory(school=world.school, grade=3)
    with pytest.raises(ValidationError) as caught:
        services.plan_start(
            student=student,
            intervention=kit.phonics,
            tier=2,
            domain="reading",
            measure=kit.orf,
            interventionist=world.interventionist,
            start_date=days_ago(7),
            baseline=40,
            goal=60,
            goal_date=days_ago(7) + dt.timedelta(weeks=12),
            sessions_per_week=5,
            minutes_per_session=30,
            actor=world.team_member,
        )
    assert "No screening result in reading yet" in str(caught.value)


def test_it_explains_each_wrong_field_and_saves_nothing(world, kit):
    with pytest.raises(ValidationError) as caught:
        start_plan(
            world,
            kit,
            tier=3,
            intervention=kit.fluency,  # tier 2 only
            measure=kit.dbr,  # a behavior measure for a reading plan
            goal_date=days_ago(80),  # before the start
            sessions_per_week=9,
        )
    errors = caught.value.message_dict
    assert errors["tier"] == ["Repeated reading is meant for Tier 2."]
    assert "measures behavior, not reading" in errors["measure"][0]
    assert errors["sessions_per_week"] == ["Sessions per week must be 1 to 7."]
    assert not InterventionPlan.objects.exists()


def test_it_refuses_a_goal_below_the_baseline_on_a_higher_is_better_measure(world, kit):
    with pytest.raises(ValidationError) as caught:
        start_plan(world, kit, baseline=50, goal=45)
    assert "set a goal above the baseline (50)" in caught.value.message_dict["goal"][0]


def test_it_refuses_a_baseline_outside_the_measures_range(world, kit):
    with pytest.raises(ValidationError) as caught:
        start_plan(world, kit, baseline=400)
    assert "from 0 to 250; 400 is outside that range" in caught.value.message_dict["baseline"][0]


def test_it_refuses_a_second_active_plan_with_the_same_intervention(world, kit):
    start_plan(world, kit)
    with pytest.raises(ApplicationError, match="already has an active Phonics small group plan"):
        start_plan(world, kit)
    assert InterventionPlan.objects.count() == 1


def test_it_lets_only_the_team_and_administrators_start_plans_for_new_students(world, kit):
    for persona in ("teacher", "other_teacher", "interventionist", "nobody"):
        with pytest.raises(PermissionDenied):
            start_plan(world, kit, actor=world.persona(persona))
    for persona in ("principal", "district_admin"):
        plan = start_plan(world, kit, actor=world.persona(persona))
        services.plan_close(
            plan=plan, status="discontinued", exit_reason="test", actor=world.principal
        )


def test_it_lets_an_interventionist_add_a_plan_they_deliver_for_a_caseload_student(world, kit):
    start_plan(world, kit)
    second = start_plan(
        world,
        kit,
        intervention=kit.fluency,
        actor=world.interventionist,
        entry_override_reason="",
    )
    assert second.created_by == world.interventionist
    # ... but not a plan someone else delivers.
    with pytest.raises(PermissionDenied):
        start_plan(
            world,
            kit,
            intervention=kit.cico,
            domain="behavior",
            measure=kit.dbr,
            baseline=8,
            goal=3,
            interventionist=world.team_member,
            actor=world.interventionist,
        )


# -- phases, closing and tier history ------------------------------------------------------


def test_it_starts_a_new_phase_from_the_last_three_points_and_keeps_the_first(world, kit):
    plan = start_plan(world, kit)
    for days, score in ((63, 44), (56, 47), (49, 45), (42, 50)):
        services.progress_record(
            plan=plan, date=days_ago(days), score=score, actor=world.interventionist
        )
    phase = services.plan_change_phase(
        plan=plan,
        intervention=kit.fluency,
        goal=80,
        reason="Decoding is secure; fluency is the need",
        actor=world.interventionist,
        start_date=days_ago(35),
    )
    plan.refresh_from_db()
    assert phase.number == 2
    # median of the last three points before the change: 47, 45, 50 -> 47
    assert phase.baseline == Decimal("47.00")
    assert (plan.intervention, plan.goal, plan.baseline) == (
        kit.fluency,
        Decimal("80"),
        Decimal("47"),
    )
    assert plan.phase_start == days_ago(35)
    assert [p.number for p in plan.phases.all()] == [1, 2]
    assert plan.phases.get(number=1).intervention == kit.phonics


def test_it_refuses_a_phase_change_without_a_reason_or_a_change(world, kit):
    plan = start_plan(world, kit)
    with pytest.raises(ValidationError) as caught:
        services.plan_change_phase(plan=plan, reason=" ", actor=world.interventionist)
    errors = caught.value.message_dict
    assert "reason" in errors
    assert errors["non_field_errors"] == [
        "Nothing changes: choose another intervention, goal or goal date."
    ]
    assert plan.phases.count() == 1


def test_it_closes_a_plan_and_moves_the_student_back_to_tier_1(world, kit):
    plan = start_plan(world, kit)
    services.plan_close(
        plan=plan, status="completed", exit_reason="Goal met on 3 points", actor=world.team_member
    )
    plan.refresh_from_db()
    assert (plan.status, plan.end_date, plan.exit_reason) == (
        "completed",
        today(),
        "Goal met on 3 points",
    )
    history = list(TierPlacement.objects.filter(student=world.student).order_by("start_date", "pk"))
    assert [(p.tier, p.start_date, p.end_date) for p in history] == [
        (2, days_ago(70), today()),
        (1, today(), None),
    ]
    assert "Goal met on 3 points" in history[1].decision_note


def test_it_keeps_the_higher_tier_while_another_plan_in_the_domain_is_active(world, kit):
    tier3 = start_plan(world, kit, tier=3)
    tier2 = start_plan(world, kit, intervention=kit.fluency, tier=2)
    assert TierPlacement.objects.get(student=world.student, end_date=None).tier == 3
    services.plan_close(plan=tier3, status="completed", exit_reason="Faded", actor=world.principal)
    assert TierPlacement.objects.get(student=world.student, end_date=None).tier == 2
    with pytest.raises(ValidationError):
        services.plan_close(
            plan=tier2, status="completed", exit_reason="x", next_tier=4, actor=world.principal
        )


def test_it_lets_only_the_team_close_a_plan(world, kit):
    plan = start_plan(world, kit)
    with pytest.raises(PermissionDenied):
        services.plan_close(
            plan=plan, status="completed", exit_reason="x", actor=world.interventionist
        )
    assert InterventionPlan.objects.get(pk=plan.pk).status == "active"


def test_it_records_a_team_placement_that_starts_no_plan(world):
    first = services.tier_place(
        student=world.student,
        domain="behavior",
        tier=2,
        start_date=days_ago(30),
        actor=world.team_member,
        decision_note="Meeting 12 Oct",
    )
    assert first is not None
    assert (
        services.tier_place(
            student=world.student,
            domain="behavior",
            tier=2,
            start_date=days_ago(10),
            actor=world.team_member,
        )
        is None
    )
    services.tier_place(
        student=world.student,
        domain="behavior",
        tier=1,
        start_date=days_ago(5),
        actor=world.team_member,
    )
    assert list(
        TierPlacement.objects.filter(student=world.student).values_list("tier", "end_date")
    ) in (
        [(2, days_ago(5)), (1, None)],
        [(1, None), (2, days_ago(5))],
    )


# -- progress scores ---------------------------------------------------------------------


def test_it_records_a_progress_score_and_corrects_it_on_the_same_day(world, kit):
    plan = start_plan(world, kit)
    services.progress_record(plan=plan, date=days_ago(7), score="48", actor=world.interventionist)
    services.progress_record(plan=plan, date=days_ago(7), score="49.5", actor=world.interventionist)
    assert list(ProgressScore.objects.values_list("date", "score")) == [
        (days_ago(7), Decimal("49.5"))
    ]
    assert list(
        AccessLog.objects.filter(object_type="progress_score")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["create", "update"]


@pytest.mark.parametrize(
    ("date_days_ago", "score", "field", "message"),
    [
        (
            7,
            "251",
            "score",
            "Oral reading fluency scores go from 0 to 250; 251 is outside that range.",
        ),
        (
            7,
            "-1",
            "score",
            "Oral reading fluency scores go from 0 to 250; -1 is outside that range.",
        ),
        (7, "forty", "score", "'forty' is not a number. Enter a number, like 42."),
        (71, "45", "date", "is before the plan started"),
        (-1, "45", "date", "is in the future"),
    ],
)
def test_it_refuses_bad_progress_scores_and_saves_nothing(
    world, kit, date_days_ago, score, field, message
):
    plan = start_plan(world, kit)
    with pytest.raises(ValidationError) as caught:
        services.progress_record(
            plan=plan, date=days_ago(date_days_ago), score=score, actor=world.interventionist
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert not ProgressScore.objects.exists()
    assert not AccessLog.objects.filter(object_type="progress_score").exists()


def test_it_refuses_scores_and_sessions_on_a_completed_plan(world, kit):
    plan = start_plan(world, kit)
    services.plan_close(
        plan=plan, status="completed", exit_reason="Goal met", actor=world.team_member
    )
    with pytest.raises(
        ApplicationError, match="This plan is completed: progress scores can't be added"
    ):
        services.progress_record(plan=plan, date=days_ago(1), score=50, actor=world.interventionist)
    with pytest.raises(ApplicationError, match="This plan is completed: sessions can't be added"):
        services.session_log(
            plan=plan, date=days_ago(1), minutes=30, attended=True, actor=world.interventionist
        )
    assert not ProgressScore.objects.exists()
    assert not InterventionSession.objects.exists()


def test_it_refuses_data_from_a_teacher_of_the_student(world, kit):
    plan = start_plan(world, kit)
    with pytest.raises(PermissionDenied):
        services.progress_record(plan=plan, date=days_ago(1), score=50, actor=world.teacher)


# -- sessions ------------------------------------------------------------------------------


def test_it_logs_a_session_for_a_whole_group_at_once(world, kit):
    a = start_plan(world, kit, group=kit.group)
    other = StudentFactory(school=world.school, first_name="Ben", last_name="Baker")
    b = start_plan(world, kit, student=other, group=kit.group)
    late = StudentFactory(school=world.school, first_name="Cy", last_name="Hill")
    start_plan(world, kit, student=late, group=kit.group, start_date=days_ago(1))
    sessions = services.session_log(
        group=kit.group,
        date=days_ago(3),
        minutes=30,
        attended={a.pk: True, b.pk: False},
        actor=world.interventionist,
    )
    assert len(sessions) == 2  # Cy's plan started after that day
    assert set(
        InterventionSession.objects.values_list("plan_id", "attended", "minutes", "group_id")
    ) == {
        (a.pk, True, 30, kit.group.pk),
        (b.pk, False, 30, kit.group.pk),
    }
    # Logging the day again replaces it.
    services.session_log(
        group=kit.group,
        date=days_ago(3),
        minutes=25,
        attended={a.pk: True, b.pk: True},
        actor=world.interventionist,
    )
    assert InterventionSession.objects.count() == 2
    assert set(InterventionSession.objects.values_list("attended", "minutes")) == {(True, 25)}


def test_it_asks_about_every_student_of_the_group(world, kit):
    a = start_plan(world, kit, group=kit.group)
    b = start_plan(
        world,
        kit,
        student=StudentFactory(school=world.school, first_name="Ben", last_name="Baker"),
        group=kit.group,
    )
    with pytest.raises(ValidationError) as caught:
        services.session_log(
            group=kit.group,
            date=days_ago(3),
            minutes=30,
            attended={a.pk: True},
            actor=world.interventionist,
        )
    assert caught.value.message_dict["attended"] == ["Say whether Ben Baker attended."]
    assert b.sessions.count() == 0 and a.sessions.count() == 0


def test_it_refuses_a_session_in_the_future_or_of_zero_minutes(world, kit):
    plan = start_plan(world, kit)
    with pytest.raises(ValidationError) as caught:
        services.session_log(
            plan=plan, date=days_ago(-2), minutes=0, attended=True, actor=world.interventionist
        )
    assert set(caught.value.message_dict) == {"date", "minutes"}
    assert not InterventionSession.objects.exists()


# -- fidelity observations and student ownership -------------------------------------------


def test_it_turns_a_fidelity_checklist_into_a_percentage(world, kit):
    plan = start_plan(world, kit)
    obs = services.fidelity_observation_record(
        plan=plan, date=days_ago(2), answers=[True, True, False, True], observer=world.team_member
    )
    assert obs.percentage == Decimal("75.00")  # 3 of 4 items
    assert obs.answers[2] == {"item": "Each student read", "done": False}
    with pytest.raises(ValidationError):
        services.fidelity_observation_record(
            plan=plan, date=days_ago(2), answers=[True], observer=world.team_member
        )
    assert FidelityObservation.objects.count() == 1


def test_it_records_the_students_goal_and_self_ratings(world, kit):
    plan = start_plan(world, kit)
    services.goal_statement_record(
        plan=plan,
        text="Read a chapter book to my sister",
        date=days_ago(60),
        actor=world.interventionist,
    )
    services.self_rating_record(
        plan=plan, date=days_ago(7), rating=4, note="Easier now", actor=world.interventionist
    )
    with pytest.raises(ValidationError):
        services.self_rating_record(
            plan=plan, date=days_ago(7), rating=6, actor=world.interventionist
        )
    assert list(SelfRating.objects.values_list("rating", flat=True)) == [4]
    assert plan.goal_statements.get().text == "Read a chapter book to my sister"


# -- stored progress figures -------------------------------------------------------------


def test_every_point_session_and_phase_change_stores_the_plans_figures_at_once(world, kit):
    """The dashboards read PlanProgress: it must match the plan's points and sessions after
    each change made through the services (worked by hand: scores 40, 43, 46 a week apart
    rise 3 a week; 2 of 3 planned sessions a week attended)."""
    from interventions.models import PlanProgress

    plan = start_plan(
        world, kit, start_date=days_ago(14), baseline="40", goal="70", sessions_per_week=3
    )
    stored = PlanProgress.objects.get(plan=plan)
    assert (stored.points, stored.trend_slope, stored.fidelity) == (0, None, None)
    for week, score in enumerate((40, 43, 46)):
        services.progress_record(
            plan=plan, date=days_ago(14 - 7 * week), score=score, actor=world.interventionist
        )
    for day in (14, 12, 7, 5, 0):
        services.session_log(
            plan=plan,
            date=days_ago(day),
            minutes=30,
            attended=day != 12,
            actor=world.interventionist,
        )
    stored.refresh_from_db()
    assert stored.points == 3 and stored.latest == today()
    assert stored.trend_slope == pytest.approx(3.0)
    # 4 attended of 3 a week over 15 days (3 x 15 / 7 = 6.43 planned).
    assert stored.fidelity == pytest.approx(4 / (3 * 15 / 7))
    assert stored.goal_streak == 0

    services.plan_change_phase(
        plan=plan,
        actor=world.team_member,
        goal="45",
        goal_date=today() + dt.timedelta(weeks=8),
        start_date=days_ago(7),
        reason="Goal lowered for the new phase",
    )
    stored.refresh_from_db()
    # The new phase counts from a week ago: 43 then 46, and only the last is at the goal 45.
    assert stored.points == 2 and stored.goal_streak == 1
