"""Two people on one score grid, in a real Chromium: the teacher types a score into a box a
colleague has just filled; the box says what the colleague saved and what the teacher typed,
keeps the teacher's value, and "Save all scores" then replaces the colleague's on purpose.
Then the plan page's phase form answers a stale change with both versions side by side."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from interventions import services as plan_services
from screening.models import ScreeningScore
from screening.services import score_record
from tests.e2e.conftest import login, screenshot
from tests.interventions.conftest import Kit, days_ago, kit, start_plan  # noqa: F401
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_a_score_box_shows_both_values_when_a_colleague_saved_first(
    page,
    live_server,
    world,
    screening,  # noqa: F811
):
    login(page, live_server, "teacher", world.password)
    page.goto(
        f"{live_server.url}/screening/entry/?section={world.section.pk}"
        f"&window={screening.fall.pk}&measure={screening.orf.pk}"
    )
    box = page.get_by_role("textbox", name=re.compile("score for Maria Garcia, Fall"))
    cell = page.locator("td.score-cell").filter(has=box)
    expect(box).to_have_value("")

    # Meanwhile the school's team member saves 62 for Maria.
    score_record(
        student=world.student,
        measure=screening.orf,
        window=screening.fall,
        value="62",
        entered_by=world.team_member,
    )

    box.fill("58")
    box.press("Tab")
    expect(cell).to_contain_text("Saved by your colleague: 62. Yours: 58")
    expect(box).to_have_value("58")
    expect(box).to_have_attribute("aria-invalid", "true")
    screenshot(page, "score-entry-conflict")
    assert ScreeningScore.objects.get(student=world.student).score == 62

    page.get_by_role("button", name="Save all scores").click()
    expect(page.get_by_text("Saved the class's")).to_be_visible()
    expect(box).to_have_value("58")
    assert ScreeningScore.objects.get(student=world.student).score == 58


def test_the_phase_form_shows_theirs_and_yours(page, live_server, world, kit):  # noqa: F811
    plan = start_plan(world, kit)
    login(page, live_server, "interventionist", world.password)
    page.goto(f"{live_server.url}/interventions/plans/{plan.pk}/")
    form = page.locator("#phase_form")
    form.get_by_label("Goal (optional)", exact=True).fill("90")
    form.get_by_label("Why it changes").fill("Progress is steady; aim higher")

    # Meanwhile the team starts phase 2 with a goal of 80.
    plan_services.plan_change_phase(
        plan=plan,
        goal=80,
        reason="Team decision",
        actor=world.team_member,
        start_date=days_ago(14),
    )

    form.get_by_role("button", name="Start new phase").click()
    panel = page.get_by_role("alert").filter(has_text="someone else changed this first")
    expect(panel).to_contain_text("Saved by your colleague")
    expect(panel.get_by_role("row", name=re.compile("^Goal 80 90"))).to_be_visible()
    screenshot(page, "plan-phase-conflict")
