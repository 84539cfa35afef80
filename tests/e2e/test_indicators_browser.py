"""Browser: the CICO point card on a phone, and the early-warning dashboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from interventions.models import CicoCard
from screening.models import Measure
from students.models_imports import ImportJob
from tests.e2e.conftest import login, screenshot
from tests.indicators.helpers import (
    SCHOOL_DAYS,
    attendance_csv,
    calendar_csv,
    month_for,
    run_import,
)
from tests.interventions.conftest import kit, start_plan  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_point_card_on_a_phone(page, live_server, world, kit):  # noqa: F811
    measure = Measure.objects.create(
        district=world.district, code="dpr", name="Daily point card (% of points earned)",
        domain="behavior", area="behavior", purpose=Measure.Purpose.PROGRESS,
        unit="percent of points", min_score=Decimal("0"), max_score=Decimal("100"),
        higher_is_better=True, lowest_grade=0, highest_grade=12,
    )  # fmt: skip
    plan = start_plan(
        world, kit, intervention=kit.cico, domain="behavior", measure=measure,
        baseline=Decimal("50"), goal=Decimal("80"),
    )  # fmt: skip
    login(page, live_server, "interventionist", world.password)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone, after signing in
    page.goto(f"/interventions/plans/{plan.pk}/card/")
    expect(page.get_by_role("heading", name="Daily point card")).to_be_visible()
    page.get_by_label("Checked in this morning").check()
    for period in range(4):
        for expectation in range(3):
            page.locator(f"label[for='p{period}_{expectation}_2']").click()
    page.locator("label[for='p3_2_1']").click()
    page.get_by_role("button", name="Save the card").click()
    expect(page.get_by_text("95.83% of points")).to_be_visible()
    screenshot(page, "cico-card-phone")
    assert CicoCard.objects.get().percent == Decimal("95.83")


def test_early_warning_dashboard(page, live_server, world, tmp_path):
    run_import(
        tmp_path, ImportJob.Kind.SCHOOL_CALENDAR, calendar_csv("Maple Elementary"),
        district=world.district,
    )  # fmt: skip
    world.student.local_id = "S1"
    world.student.save()
    rows = month_for("S1", {SCHOOL_DAYS[3]: "E", SCHOOL_DAYS[10]: "U"})
    run_import(tmp_path, ImportJob.Kind.ATTENDANCE, attendance_csv(rows), district=world.district)
    login(page, live_server, "principal", world.password)
    page.goto("/dashboards/early-warning/")
    expect(page.get_by_role("heading", name="By school")).to_be_visible()
    screenshot(page, "early-warning-dashboard")
    page.goto(f"/students/{world.student.pk}/")
    expect(page.get_by_text("Chronically absent").first).to_be_visible()
    screenshot(page, "profile-attendance-card")


def test_upload_form_and_passing_rule_page(page, live_server, world):
    login(page, live_server, "districtadmin", world.password)
    page.goto("/data/imports/")
    page.get_by_label("Daily attendance (.csv)").check()  # keyboard-reachable radio, labelled
    expect(page.get_by_text("P present, T tardy")).to_be_visible()
    screenshot(page, "import-upload-kinds")
    page.goto("/settings/marks/")
    page.get_by_label("Lowest passing percent").fill("65")
    page.get_by_role("button", name="Save the passing rule").click()
    expect(page.get_by_text("Passing rule saved.")).to_be_visible()
    screenshot(page, "marks-passing-rule")
