"""The profile's Tiers card: current tier per domain and the dated history."""

import datetime as dt

import pytest
from django.urls import reverse

from interventions.services import tier_place

pytestmark = pytest.mark.django_db


def test_it_shows_tier_1_everywhere_before_any_placement(client, world):
    client.force_login(world.principal)
    page = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    assert "Tier 2 or Tier 3 placement on record" in page
    assert "Tier 1 <span" in page


def test_it_shows_the_current_tier_and_the_history_with_the_decision(client, world):
    tier_place(
        student=world.student,
        domain="reading",
        tier=2,
        start_date=dt.date(2026, 10, 5),
        actor=world.principal,
        decision_note="Fall screening: ORF below benchmark",
    )
    tier_place(
        student=world.student,
        domain="reading",
        tier=3,
        start_date=dt.date(2026, 11, 16),
        actor=world.principal,
        decision_note="No response after 6 weeks",
    )
    client.force_login(world.principal)
    page = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    assert "<strong>Reading:</strong>\n    Tier 3" in page
    assert "since 16 Nov 2026" in page
    # The earlier placement stays on the record, closed when the new one began.
    assert "Fall screening: ORF below benchmark" in page
    assert "No response after 6 weeks" in page
    assert "5 Oct 2026" in page
