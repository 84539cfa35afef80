"""A school's own window dates decide when its teachers may enter scores, and the completion
pages read them. The `screening` fixture: fall open (district switch on), winter closed.
Maple (world.school) opens a week later than the district: its own first day is a week from
today; Oak (world.other_school) screens on the district's dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from screening import services
from screening.models import SchoolWindowDates, ScreeningScore
from screening.page_selectors.entry_defaults import entry_defaults
from screening.services.school_windows import open_for_school

pytestmark = pytest.mark.django_db

D = dt.date


def test_the_schools_own_days_decide_else_the_districts_switch():
    today = D(2026, 9, 8)
    week_later = (D(2026, 9, 15), D(2026, 10, 2))
    assert open_for_school(district_open=True, own_days=None, today=today) is True
    assert open_for_school(district_open=False, own_days=None, today=today) is False
    assert open_for_school(district_open=True, own_days=week_later, today=today) is False
    assert open_for_school(district_open=False, own_days=week_later, today=D(2026, 9, 15)) is True
    assert open_for_school(district_open=True, own_days=week_later, today=D(2026, 10, 2)) is True
    assert open_for_school(district_open=True, own_days=week_later, today=D(2026, 10, 3)) is False


@pytest.fixture
def a_week_later(world, screening):
    """Maple's own fall dates start a week from today (the district's window is open)."""
    today = timezone.localdate()
    return SchoolWindowDates.objects.create(
        window=screening.fall,
        school=world.school,
        start_date=today + dt.timedelta(days=7),
        end_date=today + dt.timedelta(days=21),
    )


def test_a_teacher_cannot_enter_before_the_schools_own_first_day(world, screening, a_week_later):
    with pytest.raises(ValidationError) as caught:
        services.score_record(
            student=world.student,
            measure=screening.orf,
            window=screening.fall,
            value="80",
            entered_by=world.teacher,
        )
    assert caught.value.message_dict["window"] == [
        "The Fall 2026-2027 screening window is closed. Ask a school administrator to enter "
        "late scores."
    ]
    # Oak screens on the district's dates: its teacher enters as usual.
    services.score_record(
        student=world.other_student,
        measure=screening.orf,
        window=screening.fall,
        value="80",
        entered_by=world.other_teacher,
    )
    # The principal may still enter for Maple (late entry rule unchanged).
    services.score_record(
        student=world.student,
        measure=screening.orf,
        window=screening.fall,
        value="80",
        entered_by=world.principal,
    )
    assert ScreeningScore.objects.count() == 2


def test_a_teacher_enters_inside_the_schools_own_days_while_the_district_is_closed(
    world, screening
):
    today = timezone.localdate()
    SchoolWindowDates.objects.create(
        window=screening.winter,  # the district's switch is off
        school=world.school,
        start_date=today - dt.timedelta(days=2),
        end_date=today + dt.timedelta(days=5),
    )
    score = services.score_record(
        student=world.student,
        measure=screening.orf,
        window=screening.winter,
        value="80",
        entered_by=world.teacher,
    )
    assert score.entered_by == world.teacher
    # The entry page preselects the window open for the class's school: winter, not fall.
    assert entry_defaults(world.teacher, {"section": str(world.section.pk)})["window"] == str(
        screening.winter.pk
    )
    with pytest.raises(ValidationError):
        services.score_record(
            student=world.other_student,
            measure=screening.orf,
            window=screening.winter,
            value="80",
            entered_by=world.other_teacher,
        )


def test_the_entry_grid_is_read_only_before_the_schools_first_day(
    client, world, screening, a_week_later
):
    client.force_login(world.teacher)
    url = reverse("screening:score_entry") + (
        f"?section={world.section.pk}&window={screening.fall.pk}&measure={screening.orf.pk}"
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["enterable"] is False
    # Oak's class (Grade 3 - Park) is on the district's dates: open.
    park = world.other_teacher.sections.get()
    client.force_login(world.other_teacher)
    url = reverse("screening:score_entry") + (
        f"?section={park.pk}&window={screening.fall.pk}&measure={screening.orf.pk}"
    )
    assert client.get(url).context["enterable"] is True


def test_completion_pages_show_the_schools_own_dates(client, world, screening, a_week_later):
    client.force_login(world.district_admin)
    url = (
        reverse("screening:completion") + f"?window={screening.fall.pk}&measure={screening.orf.pk}"
    )
    response = client.get(url)
    lines = {line.school_name: line for line in response.context["school_lines"]}
    maple, oak = lines[world.school.name], lines[world.other_school.name]
    assert (maple.days.start_date, maple.days.own, maple.not_started) == (
        a_week_later.start_date,
        True,
        True,
    )
    assert (oak.days.start_date, oak.days.end_date, oak.days.own) == (
        D(2026, 9, 1),
        D(2026, 9, 30),
        False,
    )
    html = response.content.decode()
    assert "(the school's own dates)" in html
    assert "Not started yet" in html
    missing = client.get(
        reverse("screening:completion_missing")
        + f"?window={screening.fall.pk}&measure={screening.orf.pk}&school={world.school.pk}"
    )
    text = missing.content.decode()
    start = a_week_later.start_date
    assert f"{world.school.name} screens from {start:%b} {start.day}, {start.year}" in text
    assert "screening has not started yet" in text
