"""Progress monitoring in a real Chromium: an interventionist logs a week's sessions for a
group, enters the group's scores in the grid with the keyboard (fixing a refused score in
place), and sees the recommendation and the graph of a plan update.

The group's three plans started 35 days ago (week 0), Tier 2 phonics, 3 sessions a week,
baseline 40, goal 70 in 20 weeks: aim 1.5 words a week. Five weekly scores are on record
(40 41 40 41 40, weeks 0-4) and twelve attended sessions (weeks 0-3). With five points the
rules need one more. The sixth score, 41 today (week 5), makes the last four (weeks 2-5:
40 41 40 41) all below the aim line (43, 44.5, 46, 47.5): the data-point rule says change the
intervention, and Maria's fidelity after this week's three sessions is 15 attended of
3 x 36 / 7 = 15.4 planned (97%), so the fidelity gate lets it through.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from interventions.models import InterventionSession, ProgressScore
from tests.e2e.conftest import login, screenshot
from tests.factories import StudentFactory
from tests.interventions.conftest import days_ago, kit, screening, start_plan  # noqa: F401

pytestmark = pytest.mark.e2e


def _group_of_three(world, kit):  # noqa: F811
    students = [
        world.student,
        StudentFactory(school=world.school, first_name="Ben", last_name="Baker"),
        StudentFactory(school=world.school, first_name="Cy", last_name="Hill"),
    ]
    plans = []
    for student in students:
        plan = start_plan(
            world,
            kit,
            student=student,
            start_date=days_ago(35),
            baseline=40,
            goal=70,
            goal_date=days_ago(35) + dt.timedelta(weeks=20),
            sessions_per_week=3,
            group=kit.group,
        )
        ProgressScore.objects.bulk_create(
            ProgressScore(plan=plan, date=days_ago(35 - 7 * w), score=Decimal(s))
            for w, s in enumerate([40, 41, 40, 41, 40])
        )
        InterventionSession.objects.bulk_create(
            InterventionSession(
                plan=plan, date=days_ago(35 - 7 * w - d), minutes=30, group=kit.group
            )
            for w in range(4)
            for d in (0, 2, 4)
        )
        plans.append(plan)
    return plans


def test_it_lets_an_interventionist_log_a_week_for_a_group_and_see_the_plan_update(
    page,
    live_server,
    world,
    kit,  # noqa: F811
):
    maria, ben, cy = _group_of_three(world, kit)
    login(page, live_server, "interventionist", world.password)

    # Before: Maria's plan needs one more point.
    page.goto(f"/interventions/plans/{maria.pk}/")
    expect(page.locator("#recommendation")).to_contain_text("Not enough data yet")
    expect(page.locator("#points-needed")).to_contain_text("1 more point needed")

    # The caseload leads to the group.
    page.goto("/interventions/caseload/")
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    screenshot(page, "interventions-caseload")
    page.get_by_role("link", name="Grade 3 phonics, 9:00").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grade 3 phonics, 9:00")

    # This week's three sessions; Ben missed the middle one.
    for day in (days_ago(5), days_ago(3), days_ago(1)):
        page.get_by_label("Date").fill(day.isoformat())
        expect(page.get_by_label("Minutes")).to_have_value("30")
        ben_box = page.get_by_label("Ben Baker")
        if day == days_ago(3):
            ben_box.uncheck()
        else:
            ben_box.check()
        page.get_by_role("button", name="Log session").click()
        attended = "2 of 3" if day == days_ago(3) else "3 of 3"
        expect(page.get_by_role("status").filter(has_text="logged for")).to_contain_text(
            f"{attended} attended"
        )
    assert InterventionSession.objects.filter(plan=ben, attended=False).count() == 1
    screenshot(page, "interventions-group-sessions")

    # The group's scores for today, keyboard only.
    page.get_by_role("link", name="Enter the group's scores").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enter progress scores")

    def box(name: str):
        return page.get_by_role("textbox", name=re.compile(f"for {name} on"))

    box("Ben Baker").focus()
    page.keyboard.type("999")
    page.keyboard.press("Tab")
    expect(page.locator(f"#cell-{ben.pk}")).to_contain_text("999 is outside that range")
    expect(box("Maria Garcia")).to_be_focused()
    page.keyboard.type("41")
    page.keyboard.press("Enter")  # Enter moves down too
    expect(box("Cy Hill")).to_be_focused()
    expect(page.locator(f"#rec-{maria.pk}")).to_contain_text("Change the intervention")
    page.keyboard.type("47")
    page.keyboard.press("Tab")
    expect(page.locator(f"#cell-{cy.pk}")).to_contain_text("Saved")
    box("Ben Baker").fill("44")
    box("Ben Baker").press("Tab")
    expect(page.locator(f"#cell-{ben.pk}")).to_contain_text("Saved")
    expect(page.locator(f"#cell-{ben.pk}")).not_to_contain_text("outside")
    screenshot(page, "interventions-progress-grid")
    assert ProgressScore.objects.filter(plan=ben, date=days_ago(0)).get().score == Decimal("44")

    # Maria's plan: six points on the graph and in the table, and the new recommendation.
    page.get_by_role("link", name="Garcia, Maria").click()
    expect(page.locator("#recommendation")).to_contain_text("Change the intervention")
    expect(page.locator("#explanation")).to_contain_text("6 points since")
    expect(page.locator("#explanation")).to_contain_text("are all below the aim line")
    expect(page.locator("#points-needed")).to_have_count(0)
    page.wait_for_function("document.getElementById('progress-chart').data !== undefined")
    points = page.evaluate("document.getElementById('progress-chart').data[0].y")
    assert points == [40, 41, 40, 41, 40, 41]
    expect(page.locator("#progress-table tbody tr")).to_have_count(6)
    screenshot(page, "interventions-plan-page")
