"""The evaluation referral and the family contacts pages in a real Chromium: a team member
records the parents' consent, sees the due date on the page and on the home page, and
edits a family contact from the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from families.models import EvaluationReferral
from meetings import services
from students.models import Guardian, StudentGuardian
from tests.e2e.conftest import login, screenshot
from tests.meetings.conftest import kit  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_the_team_records_consent_and_sees_the_due_date(page, live_server, kit):  # noqa: F811
    w = kit.world
    g = Guardian.objects.create(
        district=w.district, first_name="Rosa", last_name="Garcia", preferred_language="es"
    )
    StudentGuardian.objects.create(student=w.student, guardian=g)
    services.meeting_record_decision(
        meeting=kit.meeting,
        item=None,
        student=w.student,
        type="refer_evaluation",
        domain="reading",
        rationale="Little response to two phases of Tier 3 support.",
        actor=w.team_member,
    )
    referral = EvaluationReferral.objects.get()
    EvaluationReferral.objects.filter(pk=referral.pk).update(
        referred_on=timezone.localdate() - dt.timedelta(days=30)
    )
    login(page, live_server, "team", w.password)
    page.goto(f"/families/referrals/{referral.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Special-education evaluation: Maria Garcia"
    )
    consent = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    page.get_by_label("Consent requested on").fill(consent)
    page.get_by_label("Consent given on").fill(consent)
    page.get_by_role("button", name="Save consent dates").click()
    expect(page.get_by_text("Consent dates saved.")).to_be_visible()
    expect(page.get_by_text("60 days from consent")).to_be_visible()
    screenshot(page, "referral-record")

    page.get_by_role("link", name="Home").first.click()
    section = page.get_by_role("region", name="Evaluations due")
    expect(section.get_by_role("link", name="Maria Garcia")).to_be_visible()
    screenshot(page, "home-evaluations-due")

    page.goto(f"/students/{w.student.pk}/family/")
    phone = page.get_by_label("Phone").first
    phone.fill("555-0100")
    phone.press("Enter")
    expect(page.get_by_text("Contact saved.")).to_be_visible()
    screenshot(page, "family-contacts")
