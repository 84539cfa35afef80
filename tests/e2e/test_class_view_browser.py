"""The teacher's class view (issue 20 item 1) in a real Chromium, at a laptop's width and on a
390-px phone: the home page shows the class's results, flags, plans and missing screenings
without sideways scrolling, and its link opens score entry with the first empty box focused.

The class is tests/decisions/conftest.py's Grade 3 - Lee (fall ORF Maria 38, Ana 60, Ben 72);
winter, the current window, has Maria 70 and Ana 90, and Ben is missing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from decisions.sweep import sweep
from screening.models import ScreeningScore
from tests.decisions.conftest import AS_OF, sweep_world  # noqa: F401  (the fixture)
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_teacher_sees_their_class_and_enters_the_missing_score(
    page,
    live_server,
    sweep_world,  # noqa: F811
):
    sw = sweep_world
    sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="manual")
    sw.score(sw.maria, 70, sw.winter)
    sw.score(sw.ana, 90, sw.winter)

    login(page, live_server, "teacher", sw.world.password)
    page.goto("/")
    card = page.locator("section.class-view")
    expect(card.get_by_role("heading", name=re.compile("Grade 3 - Lee"))).to_be_visible()
    expect(card).to_contain_text("1 of 2 screened students at or above benchmark (50%)")
    expect(card).to_contain_text("Classwide problem in Oral reading fluency")
    expect(card.locator("ul.class-flags li").first).to_contain_text("Maria Garcia")
    expect(card.locator("ul.class-missing")).to_contain_text("Ben Cole")
    assert _no_sideways_scroll(page)
    screenshot(page, "class-view-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(card.get_by_role("heading", name=re.compile("Grade 3 - Lee"))).to_be_visible()
    assert _no_sideways_scroll(page), "the class view scrolls sideways on a 390-px phone"
    page.screenshot(path="/tmp/class-view-390.png", full_page=True)
    screenshot(page, "class-view-390")

    # The missing-screening link opens the class's grid, the first empty box focused:
    # the teacher types at once (no key press to reach the box).
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("link", name=re.compile("Enter Oral reading fluency scores")).click()
    ben = page.get_by_role("textbox", name=re.compile("score for Ben Cole, Winter"))
    expect(ben).to_be_focused()
    page.keyboard.type("75")
    page.keyboard.press("Tab")
    expect(page.locator(f"#cell-{sw.ben.pk}")).to_contain_text("Some risk")
    assert ScreeningScore.objects.get(student=sw.ben, window=sw.winter).score == 75
    screenshot(page, "class-view-entry")

    # Opening score entry from the navigation preselects the same class, window and measure.
    page.goto("/screening/entry/")
    expect(
        page.get_by_role("heading", name="Oral reading fluency · Winter 2026-2027 · Grade 3 - Lee")
    ).to_be_visible()
    expect(page.get_by_label("Class", exact=True)).to_have_value(str(sw.world.section.pk))


def test_a_score_typed_before_the_page_has_finished_loading_is_saved(
    page,
    live_server,
    sweep_world,  # noqa: F811
):
    """The first empty box is focused as the page shows, before its scripts have loaded: a
    teacher who types a score and moves on at once must not leave it unsaved in the box."""
    sw = sweep_world
    sw.score(sw.maria, 70, sw.winter)
    sw.score(sw.ana, 90, sw.winter)
    login(page, live_server, "teacher", sw.world.password)
    page.goto("/")
    link = page.get_by_role("link", name=re.compile("Enter Oral reading fluency scores"))
    entry_url = link.get_attribute("href")

    held = []  # htmx held back, as on a slow connection, until the score has been typed
    page.route("**/htmx.min.js", lambda route: held.append(route))
    page.goto(entry_url, wait_until="commit")
    ben = page.get_by_role("textbox", name=re.compile("score for Ben Cole, Winter"))
    expect(ben).to_be_focused()
    page.keyboard.type("75")
    page.keyboard.press("Tab")
    for _ in range(100):  # the route's handler runs when Playwright next reads its events
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page never asked for htmx"
    assert not ScreeningScore.objects.filter(student=sw.ben, window=sw.winter).exists()
    held[0].continue_()

    expect(page.locator(f"#cell-{sw.ben.pk}")).to_contain_text("Some risk")
    assert ScreeningScore.objects.get(student=sw.ben, window=sw.winter).score == 75
