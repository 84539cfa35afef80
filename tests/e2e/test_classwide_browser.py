"""A grade-level data meeting in a real Chromium decides one classwide item: the team tries
"continue core instruction" without a reason (refused, the form says why), then starts a
classwide intervention; the card shows the class plan and the decision as following the
rules, and the class's Tier 2 flag waits. axe-core finds no violation in either state."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import ClasswidePlan
from meetings import services
from meetings.models import AgendaItem, ClasswideDecision
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_browser import violations
from tests.meetings.conftest import kit  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_a_team_decides_a_classwide_item_in_meeting_mode(page, live_server, kit):  # noqa: F811
    w = kit.world
    flag = kit.flag(
        None,
        kind="classwide",
        tier=2,
        section=w.section,
        measure=kit.orf,
        window=kit.screening.fall,
    )
    flag.evidence = {
        "kind": "classwide",
        "rule": "classwide_median",
        "rule_enabled": True,
        "classwide_problem": True,
        "n": 3,
        "n_below_benchmark": 2,
        "higher_is_better": True,
        "benchmark": 70.0,
        "median_score": 55.0,
    }
    flag.save(update_fields=["evidence"])
    meeting = services.meeting_create(
        school=w.school,
        kind="grade_level",
        grade=3,
        window=kit.screening.fall,
        scheduled_at=timezone.now(),
        actor=w.principal,
    )
    services.meeting_prepare_agenda(meeting=meeting, actor=w.team_member)
    item = AgendaItem.objects.get(meeting=meeting, kind="classwide")
    kit.flag(w.student, tier=2)  # raised after the agenda was prepared: open, held by the plan
    login(page, live_server, "team", w.password)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Start the meeting").click()
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/run/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Classwide problem: Grade 3 - Lee")

    form = page.locator("form", has=page.get_by_role("button", name="Record decision")).first
    page.get_by_label("Continue core instruction as it is").check()
    form.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Say why the class continues core instruction")).to_be_visible()
    screenshot(page, "meeting-classwide-refused")
    assert violations(page) == []
    assert not ClasswideDecision.objects.exists()

    page.get_by_label("Start a classwide intervention").check()
    page.get_by_role("button", name="Record decision").first.click()
    expect(page.get_by_role("heading", name="Classwide intervention running")).to_be_visible()
    expect(page.get_by_text("Follows the rules")).to_be_visible()
    expect(page.get_by_text("1 open Tier 2 flag of students in this class waits")).to_be_visible()
    screenshot(page, "meeting-classwide-decided")
    assert violations(page) == []
    plan = ClasswidePlan.objects.get()
    assert (plan.section_id, plan.status) == (w.section.pk, "active")
