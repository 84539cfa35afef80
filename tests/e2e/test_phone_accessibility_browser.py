"""The pages teachers and team members use, on a 390-px-wide phone (issue 20's quality bar):
axe-core finds no serious or critical violation at that width, and the score box and meeting
mode fit the screen without sideways scrolling.

The desktop check of every role is tests/e2e/test_accessibility_browser.py; this file reuses
its demo district and its way of reaching each page, so the two check the same pages.
Wide tables elsewhere may scroll inside their own scroll box, which is allowed; the two pages
a teacher or a team uses standing up (entering scores, the meeting) must not scroll the page.
"""

from __future__ import annotations

import pytest

from students.demo import DEMO_PASSWORD
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_browser import AXE, PAGES, demo  # noqa: F401 -- the fixture

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
MUST_FIT = {
    ("teacher", "score-entry"),
    ("teacher", "score-entry-refused"),
    ("team", "meeting-mode"),
}
ROLES = ("teacher", "team")


def _serious(page) -> list[str]:
    found = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {node['target']}"
        for v in found
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"]
    ]


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_teacher_and_team_pages_on_a_phone(page, live_server, demo):  # noqa: F811
    found: dict[str, list[str]] = {}
    for role in ROLES:
        # Signing in and out at a laptop's width: on a phone the sign-out button sits in the
        # folded navigation menu.
        page.set_viewport_size(DESKTOP)
        login(page, live_server, role, DEMO_PASSWORD)
        page.set_viewport_size(PHONE)
        for name, reach in PAGES[role]:
            reach(page, demo)
            page.wait_for_load_state("networkidle")
            screenshot(page, f"phone-{role}-{name}")
            problems = _serious(page)
            if (role, name) in MUST_FIT and _scrolls_sideways(page):
                problems.append("the page scrolls sideways on a 390-px screen")
            if problems:
                found[f"{role}: {name} ({page.url})"] = problems
        page.set_viewport_size(DESKTOP)
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("heading", name="Sign in").wait_for()
    assert not found, "On a 390-px phone:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items()
    )
