"""Agendas that fit the meeting (issue 15, item 8): not-yet-served students first within a
priority group, a warning when the estimated time exceeds the meeting's length, and the
student search that takes "First Last" and "Last, First"."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from meetings import services
from meetings.agenda import (
    FlagRow,
    PlanRow,
    build_agenda,
    estimated_minutes,
    name_patterns,
    over_time_warning,
)
from meetings.models import AgendaItem

MEETING = dt.date(2027, 1, 20)
T0 = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


def test_a_student_nobody_serves_yet_comes_before_a_served_one_in_the_same_group():
    # Both Tier 3 flags; student 1 waited longer but already has an active plan (its flag
    # escalates a plan that is not responding); student 2 has no support at all.
    flags = [
        FlagRow(1, 1, "screening_risk", 3, "reading", T0, escalates=True),
        FlagRow(2, 2, "screening_risk", 3, "reading", T0 + dt.timedelta(days=5)),
        FlagRow(3, 3, "screening_risk", 2, "reading", T0),
    ]
    plans = [PlanRow(id=9, student_id=1, tier=2, last_reviewed=MEETING)]
    items = build_agenda(flags=flags, plans=plans, concerns=[], names={}, meeting_date=MEETING)
    assert [i.student_id for i in items] == [2, 1, 3]
    assert [i.served for i in items] == [False, True, False]


def test_urgency_still_comes_before_being_served():
    flags = [
        FlagRow(1, 1, "progress_change_intervention", 2, "reading", T0),
        FlagRow(2, 2, "screening_risk", 2, "reading", T0),
    ]
    plans = [PlanRow(id=9, student_id=1, tier=2, last_reviewed=MEETING)]
    items = build_agenda(flags=flags, plans=plans, concerns=[], names={}, meeting_date=MEETING)
    assert [i.student_id for i in items] == [1, 2]


def test_it_warns_only_past_the_meetings_length():
    assert estimated_minutes([8, 8, 5, 5]) == 26
    assert over_time_warning(estimated=60, duration=60) == ""
    warning = over_time_warning(estimated=61, duration=60)
    assert "about 61 minutes" in warning and "60 minutes long" in warning


def test_names_split_as_people_type_them():
    assert name_patterns("Maria Garcia") == [("Maria", "Garcia")]
    assert name_patterns("Garcia, Maria") == [("Maria", "Garcia")]
    assert name_patterns("garcia,maria") == [("maria", "garcia")]
    assert name_patterns("Ana Maria Lopez") == [("Ana", "Maria Lopez"), ("Ana Maria", "Lopez")]
    assert name_patterns("Garcia") == [] and name_patterns("Garcia,") == []


def test_agenda_search_finds_a_student_by_first_last_and_last_first(client, kit):
    w = kit.world
    client.force_login(w.team_member)
    url = reverse("meetings:detail", args=[kit.meeting.pk])
    for q in ("Maria Garcia", "Garcia, Maria", "maria garcia", "Garcia", "Mar Gar"):
        html = client.get(url, {"q": q}).content.decode()
        assert f'value="{w.student.pk}"' in html, q
        assert f'value="{w.classmate.pk}"' not in html, q


def test_adding_past_the_meetings_length_warns(client, kit):
    w = kit.world
    kit.meeting.duration_minutes = 10
    kit.meeting.save(update_fields=["duration_minutes"])
    kit.flag(w.student, tier=3)  # 8 minutes
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    client.force_login(w.team_member)
    response = client.post(
        reverse("meetings:item_add", args=[kit.meeting.pk]), {"student": w.classmate.pk}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=kit.meeting).count() == 2
    page = client.get(reverse("meetings:detail", args=[kit.meeting.pk])).content.decode()
    assert "The agenda needs about 13 minutes; the meeting is 10 minutes long." in page
