"""The home page's school card: what waits for the team (live flags, the next meeting)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import Flag
from meetings.models import Meeting
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _card(client, user, school_name: str) -> str:
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    match = re.search(rf"<h3 class=\"h5 mb-0\">{school_name}</h3>.*?</ul>", html, re.S)
    assert match, html
    return " ".join(match.group(0).split())


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_it_counts_the_schools_live_flags_and_links_the_next_meeting(client, world, kit):
    w = world
    other = StudentFactory(school=w.other_school, district=w.district, grade=3)
    kit.flag(w.student, tier=3)
    kit.flag(w.classmate, tier=2, status="on_agenda")
    kit.flag(w.classmate, tier=2, kind="odr", domain="behavior")  # same student, 2nd flag
    resolved = kit.flag(w.classmate, tier=2, domain="math")
    Flag.objects.filter(pk=resolved.pk).update(status="resolved", resolved_at=timezone.now())
    kit.flag(other, tier=3)  # another school's flag
    # The kit's meeting, in an hour, is next: not tomorrow's, not this morning's closed one.
    now = timezone.now()
    Meeting.objects.filter(pk=kit.meeting.pk).update(scheduled_at=now + dt.timedelta(hours=1))
    for when, status in ((dt.timedelta(days=1), "planned"), (-dt.timedelta(hours=2), "closed")):
        copy = Meeting.objects.get(pk=kit.meeting.pk)
        copy.pk, copy.scheduled_at, copy.status = None, now + when, status
        if status == "closed":
            copy.closed_at, copy.minutes_data = now, {}
        copy.save()

    card = _card(client, w.principal, w.school.name)
    assert (
        "3 open flags from the decision rules for 2 students, 1 recommending Tier 3; 1 "
        "already on a meeting agenda." in _text(card)
    )
    assert f"?school={w.school.pk}&amp;status=live" in card
    assert f'href="/meetings/{kit.meeting.pk}/"' in card
    assert "No team meeting scheduled" not in card


def test_a_closed_meeting_is_not_the_next_one(client, world, kit):
    Meeting.objects.filter(pk=kit.meeting.pk).update(
        status="closed", closed_at=timezone.now(), minutes_data={}
    )
    card = _card(client, world.team_member, world.school.name)
    assert "No open flags." in _text(card)
    assert "No team meeting scheduled." in _text(card)
