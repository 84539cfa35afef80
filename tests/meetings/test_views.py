"""Meeting pages: who sees what, meeting mode's card (constant queries), decisions and
conflicts through the forms, minutes and CSV, the home page's action items, the profile card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.models import Flag
from interventions import services as plan_services
from interventions.models import InterventionPlan
from meetings import services
from meetings.models import AgendaItem, Concern, Meeting
from screening.models import Referral, ScreeningScore
from students.models import AccessLog, Role
from tests.factories import MembershipFactory, StudentFactory, UserFactory
from tests.meetings.conftest import Kit, days_ago, today

pytestmark = pytest.mark.django_db

TEAM = ("team_member", "principal", "district_admin")
OUTSIDERS = ("teacher", "interventionist", "other_teacher", "nobody")


def login(client, world, name: str) -> None:
    client.force_login(world.persona(name))


def prepared(kit: Kit) -> list[AgendaItem]:
    w = kit.world
    kit.flag(w.student, tier=3)
    kit.flag(w.classmate, tier=2)
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    return list(AgendaItem.objects.filter(meeting=kit.meeting).order_by("position"))


@pytest.mark.parametrize("persona", TEAM)
def test_it_shows_the_meeting_pages_to_the_schools_team(client, kit, persona):
    item = prepared(kit)[0]
    login(client, kit.world, persona)
    m = kit.meeting.pk
    for url in (
        reverse("meetings:list"),
        reverse("meetings:detail", args=[m]),
        reverse("meetings:run_item", args=[m, item.pk]),
        reverse("meetings:minutes", args=[m]),
        reverse("meetings:edit", args=[m]),
        reverse("meetings:new"),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_it_hides_the_meeting_pages_from_everyone_else(client, kit, persona):
    item = prepared(kit)[0]
    login(client, kit.world, persona)
    m = kit.meeting.pk
    assert client.get(reverse("meetings:list")).status_code == 403
    for url in (
        reverse("meetings:detail", args=[m]),
        reverse("meetings:run_item", args=[m, item.pk]),
        reverse("meetings:minutes", args=[m]),
        reverse("meetings:minutes_csv", args=[m]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("meetings:item_decide", args=[m, item.pk]), {"type": "monitor", "rationale": "x"}
    )
    assert response.status_code == 404
    assert not kit.meeting.decisions.exists()


def test_it_hides_a_meeting_from_another_schools_team(client, kit):
    w = kit.world
    outsider = UserFactory(username="oakteam")
    MembershipFactory(
        user=outsider, role=Role.TEAM_MEMBER, school=w.other_school, district=w.district
    )
    client.force_login(outsider)
    assert client.get(reverse("meetings:detail", args=[kit.meeting.pk])).status_code == 404
    assert kit.meeting.title not in client.get(reverse("meetings:list")).content.decode()


def test_it_lists_the_agenda_with_reasons_and_keyboard_reachable_controls(client, kit):
    prepared(kit)
    login(client, kit.world, "team_member")
    html = client.get(reverse("meetings:detail", args=[kit.meeting.pk])).content.decode()
    assert html.index("Maria Garcia") < html.index("Liam Smith")
    assert "Tier 3 or change of intervention recommended" in html
    assert "move Maria Garcia down" in html
    assert 'Remove<span class="visually-hidden"> Maria Garcia from the agenda' in html


def test_it_reorders_the_agenda_with_htmx_and_answers_with_the_agenda_only(client, kit):
    maria, liam = prepared(kit)
    login(client, kit.world, "team_member")
    response = client.post(
        reverse("meetings:item_move", args=[kit.meeting.pk, liam.pk]),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="agenda"')
    assert "Liam Smith is now item 1 of 2." in html
    assert html.index("Liam Smith") < html.index("Maria Garcia")


def give_history(kit: Kit, student, size: int) -> None:
    """`size` of everything the card shows: screening windows (up to 3), plans with `size` * 4
    weekly points and sessions, referrals, concerns, earlier decisions, open action items."""
    w = kit.world
    windows = (kit.screening.fall, kit.screening.winter, kit.screening.spring)[: min(size, 3)]
    for window in windows:
        ScreeningScore.objects.create(
            student=student,
            measure=kit.orf,
            window=window,
            grade=3,
            score=Decimal(45),
            risk_level="high_risk",
        )
    interventions = [kit.fluency, kit.phonics][:size]
    plans = [kit.plan(student, intervention=i) for i in interventions]
    for plan in plans:
        for n in range(min(size * 4, 9)):
            day = days_ago(63 - 7 * n)
            plan_services.progress_record(plan=plan, date=day, score=40 + 2 * n, actor=None)
            plan_services.session_log(plan=plan, date=day, minutes=30, attended=True, actor=None)
    for n in range(size):
        Referral.objects.create(
            student=student,
            school=w.school,
            school_year=kit.year,
            date=days_ago(20 + n),
            location="classroom",
            problem_behavior="disruption",
        )
        services.concern_submit(student=student, note=f"Concern {n}.", actor=w.team_member)
    past = services.meeting_create(
        school=w.school,
        kind="problem_solving",
        scheduled_at=timezone.now() - dt.timedelta(weeks=3),
        actor=w.team_member,
    )
    for plan in plans:
        services.meeting_record_decision(
            meeting=past,
            item=None,
            student=student,
            type="continue",
            plan=plan,
            actor=w.team_member,
        )
        services.action_item_create(
            meeting=past,
            owner=w.teacher,
            description="Reading log",
            due_date=today(),
            student=student,
            actor=w.team_member,
        )


def test_it_shows_the_whole_history_on_the_card_with_a_constant_number_of_queries(client, kit):
    w = kit.world
    maria, liam = prepared(kit)
    give_history(kit, w.classmate, 1)  # Liam: one of everything
    give_history(kit, w.student, 2)  # Maria: more of everything
    login(client, w, "team_member")

    def count(item) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("meetings:run_item", args=[kit.meeting.pk, item.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    small, large = count(liam), count(maria)
    assert large == small, (small, large)
    assert large <= 40
    html = client.get(
        reverse("meetings:run_item", args=[kit.meeting.pk, maria.pk])
    ).content.decode()
    assert "Phonics small group" in html and "Read Naturally" in html
    assert "Concern 1." in html
    assert "Disruption" in html


def test_it_logs_the_card_view_in_the_students_record_of_access(client, kit):
    maria, _ = prepared(kit)
    login(client, kit.world, "principal")
    client.get(reverse("meetings:run_item", args=[kit.meeting.pk, maria.pk]))
    assert AccessLog.objects.filter(
        student=kit.world.student, object_type="meeting_card", user=kit.world.principal
    ).exists()


def test_it_shows_previous_next_links_and_the_keyboard_hint(client, kit):
    maria, liam = prepared(kit)
    login(client, kit.world, "team_member")
    html = client.get(
        reverse("meetings:run_item", args=[kit.meeting.pk, maria.pk])
    ).content.decode()
    assert 'rel="next" data-nav-next' in html
    assert reverse("meetings:run_item", args=[kit.meeting.pk, liam.pk]) in html
    assert "data-nav-prev" not in html
    assert "<kbd>J</kbd>" in html
    assert 'data-target-minutes="8"' in html  # a Tier 3 item gets 8 minutes


def test_it_records_a_placement_from_the_card(client, kit):
    w = kit.world
    maria, _ = prepared(kit)
    login(client, w, "team_member")
    url = reverse("meetings:item_decide", args=[kit.meeting.pk, maria.pk])
    response = client.post(
        url,
        {
            "type": "place_tier3",
            "intervention": kit.phonics.pk,
            "interventionist": w.interventionist.pk,
            "measure": kit.orf.pk,
            "goal": "70",
            "goal_date": (today() + dt.timedelta(weeks=12)).isoformat(),
            "start_date": today().isoformat(),
            "rationale": "Running records at a K level.",
        },
    )
    assert response.status_code == 302
    plan = InterventionPlan.objects.get(student=w.student)
    assert (plan.tier, plan.sessions_per_week, plan.minutes_per_session) == (3, 5, 30)


def test_it_explains_a_refused_decision_beside_the_field(client, kit):
    maria, _ = prepared(kit)
    login(client, kit.world, "team_member")
    url = reverse("meetings:item_decide", args=[kit.meeting.pk, maria.pk])
    response = client.post(url, {"type": "monitor"})
    assert response.status_code == 400
    assert "goes against the rules&#x27; recommendation (Tier 3)" in response.content.decode()


def test_it_shows_both_texts_when_a_colleague_saved_the_notes_first(client, kit):
    maria, _ = prepared(kit)
    login(client, kit.world, "team_member")
    url = reverse("meetings:item_notes", args=[kit.meeting.pk, maria.pk])
    services.agenda_item_save_notes(
        item=maria,
        version=maria.version,
        notes="Saved by the principal.",
        actor=kit.world.principal,
    )
    response = client.post(url, {"version": maria.version, "notes": "Typed by the team member."})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Saved by the principal." in html
    assert "Typed by the team member." in html
    assert f'name="version" value="{maria.version + 1}"' in html
    assert AgendaItem.objects.get(pk=maria.pk).notes == "Saved by the principal."


def test_it_shows_both_texts_on_a_meeting_edit_conflict(client, kit):
    login(client, kit.world, "principal")
    m = kit.meeting
    services.meeting_update(
        meeting=m, version=m.version, changes={"notes": "Agenda sent."}, actor=kit.world.team_member
    )
    local = timezone.localtime(m.scheduled_at)
    response = client.post(
        reverse("meetings:edit", args=[m.pk]),
        {
            "version": m.version,
            "date": local.date().isoformat(),
            "time": "15:30",
            "duration_minutes": 60,
            "notes": "Room changed to 12.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Agenda sent." in html and "Room changed to 12." in html
    assert Meeting.objects.get(pk=m.pk).notes == "Agenda sent."


def test_it_closes_the_meeting_and_shows_final_minutes_with_a_csv(client, kit):
    w = kit.world
    maria, liam = prepared(kit)
    services.meeting_record_decision(
        meeting=kit.meeting,
        item=liam,
        type="dismiss_flag",
        rationale="Recently arrived.",
        actor=w.team_member,
    )
    login(client, w, "team_member")
    response = client.post(reverse("meetings:close", args=[kit.meeting.pk]))
    assert response.status_code == 302
    html = client.get(reverse("meetings:minutes", args=[kit.meeting.pk])).content.decode()
    assert "Final" in html
    assert "The team dismissed the flag for Liam S. (Screening risk, reading)." in html
    assert 'href="/static/css/print.css" media="print"' in html
    csv_response = client.get(reverse("meetings:minutes_csv", args=[kit.meeting.pk]))
    body = csv_response.content.decode("utf-8-sig")  # the shared writer starts with a BOM
    assert csv_response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0] == "section,student,text,owner,due_date,rationale,against_rule"
    assert "decision,Liam S.," in body
    assert AccessLog.objects.filter(
        action="export", object_type="meeting_minutes", student=w.classmate
    ).exists()


def test_it_lists_my_open_action_items_on_the_home_page_with_an_overdue_label(client, kit):
    w = kit.world
    services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        description="Send the reading log home",
        due_date=days_ago(2),
        student=w.student,
        actor=w.team_member,
    )
    services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        description="Observe the reading group",
        due_date=today(),
        actor=w.team_member,
    )
    services.action_item_create(
        meeting=kit.meeting,
        owner=w.principal,
        description="Not the teacher's",
        due_date=today(),
        actor=w.team_member,
    )
    login(client, w, "teacher")
    html = client.get(reverse("home")).content.decode()
    assert "My action items" in html
    assert html.index("Send the reading log home") < html.index("Observe the reading group")
    assert html.count(">Overdue<") == 1
    assert "Not the teacher&#x27;s" not in html
    # The teacher is not on the team: the meeting's name shows without a link to it.
    assert reverse("meetings:detail", args=[kit.meeting.pk]) not in html


def test_it_marks_an_action_item_done_from_the_home_page(client, kit):
    w = kit.world
    item = services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        description="Call the family",
        due_date=today(),
        actor=w.team_member,
    )
    login(client, w, "teacher")
    response = client.post(
        reverse("meetings:action_item_status", args=[item.pk]), {"status": "done", "next": "/"}
    )
    assert response.status_code == 302
    assert "Call the family" not in client.get(reverse("home")).content.decode()


def test_it_lets_a_teacher_raise_a_concern_from_the_profile_and_see_team_decisions(client, kit):
    w = kit.world
    maria, _ = prepared(kit)
    services.meeting_record_decision(
        meeting=kit.meeting,
        item=maria,
        type="refer_evaluation",
        domain="reading",
        rationale="Parent request.",
        actor=w.team_member,
    )
    login(client, w, "teacher")
    profile = client.get(reverse("student_detail", args=[w.student.pk])).content.decode()
    assert "Team meetings" in profile
    assert "Refer for special-education evaluation" in profile
    assert "Ask the team to discuss Maria Garcia" in profile
    response = client.post(
        reverse("meetings:concern_new", args=[w.student.pk]), {"note": "She avoids reading aloud."}
    )
    assert response.status_code == 302
    assert Concern.objects.get().submitted_by == w.teacher
    # Not her student: 404, nothing saved.
    response = client.post(
        reverse("meetings:concern_new", args=[w.classmate.pk]), {"note": "Liam too."}
    )
    assert response.status_code == 404
    assert Concern.objects.count() == 1


def test_it_schedules_a_meeting_from_the_form(client, kit):
    w = kit.world
    login(client, w, "principal")
    response = client.post(
        reverse("meetings:new"),
        {
            "school": w.school.pk,
            "kind": "grade_level",
            "grade": 3,
            "window": kit.screening.fall.pk,
            "date": "2026-10-06",
            "time": "15:30",
            "duration_minutes": 45,
            "facilitator": w.team_member.pk,
            "attendees": [w.team_member.pk, w.principal.pk],
            "repeat_every_weeks": 4,
            "repeat_count": 2,
        },
    )
    assert response.status_code == 302
    created = Meeting.objects.filter(kind="grade_level").order_by("scheduled_at")
    assert [timezone.localtime(m.scheduled_at).date() for m in created] == [
        dt.date(2026, 10, 6),
        dt.date(2026, 11, 3),
        dt.date(2026, 12, 1),
    ]
    assert created[0].title == "Grade 3 data meeting (Fall screening)"


def test_it_refuses_a_grade_level_meeting_without_its_grade(client, kit):
    login(client, kit.world, "principal")
    response = client.post(
        reverse("meetings:new"),
        {
            "school": kit.world.school.pk,
            "kind": "grade_level",
            "date": "2026-10-06",
            "time": "15:30",
            "duration_minutes": 45,
        },
    )
    assert response.status_code == 400
    assert "A grade-level meeting needs its grade." in response.content.decode()


def test_it_keeps_flags_unchanged_when_nobody_decided(client, kit):
    prepared(kit)
    login(client, kit.world, "team_member")
    client.post(reverse("meetings:close", args=[kit.meeting.pk]))
    assert set(Flag.objects.values_list("status", flat=True)) == {"open"}


def test_it_renders_the_agenda_and_the_list_in_a_fixed_number_of_queries(
    client, kit, django_assert_max_num_queries
):
    w = kit.world
    for n in range(12):
        student = StudentFactory(school=w.school, first_name=f"Kid{n}", last_name=f"Doe{n}")
        kit.flag(student, tier=2 + n % 2)
        kit.flag(student, kind="odr", tier=2, domain="behavior")
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        description="Call home",
        due_date=today(),
        actor=w.team_member,
    )
    login(client, w, "team_member")
    with django_assert_max_num_queries(12):
        html = client.get(reverse("meetings:detail", args=[kit.meeting.pk])).content.decode()
    assert html.count('class="agenda-item') == 12
    for grade in (1, 2, 3):
        m = services.meeting_create(
            school=w.school,
            kind="grade_level",
            grade=grade,
            window=kit.screening.fall,
            scheduled_at=timezone.now(),
            actor=w.team_member,
        )
        services.action_item_create(
            meeting=m,
            owner=w.team_member,
            description="Share results",
            due_date=today(),
            actor=w.team_member,
        )
    with django_assert_max_num_queries(8):
        html = client.get(reverse("meetings:list")).content.decode()
    assert html.count("data meeting (Fall screening)") >= 3
    with django_assert_max_num_queries(12):
        html = client.get(reverse("home")).content.decode()
    assert html.count('<span class="fw-semibold">Share results</span>') == 3


def test_it_proposes_as_many_students_as_fit_the_meeting_and_the_next_ones_on_request(client, kit):
    w = kit.world
    for n in range(14):
        kit.flag(StudentFactory(school=w.school, last_name=f"Doe{n:02d}"), tier=2)
    Meeting.objects.filter(pk=kit.meeting.pk).update(duration_minutes=60)
    login(client, w, "team_member")
    url = reverse("meetings:prepare", args=[kit.meeting.pk])
    response = client.post(url, follow=True)
    assert "12 items added to the agenda" in response.content.decode()
    assert AgendaItem.objects.filter(meeting=kit.meeting).count() == 12
    assert Flag.objects.filter(status="open").count() == 2
    client.post(url)
    assert AgendaItem.objects.filter(meeting=kit.meeting).count() == 14
