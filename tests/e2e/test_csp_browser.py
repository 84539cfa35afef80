"""The Content-Security-Policy in Chromium: every role's main pages load, draw their charts
and run their scripts without the browser reporting a single violation.

The `page` fixture (tests/e2e/conftest.py) fails any browser test on a reported violation;
this test makes sure each role's main pages are among those opened.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.dashboards.conftest import Dash, build_dash
from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

EVERYONE = [
    "/",
    "/students/",
    "/screening/entry/",
    "/screening/completion/",
    "/screening/referrals/",
    "/interventions/plans/",
    "/interventions/catalog/",
    "/password/change/",
]
TEAM = [
    "/flags/",
    "/meetings/",
    "/dashboards/",
    "/dashboards/tiers/",
    "/dashboards/completion/",
    "/dashboards/interventions/",
    "/dashboards/behavior/",
]
PAGES = {
    "teacher": EVERYONE,
    "interventionist": [*EVERYONE, "/interventions/caseload/", "/interventions/progress/"],
    "team": [*EVERYONE, *TEAM],
    "principal": [*EVERYONE, *TEAM],
    "districtadmin": [*EVERYONE, *TEAM, "/data/imports/", "/data/exports/"],
}


@pytest.fixture
def dash(world) -> Dash:
    return build_dash(world)


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("username", list(PAGES))
def test_a_roles_main_pages_break_no_rule_of_the_policy(page, live_server, dash, username):
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    login(page, live_server, username, dash.world.password)
    pages = list(PAGES[username])
    if username != "interventionist":
        # A student with a screening history chart, and a plan with its progress chart.
        pages += [
            f"/students/{dash.plans[0].student_id}/",
            f"/interventions/plans/{dash.plans[0].pk}/",
        ]
    for url in pages:
        _visit(page, url)
    if "/dashboards/tiers/" in pages:
        page.goto("/dashboards/tiers/")
        expect(page.locator("[data-dash-chart] svg.main-svg").first).to_be_attached()
    assert violations == []


def test_the_admin_and_the_api_docs_break_no_rule_of_the_policy(page, live_server, dash):
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    root.set_password(dash.world.password)
    root.save()
    login(page, live_server, "root", dash.world.password)
    for url in [
        "/admin/",
        "/admin/students/student/",
        f"/admin/students/student/{dash.plans[0].student_id}/change/",
        "/admin/students/user/",
        f"/admin/students/user/{dash.world.teacher.pk}/change/",
        "/api/docs/",
    ]:
        _visit(page, url)
    expect(page.locator(".swagger-ui").first).to_be_attached()
    assert violations == []
