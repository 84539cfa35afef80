"""A family letter in a real Chromium: the team places Maria in Tier 2 in a meeting; a team
member opens the drafted letter (in Spanish, her mother's language), changes a sentence,
prints it (the server's PDF, and the page's print stylesheet), marks it sent, and Maria's
profile shows it among the letters sent."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from students.models import Guardian, StudentGuardian
from tests.e2e.conftest import login, screenshot
from tests.meetings.conftest import kit  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_the_team_sends_a_spanish_letter_after_placing_a_student_in_tier_2(
    page,
    live_server,
    kit,  # noqa: F811
):
    w = kit.world
    rosa = Guardian.objects.create(
        district=w.district, first_name="Rosa", last_name="Garcia", preferred_language="es"
    )
    StudentGuardian.objects.create(student=w.student, guardian=rosa)
    kit.flag(w.student, tier=2, created_at=timezone.now() - dt.timedelta(days=20))
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)

    login(page, live_server, "team", w.password)
    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Problem-solving team meeting").first.click()
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Garcia")
    page.get_by_label("Place in Tier 2").check()
    page.get_by_label("Intervention (placements)").select_option(label="Read Naturally")
    page.get_by_label("Interventionist").select_option(label="Pat Nguyen")
    page.get_by_label("Progress measure (placements)").select_option(label="Oral reading fluency")
    page.get_by_label("Goal score").fill("90")
    page.get_by_label("Goal date").fill((timezone.localdate() + dt.timedelta(weeks=12)).isoformat())
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("status").filter(has_text="Decision recorded for Maria Garcia.")
    ).to_be_visible()

    # The drafted letter waits on Maria's profile.
    page.goto(f"/students/{w.student.pk}/")
    card = page.locator("section.profile-card", has_text="Letters to the family")
    draft = card.get_by_role("link", name="Apoyo adicional para Maria en la escuela")
    expect(draft).to_be_visible()
    draft.click()
    letter = page.get_by_role("article", name="The letter")
    expect(letter).to_contain_text("A la atención de Rosa Garcia:")
    expect(letter).to_contain_text("Maria trabajará la lectura en un grupo pequeño")

    # Change one sentence, keyboard-only in the text box, and save.
    body = page.get_by_label("Letter", exact=True)
    text = body.input_value()
    body.fill(text.replace("Atentamente,", "Un saludo muy cordial,"))
    page.get_by_role("button", name="Save the letter").click()
    expect(page.get_by_text("Letter saved.")).to_be_visible()
    expect(letter).to_contain_text("Un saludo muy cordial,")
    screenshot(page, "family-letter-draft")

    # Print: the server's PDF of exactly this text, and the page's own print layout.
    href = page.get_by_role("link", name="Print (PDF)").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.emulate_media(media="print")
    screenshot(page, "family-letter-print")
    expect(page.get_by_role("button", name="Save the letter")).to_be_hidden()
    page.emulate_media(media="screen")

    page.get_by_label("Printed (handed or posted)").check()
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("The letter is marked as sent")).to_be_visible()
    expect(page.get_by_role("button", name="Save the letter")).to_have_count(0)

    page.goto(f"/students/{w.student.pk}/")
    sent = page.locator("#letters-sent")
    expect(
        sent.get_by_role("link", name="Apoyo adicional para Maria en la escuela")
    ).to_be_visible()
    expect(sent).to_contain_text(re.compile(r"sent .*printed"))
    screenshot(page, "family-letter-profile")
