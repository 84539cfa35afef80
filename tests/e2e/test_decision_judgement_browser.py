"""Decisions judged against the right rule, in a real Chromium (issue 15): the team runs a
meeting where Ben, on a Tier 2 plan delivered at about 60 % of its planned sessions, is
intensified (the fidelity gate asks for the team's reason, and the decision is recorded as
against the rules), and Ana, on a Tier 3 plan that is responding, is continued (recorded as
following the rules, judged against the plan's analysis rather than her old Tier 3 screening
flag, which the plan already serves)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Flag
from meetings import services
from meetings.models import Decision
from tests.e2e.conftest import login, screenshot
from tests.factories import EnrollmentFactory, StudentFactory
from tests.meetings.conftest import kit  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e

FLAT = [42, 43, 42, 44, 43, 44, 43, 44, 44, 45]  # far below the aim line 42 -> 72
RISING = [42, 44, 46, 48, 49, 51, 53, 54, 56, 58]  # on the aim line


def _heading(page):
    return page.get_by_role("heading", level=1)


def test_a_team_continues_a_responding_plan_and_escalates_under_low_fidelity(
    page,
    live_server,
    kit,  # noqa: F811
):
    w = kit.world
    ana = StudentFactory(school=w.school, first_name="Ana", last_name="Ruiz")
    ben = StudentFactory(school=w.school, first_name="Ben", last_name="Cole")
    for s in (ana, ben):
        EnrollmentFactory(student=s, section=w.section)
    ana_plan = kit.plan(ana, tier=3)
    kit.progress(ana_plan, RISING, delivered=1.0)
    old = kit.flag(ana, kind="screening_risk", tier=3, created_at=timezone.now() - dt.timedelta(90))
    # As the sweep leaves it (decisions.served): context on the plan, not a new referral.
    Flag.objects.filter(pk=old.pk).update(context_plan=ana_plan)
    ben_plan = kit.plan(ben)
    kit.progress(ben_plan, FLAT, delivered=0.6)
    kit.flag(ben, kind="progress_improve_fidelity", tier=2, plan=ben_plan)
    services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)

    login(page, live_server, "team", w.password)
    page.goto(f"/meetings/{kit.meeting.pk}/")
    page.get_by_role("button", name="Start the meeting").click()
    expect(_heading(page)).to_have_text("Ben Cole")
    expect(page.locator("#plans-title").locator("xpath=..")).to_contain_text(
        "Recommendation: Deliver the plan as written first."
    )

    # Ben: intensify. The fidelity gate asks for the team's reason first.
    page.get_by_role("radio", name="Intensify").check()
    page.get_by_label("Plan (plan changes)").select_option(index=1)
    page.get_by_label("Sessions a week").fill("5")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("the fidelity gate").first).to_be_visible()
    screenshot(page, "judgement-gate-asks-for-reason")
    assert not Decision.objects.exists()
    page.get_by_label("Rationale").fill("A new interventionist starts Monday; more time then.")
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("status").filter(has_text="Decision recorded for Ben Cole.")
    ).to_be_visible()
    decided = page.get_by_role("heading", name="Decided in this meeting").locator("xpath=..")
    expect(decided).to_contain_text("Against the rules")
    expect(decided).to_contain_text("Judged against the fidelity gate")
    screenshot(page, "judgement-ben-override")

    # Ana: continue her responding Tier 3 plan.
    page.keyboard.press("j")
    expect(_heading(page)).to_have_text("Ana Ruiz")
    page.get_by_label("Continue the plan").check()
    page.get_by_label("Plan (plan changes)").select_option(index=1)
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("status").filter(has_text="Decision recorded for Ana Ruiz.")
    ).to_be_visible()
    decided = page.get_by_role("heading", name="Decided in this meeting").locator("xpath=..")
    expect(decided).to_contain_text("Judged against the plan's current analysis")
    expect(decided).not_to_contain_text("Against the rules")
    screenshot(page, "judgement-ana-follows")

    ben_d = Decision.objects.get(student=ben)
    ana_d = Decision.objects.get(student=ana)
    assert (ben_d.is_override, ben_d.judged_basis) == (True, "fidelity_gate")
    assert (ana_d.follows_rule, ana_d.is_override, ana_d.judged_basis) == (True, False, "plan")
