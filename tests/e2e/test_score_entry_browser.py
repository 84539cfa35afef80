"""Screening pages in a real Chromium: a teacher enters a class's scores with the keyboard
only, sees each risk level appear, fixes a refused value, reloads and finds the scores saved;
then the completion, referral and profile-chart pages as a principal sees them.

Grade 3 fall cut scores of the fixture: benchmark 70, high-risk cut 55 (so 62 and 55 are
"Some risk", 80 is "At or above benchmark", 40 is "High risk").
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from screening.models import ScreeningScore
from screening.services import ScoreInput, referral_create, scores_bulk_record
from tests.e2e.conftest import login, screenshot
from tests.factories import EnrollmentFactory, StudentFactory
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e

SOME_RISK_FILL = "rgb(255, 243, 205)"  # #fff3cd, .risk-some_risk in app.css
AT_OR_ABOVE_FILL = "rgb(209, 231, 221)"  # #d1e7dd
HIGH_RISK_FILL = "rgb(248, 215, 218)"  # #f8d7da


def _class_of_five(world) -> list:
    """Maria Garcia (the world's) plus four more, in the teacher's section, by last name."""
    extra = [
        ("Ava", "Adams"),
        ("Ben", "Baker"),
        ("Cy", "Hill"),
        ("Dee", "Young"),
    ]
    for first, last in extra:
        EnrollmentFactory(
            student=StudentFactory(school=world.school, first_name=first, last_name=last),
            section=world.section,
        )
    return ["Adams", "Baker", "Garcia", "Hill", "Young"]


def test_it_lets_a_teacher_enter_a_class_with_the_keyboard_only(
    page,
    live_server,
    world,
    screening,  # noqa: F811
):
    _class_of_five(world)
    login(page, live_server, "teacher", world.password)
    page.goto("/screening/entry/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter screening scores")

    # Pick the class, window and measure from the keyboard: focus each select, choose, Enter.
    page.get_by_label("Class", exact=True).select_option(label="Grade 3 - Lee · Maple Elementary")
    page.get_by_label("Screening window", exact=True).select_option(label="Fall 2026-2027")
    page.get_by_label("Measure", exact=True).select_option(label="Oral reading fluency")
    page.get_by_role("button", name="Show the class").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name=re.compile("Oral reading fluency · Fall"))
    ).to_be_visible()
    expect(page.get_by_text("Fall 2026-2027 scores entered: 0 of 5 students")).to_be_visible()
    grid_url = page.url
    # A marker on the window: it survives htmx swaps but not a page load (a submitted form).
    page.evaluate("window.__sameDocument = true")

    def box(last: str):
        return page.get_by_role("textbox", name=re.compile(f"score for .* {last}, Fall"))

    def cell(last: str):
        return page.locator("td.score-cell").filter(has=box(last))

    box("Adams").focus()
    page.keyboard.type("62")
    page.keyboard.press("Tab")  # Tab: next student, and the box saves itself
    expect(box("Baker")).to_be_focused()
    page.keyboard.type("80")
    page.keyboard.press("Enter")  # Enter moves down too, and does not submit the class
    expect(box("Garcia")).to_be_focused()
    page.keyboard.type("40")
    page.keyboard.press("Enter")
    expect(box("Hill")).to_be_focused()
    page.keyboard.type("abc")
    page.keyboard.press("Enter")
    expect(box("Young")).to_be_focused()

    # Each saved box shows its risk level in words and in colour, and the percentile.
    expect(cell("Adams")).to_contain_text("Some risk")
    expect(cell("Adams")).to_have_css("background-color", SOME_RISK_FILL)
    expect(cell("Baker")).to_contain_text("At or above benchmark")
    expect(cell("Baker")).to_have_css("background-color", AT_OR_ABOVE_FILL)
    expect(cell("Garcia")).to_contain_text("High risk")
    expect(cell("Garcia")).to_have_css("background-color", HIGH_RISK_FILL)

    # The refused value stays in its box with the message, tied to it for screen readers.
    message = "“abc” is not a number. Enter a number from 0 to 250."
    expect(cell("Hill")).to_contain_text(message)
    expect(box("Hill")).to_have_attribute("aria-invalid", "true")
    expect(box("Hill")).to_have_accessible_description(message)
    screenshot(page, "score-entry-invalid")

    # Back to Hill with Shift+Tab, fix the value, then the last student.
    page.keyboard.press("Shift+Tab")
    expect(box("Hill")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("55")
    page.keyboard.press("Tab")
    expect(box("Young")).to_be_focused()
    expect(cell("Hill")).to_contain_text("Some risk")
    expect(box("Hill")).not_to_have_attribute("aria-invalid", "true")
    page.keyboard.type("75")
    page.keyboard.press("Enter")  # after the last student: the "Save all scores" button
    expect(page.get_by_role("button", name="Save all scores")).to_be_focused()
    expect(cell("Young")).to_contain_text("At or above benchmark")
    assert page.evaluate("window.__sameDocument") is True  # no Enter submitted the form
    # The count above the grid follows the saves, without a reload.
    expect(page.get_by_text("Fall 2026-2027 scores entered: 5 of 5 students")).to_be_visible()

    # Each save refreshed the class's percentile ranks: in the norm group 40, 55, 62, 75, 80
    # the PR of 62 is 100 * (2 + 0.5) / 5 = 50, of 80 is 100 * 4.5 / 5 = 90.
    expect(cell("Adams")).to_contain_text("50th percentile")
    expect(cell("Baker")).to_contain_text("90th percentile")
    screenshot(page, "score-entry-grid")

    # Reload: every score is there, saved.
    page.goto(grid_url)
    expect(page.get_by_text("Fall 2026-2027 scores entered: 5 of 5 students")).to_be_visible()
    for last, value, level in [
        ("Adams", "62", "Some risk"),
        ("Baker", "80", "At or above benchmark"),
        ("Garcia", "40", "High risk"),
        ("Hill", "55", "Some risk"),
        ("Young", "75", "At or above benchmark"),
    ]:
        expect(box(last)).to_have_value(value)
        expect(cell(last)).to_contain_text(level)
    expect(cell("Adams")).to_contain_text("50th percentile")
    saved = sorted(ScreeningScore.objects.values_list("student__last_name", "score"))
    assert [(n, int(v)) for n, v in saved] == [
        ("Adams", 62),
        ("Baker", 80),
        ("Garcia", 40),
        ("Hill", 55),
        ("Young", 75),
    ]
    screenshot(page, "score-entry-reloaded")


def test_the_error_summary_takes_focus_and_follows_the_fixes(
    page,
    live_server,
    world,
    screening,  # noqa: F811
):
    _class_of_five(world)
    login(page, live_server, "teacher", world.password)
    f = screening
    page.goto(f"/screening/entry/?section={world.section.pk}&window={f.fall.pk}&measure={f.orf.pk}")

    def box(last: str):
        return page.get_by_role("textbox", name=re.compile(f"score for .* {last}, Fall"))

    # Two refused values and one good one, then "Save all scores" (a whole-page save).
    box("Adams").fill("abc")
    box("Baker").fill("999")
    box("Garcia").fill("62")
    page.get_by_role("button", name="Save all scores").click()
    summary = page.locator("#save-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("2 scores could not be saved")
    expect(summary.get_by_role("listitem")).to_have_count(2)
    screenshot(page, "score-entry-error-summary")

    # Fixing a box (it saves itself when left) takes its line off the summary.
    box("Adams").fill("62")
    box("Adams").press("Tab")
    expect(box("Adams")).not_to_have_attribute("aria-invalid", "true")
    expect(summary.get_by_role("listitem")).to_have_count(1)
    expect(summary.get_by_role("heading")).to_have_text("1 score still could not be saved")
    expect(summary).not_to_contain_text("Adams")

    box("Baker").fill("80")
    box("Baker").press("Tab")
    expect(summary).to_have_text("Every score listed here is now saved.")
    expect(summary).to_have_attribute("role", "status")
    assert ScreeningScore.objects.filter(window=f.fall).count() == 3
    screenshot(page, "score-entry-error-summary-fixed")


def test_it_shows_completion_referrals_and_the_profile_chart(
    page,
    live_server,
    world,
    screening,  # noqa: F811
):
    _class_of_five(world)
    screening.winter.is_open = True
    screening.winter.save()
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.fall, value=50
            ),
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.winter, value=75
            ),
            ScoreInput(
                student=world.classmate, measure=screening.orf, window=screening.fall, value=88
            ),
        ],
        entered_by=None,
    )
    import datetime as dt

    for day, behavior in [(2, "disruption"), (9, "defiance"), (16, "physical_aggression")]:
        referral_create(
            student=world.student,
            date=dt.date(2026, 10, day),
            location="classroom",
            problem_behavior=behavior,
            reported_by=None,
            staff_name="Ms. Lee",
        )
    login(page, live_server, "principal", world.password)

    page.goto("/screening/completion/")
    page.get_by_label("Screening window", exact=True).select_option(label="Fall 2026-2027 (open)")
    page.get_by_label("Measure", exact=True).select_option(label="Oral reading fluency")
    page.get_by_role("button", name="Show completion").click()
    by_school = page.get_by_role("table", name=re.compile("completion by school"))
    # Maple: 6 students in grade 3 (Maria, Liam and 4 more), 2 screened: 33 %.
    expect(by_school.get_by_role("row", name=re.compile("Maple Elementary"))).to_contain_text("33%")
    screenshot(page, "completion-principal")
    by_school.get_by_role("link", name=re.compile("not screened in Maple Elementary")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not yet screened")
    expect(page.get_by_role("link", name="Adams, Ava")).to_be_visible()

    page.goto("/screening/referrals/new/")
    page.get_by_label("Student ID").fill(world.classmate.local_id)
    page.get_by_label("Date").fill("2026-10-20")
    page.get_by_label("Location").select_option(label="Cafeteria")
    page.get_by_label("Problem behavior").select_option(label="Disruption")
    page.get_by_label("Perceived motivation").select_option(label="Get attention from peers")
    page.get_by_role("button", name="Save the referral").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved the referral for Liam Smith")
    counts = page.get_by_role("table", name=re.compile("Students with at least one referral"))
    expect(counts.get_by_role("row", name=re.compile("Garcia, Maria"))).to_contain_text(
        "2–5 major referrals"
    )
    screenshot(page, "referrals-principal")

    page.goto(f"/students/{world.student.pk}/")
    chart = page.locator(f"#screening-chart-{screening.orf.pk}")
    expect(chart.locator(".main-svg").first).to_be_attached()
    # 3 bands and 2 lines (benchmark, high-risk cut) behind each of the 2 windows.
    expect(chart.locator(".shapelayer path")).to_have_count(10)
    history = page.get_by_role("table", name=re.compile("Oral reading fluency scores by"))
    expect(history.get_by_role("row", name=re.compile("Winter 2026-2027"))).to_contain_text(
        "Some risk"
    )
    page.get_by_role("heading", name="Screening history").scroll_into_view_if_needed()
    screenshot(page, "profile-screening-chart")

    page.goto(f"/screening/behavior/?section={world.section.pk}&window={screening.fall.pk}")
    expect(page.get_by_role("heading", name="Grade 3 - Lee · Fall 2026-2027")).to_be_visible()
    expect(page.get_by_label("Takes things that are not theirs, Ava Adams")).to_be_visible()
    screenshot(page, "behavior-rating")
