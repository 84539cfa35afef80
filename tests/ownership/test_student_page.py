"""The student's own page: it shows only the signed-in student's own things and none of the
staff app; what they write lands on the plan (and so on the meeting card and the profile);
the class's reflection question reaches their page and their answer the class view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interventions.models import ProgressScore, SelfRating, StudentGoalStatement
from meetings import services as meeting_services
from meetings.models import AgendaItem
from ownership.models import ReflectionAnswer, ReflectionCheck
from students.models import AccessLog, Guardian, StudentGuardian
from tests.factories import MembershipFactory
from tests.meetings.conftest import today
from tests.ownership.conftest import sign_in

pytestmark = pytest.mark.django_db


def as_maria(client, own) -> None:
    assert sign_in(client, own.codes()[own.world.student.pk]).status_code == 302


def test_a_students_session_opens_no_staff_page(client, own):
    w = own.world
    as_maria(client, own)
    for url in (
        reverse("home"),
        reverse("student_list"),
        reverse("student_detail", args=[w.student.pk]),
        reverse("meetings:list"),
        reverse("ownership:codes", args=[w.section.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    assert client.get("/api/v1/students/").status_code in (401, 403)
    assert client.get(reverse("ownership:me")).status_code == 200


def test_a_student_cannot_reach_another_students_plan(client, own):
    as_maria(client, own)
    liam_plan = own.liam_plan.pk
    assert client.get(reverse("ownership:chart", args=[liam_plan])).status_code == 404
    response = client.post(reverse("ownership:rating", args=[liam_plan]), {"rating": 5})
    assert response.status_code == 404
    response = client.post(reverse("ownership:goal", args=[liam_plan]), {"text": "Mine now"})
    assert response.status_code == 404
    assert not SelfRating.objects.exists() and not StudentGoalStatement.objects.exists()
    mine = client.get(reverse("ownership:chart", args=[own.plan.pk]))
    assert mine.status_code == 200 and mine["Content-Type"] == "image/svg+xml"


def test_a_staff_sign_in_on_the_same_browser_ends_the_students_session(client, own):
    as_maria(client, own)
    client.post(reverse("login"), {"username": "teacher", "password": own.world.password})
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("ownership:me")).status_code == 302


def test_how_did_it_go_after_a_check_lands_on_the_plan_and_the_meeting_card(client, own):
    w = own.world
    as_maria(client, own)
    page = client.get(reverse("ownership:me")).content.decode()
    assert "How did it go?" in page and "your score was 48" in page
    response = client.post(
        reverse("ownership:rating", args=[own.plan.pk]),
        {"rating": 4, "note": "  I sounded out the long words.  "},
    )
    assert response.status_code == 302
    rated = SelfRating.objects.get(plan=own.plan)
    assert (rated.rating, rated.note, rated.by_student, rated.recorded_by) == (
        4,
        "I sounded out the long words.",
        True,
        None,
    )
    assert rated.date == today() and rated.created_at is not None
    log = AccessLog.objects.get(object_type="student_ownership")
    assert log.student_id == w.student.pk and log.detail["kind"] == "self_rating"
    # Rated: the question waits for the next check.
    page = client.get(reverse("ownership:me")).content.decode()
    assert 'name="rating"' not in page and "After your last check you said it went: Well" in page
    ProgressScore.objects.create(plan=own.plan, date=today(), score=55)
    assert "your score was 55" in client.get(reverse("ownership:me")).content.decode()

    # Meeting mode shows it beside the plan's scores.
    client.force_login(w.team_member)
    meeting_services.agenda_item_add(
        meeting=own.kit.meeting, student=w.student, actor=w.team_member
    )
    item = AgendaItem.objects.get(meeting=own.kit.meeting, student=w.student)
    card = client.get(reverse("meetings:run_item", args=[own.kit.meeting.pk, item.pk]))
    html = card.content.decode()
    assert "4/5" in html and "(by the student)" in html and "I sounded out the long words." in html
    # And the plan's own page.
    plan_page = client.get(reverse("interventions:plan_detail", args=[own.plan.pk]))
    assert "I sounded out the long words. <span" in plan_page.content.decode()
    assert "(by the student)" in plan_page.content.decode()


def test_the_goal_in_the_students_words_lands_on_the_plan_and_the_profile(client, own):
    w = own.world
    as_maria(client, own)
    response = client.post(
        reverse("ownership:goal", args=[own.plan.pk]), {"text": "Read a chapter book by May"}
    )
    assert response.status_code == 302
    goal = StudentGoalStatement.objects.get(plan=own.plan)
    assert goal.by_student and goal.text == "Read a chapter book by May"
    assert "“Read a chapter book by May”" in client.get(reverse("ownership:me")).content.decode()
    refused = client.post(reverse("ownership:goal", args=[own.plan.pk]), {"text": "  "})
    assert refused.status_code == 400
    assert "Write your goal in your words." in refused.content.decode()

    client.force_login(w.teacher)
    profile = client.get(reverse("student_detail", args=[w.student.pk])).content.decode()
    assert "In the student&#x27;s own words" in profile or "In the student's own words" in profile
    assert "Read a chapter book by May" in profile


def test_the_page_is_in_the_families_language(client, own):
    w = own.world
    guardian = Guardian.objects.create(
        district=w.district, first_name="Rosa", last_name="Garcia", preferred_language="es"
    )
    StudentGuardian.objects.create(student=w.student, guardian=guardian)
    as_maria(client, own)
    page = client.get(reverse("ownership:me")).content.decode()
    assert '<html lang="es">' in page
    assert "¡Hola, Maria!" in page and "¿Cómo te fue?" in page
    # The student may switch to English.
    client.post(reverse("ownership:language"), {"lang": "en"})
    assert "Hi, Maria!" in client.get(reverse("ownership:me")).content.decode()


def test_a_class_reflection_question_reaches_the_class_only_and_the_answers_the_class_view(
    client, own
):
    w = own.world
    client.force_login(w.teacher)
    response = client.post(
        reverse("ownership:check", args=[w.section.pk]),
        {"question": "How well did I use my strategies this week?", "days": 7},
    )
    assert response.status_code == 302
    check = ReflectionCheck.objects.get(section=w.section)
    assert (
        client.post(
            reverse("ownership:check", args=[w.other_section.pk]), {"question": "Hi?", "days": 7}
        ).status_code
        == 403
    )

    client.logout()
    as_maria(client, own)
    page = client.get(reverse("ownership:me")).content.decode()
    assert "A question from your teacher" in page
    response = client.post(
        reverse("ownership:reflection", args=[check.pk]),
        {"rating": 2, "note": "I forgot to reread."},
    )
    assert response.status_code == 302
    answer = ReflectionAnswer.objects.get()
    assert (answer.student_id, answer.rating, answer.text) == (
        w.student.pk,
        2,
        "I forgot to reread.",
    )

    # Liam is not in Ms. Lee's class: the question is not his to answer.
    liam_code = own.codes(section=w.other_section, actor=_teacher_of(w.other_section, w))
    client.post(reverse("ownership:sign_out"))
    sign_in(client, liam_code[w.classmate.pk])
    assert (
        "A question from your teacher" not in client.get(reverse("ownership:me")).content.decode()
    )
    refused = client.post(reverse("ownership:reflection", args=[check.pk]), {"rating": 5})
    assert refused.status_code == 404 and ReflectionAnswer.objects.count() == 1

    client.force_login(w.teacher)
    home = client.get(reverse("home")).content.decode()
    assert "How well did I use my strategies this week?" in home
    assert "1 of 2 answered" in home
    assert "Not so well: “I forgot to reread.”" in home
    assert "Not answered yet" in home  # Ana


def _teacher_of(section, world):
    section.teachers.add(world.other_teacher)
    MembershipFactory(
        user=world.other_teacher, role="teacher", school=section.school, district=world.district
    )
    return world.other_teacher
