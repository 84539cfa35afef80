"""Up to five screening windows a school year: the checks (count, overlap, season order,
name), and a five-window year working through score entry, classification and completion.

The `screening` fixture's year (Aug 17, 2026 to Jun 4, 2027) has fall (Sep 1-30, open),
winter (Jan 5-29) and spring (Apr 26-May 21). Grade 3 ORF cuts: fall 70/55.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from screening import services
from screening.models import ScreeningWindow
from screening.services.window_schedule import Slot, schedule_problems

pytestmark = pytest.mark.django_db

D = dt.date


def slot(pk, name, season, start, end) -> Slot:
    return Slot(pk, name, season, start, end)


THREE = [
    slot(1, "Fall", "fall", D(2026, 9, 1), D(2026, 9, 30)),
    slot(2, "Winter", "winter", D(2027, 1, 5), D(2027, 1, 29)),
    slot(3, "Spring", "spring", D(2027, 4, 26), D(2027, 5, 21)),
]


def test_a_fourth_window_between_fall_and_winter_using_the_fall_cuts_fits():
    mid = slot(None, "Mid-fall check", "fall", D(2026, 11, 2), D(2026, 11, 13))
    assert schedule_problems(mid, THREE, "2026-2027") == {}


def test_a_sixth_window_is_refused_with_the_limit():
    five = [
        *THREE,
        slot(4, "Mid-fall", "fall", D(2026, 11, 2), D(2026, 11, 6)),
        slot(5, "Late spring", "spring", D(2027, 5, 24), D(2027, 6, 1)),
    ]
    sixth = slot(None, "Mid-winter", "winter", D(2027, 2, 15), D(2027, 2, 19))
    assert schedule_problems(sixth, five, "2026-2027") == {
        "__all__": ["2026-2027 has 5 screening windows already; a school year has at most 5."]
    }
    # Moving one of the five is not adding a sixth.
    moved = slot(4, "Mid-fall", "fall", D(2026, 11, 9), D(2026, 11, 13))
    assert schedule_problems(moved, five, "2026-2027") == {}


def test_overlapping_dates_are_refused_naming_the_other_window():
    clash = slot(None, "Early winter", "winter", D(2027, 1, 20), D(2027, 2, 5))
    assert schedule_problems(clash, THREE, "2026-2027") == {
        "start_date": [
            "These dates overlap the Winter window (Jan 5 to Jan 29); windows of a year must "
            "not overlap."
        ]
    }


def test_a_window_out_of_season_order_is_refused():
    # A spring-cut window in November would sit before the winter one; a fall-cut window in
    # March after it.
    early_spring = slot(None, "Check", "spring", D(2026, 11, 2), D(2026, 11, 6))
    assert schedule_problems(early_spring, THREE, "2026-2027") == {
        "season": [
            "A window using the spring cut scores cannot come before the Winter window "
            "(Jan 5 to Jan 29), which uses the winter ones."
        ]
    }
    late_fall = slot(None, "Check", "fall", D(2027, 3, 1), D(2027, 3, 5))
    assert schedule_problems(late_fall, THREE, "2026-2027") == {
        "season": [
            "A window using the fall cut scores cannot come after the Winter window "
            "(Jan 5 to Jan 29), which uses the winter ones."
        ]
    }


def test_a_name_used_twice_in_a_year_is_refused_whatever_the_case():
    again = slot(None, "fall", "fall", D(2026, 11, 2), D(2026, 11, 6))
    assert schedule_problems(again, THREE, "2026-2027") == {
        "name": [
            "2026-2027 already has a window called Fall: give this one another name (for "
            "example Mid-fall check)."
        ]
    }


def test_the_service_builds_a_five_window_year_and_refuses_a_sixth(world, screening):
    year = screening.fall.school_year
    mid = services.window_create(
        school_year=year,
        name="Mid-fall check",
        season="fall",
        start_date=D(2026, 11, 2),
        end_date=D(2026, 11, 13),
        actor=world.district_admin,
    )
    services.window_create(
        school_year=year,
        name="End of year",
        season="spring",
        start_date=D(2027, 5, 24),
        end_date=D(2027, 6, 2),
        actor=world.district_admin,
    )
    assert list(
        ScreeningWindow.objects.filter(school_year=year).values_list("name", flat=True)
    ) == [
        "Fall",
        "Mid-fall check",
        "Winter",
        "Spring",
        "End of year",
    ]
    assert str(mid) == "Mid-fall check 2026-2027"
    with pytest.raises(ValidationError) as caught:
        services.window_create(
            school_year=year,
            name="Mid-winter",
            season="winter",
            start_date=D(2027, 2, 15),
            end_date=D(2027, 2, 19),
            actor=world.district_admin,
        )
    assert caught.value.message_dict["__all__"] == [
        "2026-2027 has 5 screening windows already; a school year has at most 5."
    ]
    # Moving a window onto another one's days is refused the same way.
    with pytest.raises(ValidationError) as caught:
        services.window_update_dates(
            window=mid,
            start_date=D(2026, 9, 28),
            end_date=D(2026, 10, 9),
            actor=world.district_admin,
        )
    assert "overlap the Fall window" in caught.value.message_dict["start_date"][0]


def test_a_fourth_windows_scores_are_entered_and_classified_with_its_seasons_cuts(
    client, world, screening
):
    mid = services.window_create(
        school_year=screening.fall.school_year,
        name="Mid-fall check",
        season="fall",
        start_date=D(2026, 11, 2),
        end_date=D(2026, 11, 13),
        is_open=True,
        actor=world.district_admin,
    )
    world.student.grade = 3
    world.student.save(update_fields=["grade"])
    # 60 on the fall cuts (benchmark 70, cut point 55): some risk.
    score = services.score_record(
        student=world.student,
        measure=screening.orf,
        window=mid,
        value="60",
        entered_by=world.teacher,
    )
    assert (score.risk_level, score.cut_score_set_id) == ("some_risk", screening.orf_set.pk)
    # The entry and completion pages offer all four windows by name.
    client.force_login(world.district_admin)
    html = client.get(reverse("screening:completion") + f"?window={mid.pk}").content.decode()
    for name in ("Fall 2026-2027", "Mid-fall check 2026-2027", "Winter 2026-2027"):
        assert name in html


def test_the_settings_page_adds_a_named_fourth_window_and_shows_a_refusal(client, world, screening):
    client.force_login(world.district_admin)
    url = reverse("screening_settings:window_add")
    ok = client.post(
        url,
        {
            "name": "Mid-fall check",
            "season": "fall",
            "start_date": "2026-11-02",
            "end_date": "2026-11-13",
        },
    )
    assert ok.status_code == 302
    assert ScreeningWindow.objects.filter(name="Mid-fall check", season="fall").exists()
    refused = client.post(
        url, {"name": "", "season": "winter", "start_date": "2026-11-09", "end_date": "2026-11-20"}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "These dates overlap the Mid-fall check window (Nov 2 to Nov 13)" in html
    assert ScreeningWindow.objects.filter(school_year=screening.fall.school_year).count() == 4
