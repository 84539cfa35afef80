"""Authorization matrix of the screening pages: every page x every persona of the `world`.

Expected codes written out by hand from domain.md section 7 and the issue: a teacher enters
and sees scores only for their own sections; team members and administrators for every
section of their schools (district administrators: the district); an interventionist has no
class to screen. 200 allowed, 302 to the sign-in page for an anonymous visitor (or after a
saved form), 404 out of scope (the id's existence is never revealed), 400 a refused form.
Every refused write is checked to have saved nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.models import BehaviorRating, Referral, ScreeningScore

pytestmark = pytest.mark.django_db


PERSONAS = [
    "teacher",
    "other_teacher",
    "interventionist",
    "team_member",
    "principal",
    "district_admin",
    "nobody",
    "anonymous",
]

EVERYONE_SIGNED_IN = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}

# world.section ("Grade 3 - Lee", Maple) is the teacher's; Maple's team and admins and the
# district admin may enter for it; nobody else.
MY_SECTION = {
    "teacher": 200,
    "other_teacher": 404,
    "interventionist": 404,
    "team_member": 200,
    "principal": 200,
    "district_admin": 200,
    "nobody": 404,
    "anonymous": 302,
}
# world.other_section ("Grade 3 - Ruiz", Maple): the teacher does not teach it.
NOT_MY_SECTION = MY_SECTION | {"teacher": 404}


def _client_for(client, world, persona: str):
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    return client


def _grid(world, screening, section) -> str:
    return (
        f"{reverse('screening:score_entry')}?section={section.pk}"
        f"&window={screening.fall.pk}&measure={screening.orf.pk}"
    )


def _rating(world, screening, section) -> str:
    return f"{reverse('screening:behavior_rating')}?section={section.pk}&window={screening.fall.pk}"


GET_PAGES = {
    "entry_picker": (lambda w, s: reverse("screening:score_entry"), EVERYONE_SIGNED_IN),
    "grid_my_section": (lambda w, s: _grid(w, s, w.section), MY_SECTION),
    "grid_not_my_section": (lambda w, s: _grid(w, s, w.other_section), NOT_MY_SECTION),
    "rating_picker": (lambda w, s: reverse("screening:behavior_rating"), EVERYONE_SIGNED_IN),
    "rating_my_section": (lambda w, s: _rating(w, s, w.section), MY_SECTION),
    "rating_not_my_section": (lambda w, s: _rating(w, s, w.other_section), NOT_MY_SECTION),
    "completion": (lambda w, s: reverse("screening:completion"), EVERYONE_SIGNED_IN),
    # Maple's missing list: anyone whose schools include Maple (the teacher sees only their
    # own students in it); Oak's teacher and the account without a role: not found.
    "missing_at_maple": (
        lambda w, s: (
            f"{reverse('screening:completion_missing')}?window={s.fall.pk}"
            f"&measure={s.orf.pk}&school={w.school.pk}"
        ),
        MY_SECTION | {"interventionist": 200},
    ),
    "missing_in_my_section": (
        lambda w, s: (
            f"{reverse('screening:completion_missing')}?window={s.fall.pk}"
            f"&measure={s.orf.pk}&section={w.section.pk}"
        ),
        MY_SECTION,
    ),
    "missing_in_not_my_section": (
        lambda w, s: (
            f"{reverse('screening:completion_missing')}?window={s.fall.pk}"
            f"&measure={s.orf.pk}&section={w.other_section.pk}"
        ),
        NOT_MY_SECTION,
    ),
    "referral_list": (lambda w, s: reverse("screening:referral_list"), EVERYONE_SIGNED_IN),
    "referral_form": (lambda w, s: reverse("screening:referral_new"), EVERYONE_SIGNED_IN),
    "referral_form_for_my_student": (
        lambda w, s: f"{reverse('screening:referral_new')}?student={w.student.pk}",
        MY_SECTION,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(GET_PAGES))
def test_it_answers_each_page_for_each_persona_as_the_matrix_says(
    client, world, screening, page, persona
):
    url_of, expected = GET_PAGES[page]
    response = _client_for(client, world, persona).get(url_of(world, screening))
    assert response.status_code == expected[persona], (page, persona)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


def _cell(world, screening, section, student):
    return reverse(
        "screening:score_entry_cell",
        args=[section.pk, screening.fall.pk, screening.orf.pk, student.pk],
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_saves_a_cell_only_for_those_who_may_enter_for_the_section(
    client, world, screening, persona
):
    c = _client_for(client, world, persona)
    url = _cell(world, screening, world.section, world.student)
    response = c.post(url, {f"score-{world.student.pk}": "62"}, headers={"HX-Request": "true"})
    assert response.status_code == MY_SECTION[persona]
    assert ScreeningScore.objects.exists() == (MY_SECTION[persona] == 200)


@pytest.mark.parametrize("persona", ["teacher", "team_member", "principal", "district_admin"])
def test_it_refuses_a_cell_for_a_student_who_is_not_in_that_section(
    client, world, screening, persona
):
    # The classmate is at the same school, but enrolled in Grade 3 - Ruiz, not Lee.
    c = _client_for(client, world, persona)
    url = _cell(world, screening, world.section, world.classmate)
    response = c.post(url, {f"score-{world.classmate.pk}": "62"}, headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert not ScreeningScore.objects.exists()


def test_it_refuses_a_teacher_a_cell_in_another_teachers_section(client, world, screening):
    c = _client_for(client, world, "teacher")
    url = _cell(world, screening, world.other_section, world.classmate)
    response = c.post(url, {f"score-{world.classmate.pk}": "62"}, headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert not ScreeningScore.objects.exists()


def test_it_refuses_a_cell_at_another_school_even_through_the_teachers_own_section(
    client, world, screening
):
    c = _client_for(client, world, "teacher")
    url = _cell(world, screening, world.section, world.other_student)
    response = c.post(url, {f"score-{world.other_student.pk}": "62"})
    assert response.status_code == 404
    assert not ScreeningScore.objects.exists()


SAVED_FORM = {k: (302 if v == 200 else v) for k, v in MY_SECTION.items()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_saves_a_whole_class_only_for_those_who_may_enter_for_it(
    client, world, screening, persona
):
    c = _client_for(client, world, persona)
    response = c.post(
        reverse("screening:score_entry_save"),
        {
            "section": world.section.pk,
            "window": screening.fall.pk,
            "measure": screening.orf.pk,
            f"score-{world.student.pk}": "62",
        },
    )
    assert response.status_code == SAVED_FORM[persona]
    assert ScreeningScore.objects.exists() == (MY_SECTION[persona] == 200)


def test_it_ignores_boxes_for_students_outside_the_class_in_a_whole_class_save(
    client, world, screening
):
    c = _client_for(client, world, "teacher")
    c.post(
        reverse("screening:score_entry_save"),
        {
            "section": world.section.pk,
            "window": screening.fall.pk,
            "measure": screening.orf.pk,
            f"score-{world.classmate.pk}": "62",
            f"score-{world.other_student.pk}": "62",
        },
    )
    assert not ScreeningScore.objects.exists()


RATING = {
    k: 0
    for k in (
        "steal",
        "lie_cheat_sneak",
        "behavior_problem",
        "peer_rejection",
        "low_achievement",
        "negative_attitude",
        "aggressive",
        "emotionally_flat",
        "shy_withdrawn",
        "sad_depressed",
        "anxious",
        "lonely",
    )
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_saves_a_rating_only_for_those_who_may_rate_the_class(client, world, screening, persona):
    c = _client_for(client, world, persona)
    sid = world.student.pk
    url = reverse("screening:behavior_rating_save", args=[world.section.pk, screening.fall.pk, sid])
    response = c.post(url, {f"s{sid}-{k}": v for k, v in RATING.items()})
    assert response.status_code == SAVED_FORM[persona]
    assert BehaviorRating.objects.exists() == (MY_SECTION[persona] == 200)


def test_it_refuses_a_rating_for_a_student_outside_the_section(client, world, screening):
    c = _client_for(client, world, "teacher")
    sid = world.classmate.pk
    url = reverse("screening:behavior_rating_save", args=[world.section.pk, screening.fall.pk, sid])
    assert c.post(url, {f"s{sid}-{k}": v for k, v in RATING.items()}).status_code == 404
    assert not BehaviorRating.objects.exists()


REFERRAL_SAVE = {
    "teacher": 302,
    "other_teacher": 400,
    "interventionist": 400,
    "team_member": 302,
    "principal": 302,
    "district_admin": 302,
    "nobody": 400,
    "anonymous": 302,  # to the sign-in page
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_records_a_referral_only_for_a_student_the_user_may_see(
    client, world, screening, persona
):
    c = _client_for(client, world, persona)
    response = c.post(
        reverse("screening:referral_new"),
        {
            "student": world.student.local_id,
            "date": "2026-10-15",
            "severity": "major",
            "location": "classroom",
            "problem_behavior": "disruption",
            "perceived_motivation": "unknown",
            "others_involved": "none",
            "action_taken": "pending",
            "staff_name": "Ms. Lee",
        },
    )
    assert response.status_code == REFERRAL_SAVE[persona]
    saved = persona not in ("other_teacher", "interventionist", "nobody", "anonymous")
    assert Referral.objects.exists() == saved


def test_it_shows_a_teacher_only_their_own_students_in_maples_missing_list(
    client, world, screening
):
    c = _client_for(client, world, "teacher")
    html = c.get(
        f"{reverse('screening:completion_missing')}?window={screening.fall.pk}"
        f"&measure={screening.orf.pk}&school={world.school.pk}"
    ).content.decode()
    assert "Garcia, Maria" in html
    assert "Smith, Liam" not in html


def test_it_lists_no_referral_of_a_student_the_user_cannot_see(client, world, screening):
    c = _client_for(client, world, "principal")
    c.post(
        reverse("screening:referral_new"),
        {
            "student": world.classmate.local_id,
            "date": "2026-10-15",
            "severity": "major",
            "location": "classroom",
            "problem_behavior": "disruption",
            "perceived_motivation": "unknown",
            "others_involved": "none",
            "action_taken": "pending",
            "staff_name": "Mr. Brown",
        },
    )
    client.logout()
    c = _client_for(client, world, "teacher")
    html = c.get(reverse("screening:referral_list")).content.decode()
    assert "Smith" not in html
    assert "No referrals have been entered for the students you can see." in html
