"""The student's own page (issue 20 items 3 and 4) in a real Chromium: a teacher prints the
class's sign-in cards and asks a reflection question; Maria signs in with her card's code on a
390-px phone, rates her last progress check and answers the question; the teacher's class view
and meeting mode show what she wrote. The student pages pass axe (no violation of any impact)
at a laptop's width and at 390 px, without sideways scrolling.

The class is tests/ownership/conftest.py's: Maria (Phonics plan, checks 42 and 48) and Ana in
Grade 3 - Lee.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from meetings import services as meeting_services
from meetings.models import AgendaItem
from tests.e2e.conftest import TIMEOUT_MS, login, screenshot
from tests.e2e.test_accessibility_browser import violations
from tests.meetings.conftest import kit  # noqa: F401  (the fixture)
from tests.ownership.conftest import own  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _no_violations(page, name: str) -> None:
    found = violations(page)
    assert not found, f"{name}:\n" + "\n".join(found)


def _accessible_at_both_widths(page, name: str) -> None:
    for label, size in (("desktop", {"width": 1366, "height": 768}), ("390", PHONE)):
        page.set_viewport_size(size)
        page.reload()
        _no_violations(page, f"{name} at {label}")
        assert _no_sideways_scroll(page), f"{name} scrolls sideways at {label}"
        screenshot(page, f"student-{name}-{label}")


def test_a_teacher_prints_codes_and_a_student_rates_her_week_on_a_phone(
    page,
    browser,
    live_server,
    own,  # noqa: F811
):
    w = own.world
    own.kit.at_risk(w.student, "some_risk")  # fall ORF 60: her screening beside her answer
    login(page, live_server, "teacher", w.password)
    card = page.locator("section.class-view")
    card.get_by_role("link", name=re.compile("Print sign-in codes")).click()
    _no_violations(page, "the print form")
    page.get_by_label("The codes work for").select_option("8")
    page.get_by_role("button", name="Make 2 cards to print").click()
    maria_card = page.locator("li.code-card", has_text="Maria Garcia")
    code = maria_card.locator(".code-value").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    expect(maria_card.get_by_role("img")).to_be_visible()
    expect(page.get_by_role("button", name="Print the cards")).to_be_visible()
    screenshot(page, "student-code-cards")
    _no_violations(page, "the printed cards")

    page.goto("/")
    card.get_by_role("link", name=re.compile("Ask the class a reflection question")).click()
    _no_violations(page, "the question form")
    page.get_by_role("button", name="Ask the class").click()
    expect(page.get_by_role("status")).to_contain_text("The question is on the students' own")

    # Maria, on a school phone: a fresh browser, no staff session.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    phone.set_default_timeout(TIMEOUT_MS)
    student = phone.new_page()
    try:
        student.goto("/me/sign-in/")
        _accessible_at_both_widths(student, "sign-in")
        student.get_by_label("Your sign-in code").fill(code.lower())
        student.get_by_role("button", name="Open my page").click()
        expect(student.get_by_role("heading", name="Hi, Maria!")).to_be_visible()
        expect(
            student.get_by_role("img", name=re.compile("Your progress graph: 2 checks"))
        ).to_be_visible()
        _accessible_at_both_widths(student, "page")

        question = student.locator("section", has_text="A question from your teacher")
        question.get_by_text("Well", exact=True).click()
        question.get_by_label("Tell your teacher more").fill("I used my finger to track.")
        question.get_by_role("button", name="Send my answer").click()
        expect(student.get_by_role("status")).to_contain_text("Saved. Thank you!")

        plan = student.locator("section", has_text="Phonics small group")
        expect(plan).to_contain_text("your score was 48")
        plan.get_by_text("Very well", exact=True).click()
        plan.get_by_label(re.compile("What helped, or what was hard")).fill(
            "Long words got easier."
        )
        plan.get_by_role("button", name="Save", exact=True).click()
        expect(plan).to_contain_text("After your last check you said it went: Very well.")
        assert _no_sideways_scroll(student)
        screenshot(student, "student-page-after-390")
        # Her family reads Spanish; she can read her page in it too.
        student.get_by_role("button", name="Español").click()
        expect(student.get_by_role("heading", name="¡Hola, Maria!")).to_be_visible()
        _no_violations(student, "the page in Spanish")
        assert _no_sideways_scroll(student)
        screenshot(student, "student-page-es-390")
        # The student's session opens nothing of the staff app.
        student.goto("/students/")
        expect(student).to_have_url(re.compile(r"/login/"))
    finally:
        phone.close()

    # The teacher's class view: her answer beside her screening result.
    page.goto("/")
    answers = card.locator("table.class-reflections")
    expect(answers).to_contain_text("1 of 2 answered")
    maria_row = answers.locator("tr", has_text="Maria Garcia")
    expect(maria_row).to_contain_text("Some risk")
    expect(maria_row).to_contain_text("Well: “I used my finger to track.”")
    expect(card.locator("ul.class-self-ratings")).to_contain_text("Long words got easier.")
    screenshot(page, "student-class-view")
    _no_violations(page, "the class view with the answers")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(answers).to_contain_text("1 of 2 answered")
    assert _no_sideways_scroll(page), "the class view scrolls sideways on a 390-px phone"
    screenshot(page, "student-class-view-390")
    page.set_viewport_size({"width": 1366, "height": 768})

    # Meeting mode: the plan's self-rating with her words.
    meeting_services.agenda_item_add(
        meeting=own.kit.meeting, student=w.student, actor=w.team_member
    )
    item = AgendaItem.objects.get(meeting=own.kit.meeting, student=w.student)
    page.get_by_role("button", name="Sign out").click()
    login(page, live_server, "team", w.password)
    page.goto(f"/meetings/{own.kit.meeting.pk}/run/{item.pk}/")
    plans = page.locator("section", has_text="Intervention plans")
    expect(plans).to_contain_text("5/5")
    expect(plans).to_contain_text("(by the student): “Long words got easier.”")
    screenshot(page, "student-meeting-card")
