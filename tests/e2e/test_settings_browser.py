"""District settings in a real Chromium: a district administrator revises the grade 3 winter
cut scores, asks for the what-if, watches it being worked out on a real Celery worker (the
progress bar), reads it by student group, switches the new version on, and (once the rules
have run, as the worker does after the switch) sees the new version on a flag.

The district: grade 3, winter window open (it started in November, so it is the current
window), ORF winter 86 / 68. Twelve students score 80 (some risk under 86/68); raising the
benchmark to 90 leaves them at some risk, and 6 students at 88 (at benchmark today) would
gain a flag.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Flag
from decisions.sweep import sweep
from decisions.whatif_jobs import TEST_PAUSE_ENV
from mtss.celery import app
from screening import services as screening_services
from screening.models import CutScore, CutScoreSet, Measure, ScreeningWindow
from screening.services import ScoreInput
from students.models import SchoolYear
from tests.e2e.conftest import login, screenshot
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def district(world):
    year = SchoolYear.objects.get(district=world.district, is_current=True)
    today = timezone.localdate()
    winter = ScreeningWindow.objects.create(
        school_year=year,
        season="winter",
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=30),
        is_open=True,
    )
    orf = Measure.objects.create(
        district=world.district,
        code="orf",
        name="Oral reading fluency",
        domain="reading",
        unit="words correct per minute",
        min_score=Decimal("0"),
        max_score=Decimal("250"),
        lowest_grade=1,
        highest_grade=6,
    )
    orf_set = CutScoreSet.objects.create(
        district=world.district, measure=orf, name="District ORF cuts", version=1
    )
    for season, bench, cut in (("fall", 70, 55), ("winter", 86, 68), ("spring", 100, 80)):
        CutScore.objects.create(
            cut_score_set=orf_set, grade=3, season=season, benchmark=bench, high_risk_cut=cut
        )
    rows = []
    for i, value in enumerate([80] * 12 + [88] * 6):
        s = StudentFactory(school=world.school, grade=3, first_name=f"Kid{i}", last_name="Lee")
        EnrollmentFactory(student=s, section=world.section)
        rows.append(ScoreInput(student=s, measure=orf, window=winter, value=value))
    screening_services.scores_bulk_record(rows=rows, entered_by=None)
    sweep(district_id=world.district.pk, as_of=today)
    return {"winter": winter, "orf": orf, "orf_set": orf_set}


@pytest.fixture
def celery_worker(monkeypatch):
    """A real worker in this process; each preview pauses 3 s after its first step, long
    enough to see the progress bar (decisions.whatif_jobs.TEST_PAUSE_ENV)."""
    monkeypatch.setenv(TEST_PAUSE_ENV, "3")
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
        yield w


def test_it_revises_winter_cut_scores_after_reading_the_what_if(
    page, live_server, world, district, celery_worker
):
    login(page, live_server, "districtadmin", world.password)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="District settings")).to_be_visible()
    page.get_by_role("link", name="Cut scores", exact=True).click()
    page.get_by_role("link", name="District ORF cuts, version 1").click()
    page.get_by_role("link", name="Edit (makes a new version)").click()
    page.get_by_label("Grade 3 winter benchmark").fill("90")
    page.get_by_label("Why are the cut scores changing?").fill(
        "Our grade 3 winter students at 86-89 mostly missed the spring benchmark."
    )
    screenshot(page, "settings-cut-score-grid")
    page.get_by_role("button", name="Save as a draft").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("What would change")
    page.get_by_role("button", name="Work out what would change").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Working out what would change", timeout=30_000
    )
    expect(page.get_by_role("progressbar")).to_be_visible()
    screenshot(page, "settings-what-if-progress")
    # The page reloads itself into the result once the worker is done.
    expect(page.get_by_role("heading", name="By student group")).to_be_visible(timeout=60_000)
    groups = page.get_by_role("table").first
    expect(groups).to_contain_text("Race/ethnicity: Not reported")
    expect(page.get_by_text("Gain a flag").first).to_be_visible()
    totals = page.get_by_role("list", name="Totals")
    expect(totals).to_contain_text("6")
    screenshot(page, "settings-what-if")
    page.get_by_role("button", name="Switch version 2 on").click()
    expect(page.get_by_role("status").first).to_contain_text("version 2 is in use")

    # The worker sweeps the district after the switch; here the test runs it.
    sweep(district_id=world.district.pk, as_of=timezone.localdate())
    flag = Flag.objects.filter(kind="screening_risk", status="open").order_by("pk").last()
    page.goto(f"/flags/{flag.pk}/")
    expect(page.get_by_text("cut-score set v2").first).to_be_visible()
    screenshot(page, "settings-flag-new-version")
