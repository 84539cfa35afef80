"""Tier 1 small groups (issue 20 item 2) in a real Chromium: from the class view, the teacher
opens the proposal, moves a student with the keyboard and another by dragging, keeps the
groups and links a resource from the district's list; the page has no accessibility
violations and does not scroll sideways on a 390-px phone.

The class is tests/decisions/conftest.py's Grade 3 - Lee: fall ORF Maria 38 (high risk), Ana 60
(some risk), Ben 72 (at or above). Winter is closed, so fall is the current window.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from smallgroups.models import GroupSet
from smallgroups.services import resource_create
from tests.decisions.conftest import sweep_world  # noqa: F401  (the fixture)
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_browser import violations

pytestmark = pytest.mark.e2e


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_teacher_builds_adjusts_keeps_and_links_small_groups(
    page,
    live_server,
    sweep_world,  # noqa: F811
):
    sw = sweep_world
    sw.winter.is_open = False
    sw.winter.save()
    sw.orf.skill = "fluency"
    sw.orf.save()
    resource_create(
        district=sw.world.district,
        actor=sw.world.district_admin,
        title="Phrase-reading practice",
        skill="fluency",
        kind="online",
        url="https://example.org/phrases",
        description="",
        lowest_grade=2,
        highest_grade=4,
        active=True,
    )

    login(page, live_server, "teacher", sw.world.password)
    page.goto("/")
    page.get_by_role("link", name="Small groups for Grade 3 - Lee").click()
    expect(page.get_by_role("heading", name="Small groups: Grade 3 - Lee")).to_be_visible()
    board = page.locator("[data-group-board]")
    group = {i: board.locator(f'[data-group-list="{i}"]') for i in range(4)}
    expect(group[0]).to_contain_text("Maria Garcia")
    expect(group[1]).to_contain_text("Ana Diaz")
    expect(group[2]).to_contain_text("Ben Cole")

    # Keyboard: Ben's "Group" list, one step up, moves his card to "Some risk"; the focus
    # stays on his list and the move is announced.
    ben = page.get_by_label("Group for Ben Cole")
    ben.focus()
    page.keyboard.press("ArrowUp")
    expect(group[1]).to_contain_text("Ben Cole")
    expect(ben).to_be_focused()
    expect(ben).to_have_value("1")
    expect(page.locator("#groups-live")).to_have_text("Ben Cole moved to Group 2: Some risk.")

    # Pointer: Maria's card dragged onto the empty fourth group.
    # Grabbed by the name at the card's top (its middle is the label of her list).
    board.locator(f'[data-student="{sw.maria.pk}"]').drag_to(
        board.locator('[data-group-drop="3"]'), source_position={"x": 12, "y": 10}
    )
    expect(group[3]).to_contain_text("Maria Garcia")
    expect(page.get_by_label("Group for Maria Garcia")).to_have_value("3")
    page.get_by_label("Name of group 4").fill("Fluency with Ms. Lee")
    assert not violations(page)
    screenshot(page, "small-groups-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_sideways_scroll(page), "the groups page scrolls sideways on a 390-px phone"
    page.screenshot(path="/tmp/small-groups-390.png", full_page=True)
    screenshot(page, "small-groups-390")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_role("button", name="Keep these groups").click()
    expect(page.get_by_role("status").first).to_contain_text("Groups kept for Grade 3 - Lee")
    kept = GroupSet.objects.get()
    assert [(g.name, [m.student_id for m in g.members.all()]) for g in kept.groups.all()] == [
        ("Some risk", [sw.ana.pk, sw.ben.pk]),
        ("Fluency with Ms. Lee", [sw.maria.pk]),
    ]

    # Link the district's fluency resource to the renamed group.
    card = page.locator(f"#kept-group-{kept.groups.get(name='Fluency with Ms. Lee').pk}")
    card.get_by_label(re.compile("Phrase-reading practice")).check()
    card.get_by_role("button", name="Save resources for Fluency with Ms. Lee").click()
    expect(page.get_by_role("status").first).to_contain_text("Resources saved")
    expect(card.get_by_role("link", name="Phrase-reading practice")).to_be_visible()
    assert [r.title for r in kept.groups.get(name="Fluency with Ms. Lee").resources.all()] == [
        "Phrase-reading practice"
    ]
    assert not violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_sideways_scroll(page)
    screenshot(page, "small-groups-kept-390")


def test_a_district_administrator_adds_a_resource_on_a_phone(page, live_server, world):
    login(page, live_server, "districtadmin", world.password)  # the laptop's width: the
    page.set_viewport_size({"width": 390, "height": 844})  # phone folds "Sign out" away
    page.goto("/settings/")
    page.get_by_role("link", name="Tier 1 resources").click()
    expect(page.get_by_role("heading", name="Tier 1 resources", exact=True)).to_be_visible()
    expect(page.get_by_text("The list is empty.")).to_be_visible()
    page.get_by_label("Title").fill("Partner reading routine")
    page.get_by_label("Skill").select_option(label="Reading fluency")
    page.get_by_label("Offline").check()
    page.get_by_label("What it is and what it needs").fill("Pairs read one passage in turns.")
    page.get_by_label("From grade").select_option("1")
    page.get_by_label("To grade").select_option("3")
    page.get_by_role("button", name="Add the resource").click()
    expect(page.get_by_role("status").first).to_contain_text("is on the list")
    expect(page.locator(".resource-list")).to_contain_text("Reading fluency · offline · grades 1")
    assert _no_sideways_scroll(page)
    assert not violations(page)
    screenshot(page, "small-groups-resources-390")
