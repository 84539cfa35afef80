"""A team meeting in a real Chromium: the facilitator opens the prepared meeting, steps
through three students with the keyboard, places Maria in Tier 2 with Read Naturally,
continues Ben's plan, dismisses Liam's flag with a rationale, adds an action item, closes the
meeting and reads the minutes; Maria's profile then shows the new plan and tier.

Agenda of the fixture (all Tier 2 prompts; students nobody serves yet first, then who waited
longest): Maria Garcia (screening, reading), Liam Smith (screening, math), Ben Cole (his
Phonics plan, started ten weeks ago and never reviewed, with a "deliver the plan as written
first" prompt: already served, so after the others).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Flag
from interventions.models import InterventionPlan, TierPlacement
from meetings import services
from meetings.models import Decision
from tests.e2e.conftest import login, screenshot
from tests.factories import EnrollmentFactory, StudentFactory
from tests.meetings.conftest import kit  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def _prepared(kit):  # noqa: F811
    w = kit.world
    ben = StudentFactory(school=w.school, first_name="Ben", last_name="Cole")
    EnrollmentFactory(student=ben, section=w.section)
    plan = kit.plan(ben)
    t0 = timezone.now() - dt.timedelta(days=30)
    kit.flag(w.student, tier=2, created_at=t0)
    kit.flag(
        ben,
        kind="progress_improve_fidelity",
        tier=2,
        plan=plan,
        created_at=t0 + dt.timedelta(days=1),
    )
    kit.flag(w.classmate, tier=2, domain="math", created_at=t0 + dt.timedelta(days=2))
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    return ben, plan


def _heading(page):
    return page.get_by_role("heading", level=1)


def test_it_runs_a_meeting_from_agenda_to_minutes(page, live_server, kit):  # noqa: F811
    w = kit.world
    ben, ben_plan = _prepared(kit)
    login(page, live_server, "team", w.password)

    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Problem-solving team meeting").first.click()
    agenda = page.locator("#agenda")
    expect(agenda.get_by_role("link")).to_have_text(["Maria Garcia", "Liam Smith", "Ben Cole"])
    screenshot(page, "meeting-agenda")

    # Reorder from the keyboard: the item moves, the focus stays on its button, and the
    # change is announced.
    up = page.get_by_role("button", name=re.compile("move Ben Cole up"))
    up.focus()
    page.keyboard.press("Enter")
    expect(agenda.get_by_role("link")).to_have_text(["Maria Garcia", "Ben Cole", "Liam Smith"])
    expect(page.get_by_role("button", name=re.compile("move Ben Cole up"))).to_be_focused()
    expect(page.locator("#agenda-live")).to_have_text("Ben Cole is now item 2 of 3.")
    page.get_by_role("button", name=re.compile("move Ben Cole down")).press("Enter")
    expect(agenda.get_by_role("link")).to_have_text(["Maria Garcia", "Liam Smith", "Ben Cole"])

    page.get_by_role("button", name="Start the meeting").click()
    expect(_heading(page)).to_have_text("Maria Garcia")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^0:0\d$"))

    # Step through the three students with the keyboard, and back.
    page.keyboard.press("j")
    expect(_heading(page)).to_have_text("Liam Smith")
    page.keyboard.press("Alt+ArrowRight")
    expect(_heading(page)).to_have_text("Ben Cole")
    page.keyboard.press("k")
    expect(_heading(page)).to_have_text("Liam Smith")
    page.keyboard.press("Alt+ArrowLeft")
    expect(_heading(page)).to_have_text("Maria Garcia")

    # Typing a "j" in a field types a j; it does not move on.
    notes = page.get_by_label("Notes on Maria Garcia")
    notes.fill("Reads slowly but accurately; ")
    notes.press("j")
    expect(_heading(page)).to_have_text("Maria Garcia")
    expect(notes).to_have_value("Reads slowly but accurately; j")
    notes.fill("Reads slowly but accurately.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_role("status").filter(has_text="Notes saved.")).to_be_visible()

    # Maria: Tier 2 with Read Naturally.
    page.get_by_label("Place in Tier 2").check()
    page.get_by_label("Intervention (placements)").select_option(label="Read Naturally")
    page.get_by_label("Interventionist").select_option(label="Pat Nguyen")
    page.get_by_label("Progress measure (placements)").select_option(label="Oral reading fluency")
    page.get_by_label("Goal score").fill("90")
    page.get_by_label("Goal date").fill((timezone.localdate() + dt.timedelta(weeks=12)).isoformat())
    screenshot(page, "meeting-card-maria")
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("status").filter(has_text="Decision recorded for Maria Garcia.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Decided in this meeting")).to_be_visible()

    # Ben: continue his plan.
    page.keyboard.press("Alt+ArrowRight")
    expect(_heading(page)).to_have_text("Liam Smith")
    page.keyboard.press("j")
    expect(_heading(page)).to_have_text("Ben Cole")
    page.get_by_label("Continue the plan").check()
    page.get_by_label("Plan (plan changes)").select_option(index=1)
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("status").filter(has_text="Decision recorded for Ben Cole.")
    ).to_be_visible()
    screenshot(page, "meeting-card-ben")

    # Liam: dismiss the flag, which needs a rationale.
    page.keyboard.press("k")
    expect(_heading(page)).to_have_text("Liam Smith")
    page.get_by_label("Dismiss the flag").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Say why: the team's reason is part of the record.")).to_be_visible()
    page.get_by_label("Rationale").fill("New arrival; screened before his English assessment.")
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("status").filter(has_text="Decision recorded for Liam Smith.")
    ).to_be_visible()

    # An action item about Liam for his teacher.
    page.get_by_label("What needs doing").fill("Ask the EL teacher for Liam's language screener")
    page.get_by_label("Who").select_option(label="Pat Lee (Ms. Lee)")
    page.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add action item").click()
    expect(page.get_by_role("status").filter(has_text="Action item added.")).to_be_visible()

    # Close the meeting and read the minutes.
    page.get_by_role("link", name="Agenda", exact=True).click()
    page.get_by_role("button", name="Close the meeting").click()
    expect(_heading(page)).to_have_text("Minutes: Problem-solving team meeting")
    minutes = page.locator(".minutes-decisions")
    expect(minutes).to_contain_text(
        "Maria G. will receive Read Naturally (Tier 2) from Pat Nguyen, 4x30 min a week"
    )
    expect(minutes).to_contain_text("Ben C. will continue Phonics small group (Tier 2)")
    expect(minutes).to_contain_text("The team dismissed the flag for Liam S.")
    expect(page.get_by_text("Ask the EL teacher for Liam's language screener")).to_be_visible()
    expect(page.get_by_text("Final", exact=True)).to_be_visible()
    screenshot(page, "meeting-minutes")

    # Maria's profile shows the new plan and her tier.
    page.goto(f"/students/{w.student.pk}/")
    plans_card = page.locator("#card-plans").locator("xpath=..")
    expect(plans_card).to_contain_text("Read Naturally")
    expect(plans_card).to_contain_text("Tier 2")
    expect(page.locator("#card-meetings").locator("xpath=..")).to_contain_text("Place in Tier 2")
    screenshot(page, "meeting-profile-maria")

    plan = InterventionPlan.objects.get(student=w.student, status="active")
    assert plan.intervention == kit.fluency
    assert TierPlacement.objects.get(student=w.student, end_date__isnull=True).tier == 2
    assert Decision.objects.filter(meeting=kit.meeting).count() == 3
    assert set(Flag.objects.values_list("status", flat=True)) == {"accepted", "dismissed"}
    ben_plan.refresh_from_db()
    assert ben_plan.status == "active"


def test_it_shows_a_teacher_their_action_items_with_the_overdue_one_labelled(
    page,
    live_server,
    kit,  # noqa: F811
):
    w = kit.world
    today = timezone.localdate()
    services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        student=w.student,
        description="Send home the weekly reading log",
        due_date=today - dt.timedelta(days=3),
        actor=w.team_member,
    )
    services.action_item_create(
        meeting=kit.meeting,
        owner=w.teacher,
        description="Try the seat change for a week",
        due_date=today + dt.timedelta(days=5),
        actor=w.team_member,
    )
    login(page, live_server, "teacher", w.password)
    section = page.get_by_role("region", name="My action items")
    expect(section.get_by_role("listitem")).to_have_count(2)
    expect(section.get_by_role("listitem").first).to_contain_text("Overdue")
    expect(section.get_by_role("listitem").nth(1)).not_to_contain_text("Overdue")
    screenshot(page, "home-action-items")
    section.get_by_role("button", name=re.compile("Send home the weekly reading log")).click()
    expect(page.get_by_role("status").filter(has_text="Action item marked done.")).to_be_visible()
    expect(
        page.get_by_role("region", name="My action items").get_by_role("listitem")
    ).to_have_count(1)
