"""The meetings demo step: past meetings with frozen minutes, decisions and action items, the
teacher's concerns, and today's meeting ready to run for the demo `team` login."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from meetings.models import ActionItem, AgendaItem, Concern, Decision, Meeting
from students.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db) -> None:
    call_command("seed_demo", "--students=600", "--seed=7", stdout=io.StringIO())


def test_it_leaves_a_meeting_ready_to_run_for_the_demo_team(demo):
    team = User.objects.get(username="team")
    ready = Meeting.objects.get(status="planned", facilitator=team)
    items = list(AgendaItem.objects.filter(meeting=ready).order_by("position"))
    assert len(items) == 13  # the twelve most urgent, then the teacher's concern
    assert [i.priority for i in items[:12]] == sorted(i.priority for i in items[:12])
    assert items[-1].reason == "Concern raised by a teacher"
    assert all(f.status == "on_agenda" for i in items for f in i.flags.all())

    client = Client()
    client.force_login(team)
    response = client.get(reverse("meetings:run", args=[ready.pk]))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_it_records_past_meetings_with_frozen_minutes_decisions_and_action_items(demo):
    closed = list(Meeting.objects.filter(status="closed").order_by("scheduled_at"))
    assert [m.kind for m in closed] == ["grade_level", "problem_solving"]
    assert all(m.minutes_data and m.minutes_data["decisions"] for m in closed)
    assert Decision.objects.filter(type__in=["place_tier2", "place_tier3"]).exists()
    assert Decision.objects.filter(type="continue").count() == 6
    team = User.objects.get(username="team")
    teacher = User.objects.get(username="teacher")
    assert ActionItem.objects.filter(owner=team, status="open").exists()
    assert ActionItem.objects.filter(owner=teacher, status="open").exists()
    assert Concern.objects.filter(submitted_by=teacher).count() == 2


def test_it_shows_the_team_an_overdue_action_item_on_the_home_page(demo):
    client = Client()
    client.force_login(User.objects.get(username="team"))
    html = client.get(reverse("home")).content.decode()
    assert "My action items" in html
    assert ">Overdue<" in html
