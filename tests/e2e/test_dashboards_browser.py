"""Dashboards in Chromium: a district administrator filters the equity panel to one school
and one step, downloads the CSV, and finds in it exactly the numbers of the page; and a
screenshot of every panel (test-artifacts/screenshots/dashboard-*.png)."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from tests.dashboards.conftest import Dash, build_dash
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def dash(world) -> Dash:
    return build_dash(world)


def _page_table(page, key: str) -> list[list[str]]:
    """The table's cells as the user reads them (screen-reader-only text left out)."""
    return page.evaluate(
        """(key) => Array.from(document.querySelectorAll(`table[data-table="${key}"] tr`)).map(
            tr => Array.from(tr.querySelectorAll("th, td")).map(cell => {
                const copy = cell.cloneNode(true);
                copy.querySelectorAll(".visually-hidden").forEach(el => el.remove());
                return copy.textContent.replace(/\\s+/g, " ").trim();
            }))""",
        key,
    )


def test_it_lets_a_district_admin_filter_equity_and_download_what_the_page_shows(
    page, live_server, dash
):
    login(page, live_server, "districtadmin", dash.world.password)
    page.get_by_role("link", name="Dashboards").first.click()
    page.get_by_role("link", name="Equity").first.click()
    expect(page.get_by_role("heading", name="Equity", level=1)).to_be_visible()

    page.get_by_label("School", exact=True).select_option(label="Maple Elementary")
    page.get_by_label("Step of the pipeline").select_option(label="At risk")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Step: At risk")).to_be_visible()
    expect(page.locator(".dash-scope")).to_contain_text("Maple Elementary")

    # The team's own page shows every count; a download is the published figures, which
    # the page shows too when asked for the figures for reporting.
    internal = {row[0]: row for row in _page_table(page, "equity")}
    assert internal["Race/ethnicity not reported"][1] == "2 (small group: read with care)"
    page.get_by_label("Figures for").select_option(label="Reporting (small groups hidden)")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".dash-scope")).to_contain_text("Figures for reporting")

    shown = _page_table(page, "equity")
    assert shown[1][:4] == ["All students", "42", "16", "38.1%"]
    with page.expect_download() as info:
        page.locator('a[data-download="equity"]').click()
    download = info.value
    assert download.suggested_filename == "dashboard-equity-equity.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == shown
    assert [
        "Hispanic/Latino",
        "30",
        "10",
        "33.3%",
        "not enough students",
        "62.5%",
        "71.4%",
        "not enough students",
    ] in rows
    screenshot(page, "dashboard-equity")


@pytest.mark.parametrize(
    ("panel", "params", "heading"),
    [
        ("tiers", "", "Tier distribution"),
        ("core", "?school={school}", "Classes and classwide problems"),
        ("completion", "", "Screening completion"),
        ("interventions", "", "Intervention effectiveness"),
        ("behavior", "", "Referrals per school day, by month"),
    ],
)
def test_it_draws_each_panel_with_its_chart_and_table(
    page, live_server, dash, panel, params, heading
):
    login(page, live_server, "districtadmin", dash.world.password)
    page.goto(f"/dashboards/{panel}/" + params.format(school=dash.world.school.pk))
    expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    charts = page.locator("[data-dash-chart]")
    if charts.count():
        # plotly.js (from our static files) drew an SVG into every chart.
        expect(charts.first.locator("svg.main-svg").first).to_be_attached()
    screenshot(page, f"dashboard-{panel}")
