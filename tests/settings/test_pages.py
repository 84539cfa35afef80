"""District settings pages: who may open and change them, and that every change goes through
the service (a new version where versions exist, an audit row always)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from decisions.models import RuleSet, SettingsPreview
from decisions.whatif_jobs import preview_run
from interventions.models import Intervention
from screening.models import CutScore, CutScoreSet, Measure, SchoolWindowDates, ScreeningWindow
from students.models import AccessLog, SchoolYear

PAGES = [
    ("settings_home", None),
    ("screening_settings:windows", None),
    ("screening_settings:measures", None),
    ("screening_settings:measure_new", None),
    ("screening_settings:cut_scores", None),
    ("screening_settings:accuracy", None),
    ("decisions_settings:rule_sets", None),
    ("catalog_settings:catalog", None),
    ("catalog_settings:entry_new", None),
]
# Who may open each page: district administrators everything; a school administrator the
# settings home and the windows (their school's own dates); nobody else anything.
SCHOOL_ADMIN_PAGES = {"settings_home", "screening_settings:windows"}


@pytest.fixture
def setup(world):
    year = SchoolYear.objects.get(district=world.district, is_current=True)
    fall = ScreeningWindow.objects.create(
        school_year=year,
        season="fall",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 30),
        is_open=True,
    )
    orf = Measure.objects.create(
        district=world.district,
        code="orf",
        name="Oral reading fluency",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("250"),
        lowest_grade=1,
        highest_grade=6,
    )
    orf_set = CutScoreSet.objects.create(
        district=world.district, measure=orf, name="District ORF cuts", version=1
    )
    CutScore.objects.create(
        cut_score_set=orf_set, grade=3, season="winter", benchmark=86, high_risk_cut=68
    )
    return {"year": year, "fall": fall, "orf": orf, "orf_set": orf_set}


@pytest.mark.parametrize(
    "persona",
    ["district_admin", "principal", "team_member", "teacher", "interventionist", "nobody"],
)
@pytest.mark.parametrize("name,arg", PAGES)
def test_it_opens_each_settings_page_only_to_administrators(
    client, world, setup, persona, name, arg
):
    client.force_login(world.persona(persona))
    response = client.get(reverse(name))
    if persona == "district_admin" or (persona == "principal" and name in SCHOOL_ADMIN_PAGES):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_it_shows_the_settings_entry_in_the_navigation_to_administrators_only(client, world):
    client.force_login(world.district_admin)
    assert reverse("settings_home") in client.get("/").content.decode()
    client.force_login(world.teacher)
    assert reverse("settings_home") not in client.get("/").content.decode()


@pytest.mark.parametrize("persona", ["principal", "teacher", "team_member"])
def test_it_refuses_every_district_write_to_others(client, world, setup, persona):
    client.force_login(world.persona(persona))
    fall = setup["fall"]
    posts = [
        (reverse("screening_settings:window_add"), {"season": "winter"}),
        (reverse("screening_settings:window_toggle", args=[fall.pk]), {}),
        (reverse("screening_settings:cut_score_revise", args=[setup["orf_set"].pk]), {}),
        (reverse("decisions_settings:rule_sets"), {"reason": "x"}),
        (reverse("catalog_settings:entry_new"), {"name": "x"}),
        (reverse("screening_settings:measure_new"), {"name": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    fall.refresh_from_db()
    assert fall.is_open


def test_it_lets_a_principal_set_their_own_schools_dates_only(client, world, setup):
    fall = setup["fall"]
    client.force_login(world.principal)
    url = reverse("screening_settings:window_school_dates", args=[fall.pk])
    data = {
        f"s{fall.pk}-school": world.school.pk,
        f"s{fall.pk}-start_date": "2026-09-08",
        f"s{fall.pk}-end_date": "2026-10-02",
    }
    assert client.post(url, data).status_code == 302
    dates = SchoolWindowDates.objects.get()
    assert (dates.school, dates.start_date) == (world.school, dt.date(2026, 9, 8))
    assert AccessLog.objects.filter(object_type="screening_window", user=world.principal).exists()
    # Another school of the district is not theirs.
    data[f"s{fall.pk}-school"] = world.other_school.pk
    assert client.post(url, data).status_code == 403
    assert SchoolWindowDates.objects.count() == 1


def test_it_adds_a_window_and_a_measure_through_the_services(client, world, setup):
    client.force_login(world.district_admin)
    response = client.post(
        reverse("screening_settings:window_add"),
        {"season": "winter", "start_date": "2027-01-05", "end_date": "2027-01-29"},
    )
    assert response.status_code == 302
    assert ScreeningWindow.objects.filter(season="winter").exists()
    # Outside the school year: refused in place, nothing saved.
    response = client.post(
        reverse("screening_settings:window_add"),
        {"season": "spring", "start_date": "2027-07-01", "end_date": "2027-07-20"},
    )
    assert response.status_code == 400
    assert not ScreeningWindow.objects.filter(season="spring").exists()
    response = client.post(
        reverse("screening_settings:measure_new"),
        {
            "code": "maze",
            "name": "Maze",
            "domain": "reading",
            "purpose": "screening",
            "unit": "correct",
            "min_score": "0",
            "max_score": "60",
            "higher_is_better": "on",
            "lowest_grade": "2",
            "highest_grade": "6",
            "slope_tolerance": "0.5",
            "active": "on",
        },
    )
    assert response.status_code == 302
    maze = Measure.objects.get(code="maze")
    assert AccessLog.objects.filter(object_type="measure", object_id=str(maze.pk)).exists()


def test_it_saves_an_edited_grid_as_a_draft_version_with_its_reason(client, world, setup):
    orf_set = setup["orf_set"]
    client.force_login(world.district_admin)
    url = reverse("screening_settings:cut_score_revise", args=[orf_set.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "benchmark_3_winter": "90",
            "high_risk_cut_3_winter": "70",
            "reason": "Our winter data says 86 is too low",
        },
    )
    draft = CutScoreSet.objects.get(measure=setup["orf"], version=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions_settings:cut_score_whatif", args=[draft.pk])
    assert (draft.is_active, draft.notes) == (False, "Our winter data says 86 is too low")
    row = draft.rows.get(grade=3, season="winter")
    assert (row.benchmark, row.high_risk_cut) == (90, 70)
    orf_set.refresh_from_db()
    assert orf_set.is_active  # version 1 stays in use until the draft is switched on
    # No reason: refused, nothing saved.
    response = client.post(url, {"benchmark_3_winter": "91", "high_risk_cut_3_winter": "70"})
    assert response.status_code == 400
    assert CutScoreSet.objects.filter(measure=setup["orf"]).count() == 2


def test_it_switches_a_draft_on_only_after_its_preview_and_records_who_read_it(
    client, world, setup
):
    draft = CutScoreSet.objects.create(
        district=world.district,
        measure=setup["orf"],
        name="District ORF cuts",
        version=2,
        is_active=False,
    )
    client.force_login(world.district_admin)
    activate = reverse("decisions_settings:cut_score_activate", args=[draft.pk])
    whatif = reverse("decisions_settings:cut_score_whatif", args=[draft.pk])
    client.post(activate, {"preview": "0"})
    draft.refresh_from_db()
    assert not draft.is_active
    page = client.get(whatif).content.decode()
    assert "Work out what would change" in page and "Switch version 2 on" not in page
    assert client.post(whatif)["Location"] == whatif
    client.post(whatif)  # a second click while it waits: the same job
    preview = SettingsPreview.objects.get()
    assert (preview.status, preview.requested_by, preview.version) == (
        "queued",
        world.district_admin,
        2,
    )
    assert "Waiting for a worker to start the preview" in client.get(whatif).content.decode()
    # Asked for but not read: it does not open the switch.
    client.post(activate, {"preview": str(preview.pk)})
    draft.refresh_from_db()
    assert not draft.is_active
    preview_run(
        preview.pk
    )  # the worker's part (a real worker: tests/decisions/test_whatif_jobs.py)
    page = client.get(whatif).content.decode()
    assert "Switch version 2 on" in page
    preview.refresh_from_db()
    assert (preview.status, preview.viewed_by) == ("succeeded", world.district_admin)
    client.post(activate, {"preview": str(preview.pk)})
    draft.refresh_from_db()
    preview.refresh_from_db()
    assert draft.is_active and preview.activated_by == world.district_admin
    log = AccessLog.objects.filter(object_type="cut_score_set", object_id=str(draft.pk)).last()
    assert log.detail["preview"] == preview.pk
    assert log.detail["previewed_by"].endswith("(districtadmin)")
    assert log.detail["previewed_version"] == 2


def read_preview(client, url: str) -> SettingsPreview:
    """Ask for the what-if preview on its page, work it out as the worker would, read it."""
    client.post(url)
    preview = SettingsPreview.objects.order_by("-pk").first()
    preview_run(preview.pk)
    assert client.get(url).status_code == 200
    preview.refresh_from_db()
    return preview


def test_it_revises_the_rules_as_a_draft_and_lists_every_threshold_with_its_source(
    client, world, setup
):
    client.force_login(world.district_admin)
    page = client.get(reverse("decisions_settings:rule_sets")).content.decode()
    assert "SWIS practice" in page and "McIntosh et al. 2010" in page
    assert "Source not recorded" not in page
    active = RuleSet.objects.get(district=world.district, is_active=True)
    data = {k: v for k, v in active.thresholds.items() if not isinstance(v, bool)}
    data.update({"classwide_enabled": "on", "odr_tier2_at": 3, "reason": "Local practice"})
    response = client.post(reverse("decisions_settings:rule_sets"), data)
    draft = RuleSet.objects.get(district=world.district, version=2)
    assert response.status_code == 302
    assert (draft.is_active, draft.thresholds["odr_tier2_at"], draft.notes) == (
        False,
        3,
        "Local practice",
    )
    preview = read_preview(client, response["Location"])
    assert preview.rule_set == draft and preview.viewed_by == world.district_admin
    client.post(
        reverse("decisions_settings:rule_set_activate", args=[draft.pk]),
        {"preview": str(preview.pk)},
    )
    draft.refresh_from_db()
    assert draft.is_active


def test_it_refuses_an_essa_tier_for_a_practice_and_saves_a_program(client, world, setup):
    client.force_login(world.district_admin)
    base = {
        "name": "Read Well Intervention",
        "domain": "reading",
        "tiers": ["2"],
        "evidence_kind": "practice",
        "evidence_level": "strong",
        "evidence_source": "A practice guide",
        "evidence_url": "https://example.org/review",
        "active": "on",
    }
    response = client.post(reverse("catalog_settings:entry_new"), base)
    assert response.status_code == 400
    assert "ESSA tier rates studies of a named program" in response.content.decode()
    assert not Intervention.objects.filter(district=world.district).exists()
    response = client.post(
        reverse("catalog_settings:entry_new"),
        {**base, "evidence_kind": "program", "publisher": "Example Press"},
    )
    assert response.status_code == 302
    entry = Intervention.objects.get(district=world.district)
    assert (entry.evidence_kind, entry.evidence_level, entry.publisher) == (
        "program",
        "strong",
        "Example Press",
    )
    assert AccessLog.objects.filter(object_type="intervention", object_id=str(entry.pk)).exists()


def test_it_shows_local_accuracy_per_cut_value(client, world, setup):
    from screening.models import ScreeningScore
    from tests.factories import StudentFactory

    year, orf = setup["year"], setup["orf"]
    winter = ScreeningWindow.objects.create(
        school_year=year,
        season="winter",
        start_date=dt.date(2027, 1, 5),
        end_date=dt.date(2027, 1, 29),
    )
    for fall_score, later in ((40, "high_risk"), (60, "some_risk"), (80, "at_or_above")):
        s = StudentFactory(school=world.school, grade=3)
        ScreeningScore.objects.create(
            student=s, measure=orf, window=setup["fall"], grade=3, score=fall_score
        )
        ScreeningScore.objects.create(
            student=s, measure=orf, window=winter, grade=3, score=1, risk_level=later
        )
    client.force_login(world.district_admin)
    page = client.get(
        reverse("screening_settings:accuracy"),
        {"measure": orf.pk, "grade": 3, "predictor": setup["fall"].pk, "outcome": winter.pk},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 students with both scores; 2 of them not at benchmark later" in text


def test_a_preview_worked_out_in_the_request_is_kept_as_finished_and_read(client, world, setup):
    """The API's synchronous answer (decisions.whatif_services.preview_record): the same row
    as a finished job, read by the caller, which opens the switch."""
    from django.utils import timezone

    from decisions.whatif import whatif_cut_scores
    from decisions.whatif_services import cut_score_set_activate_after_preview, preview_record

    draft = CutScoreSet.objects.create(
        district=world.district, measure=setup["orf"], name="ORF", version=2, is_active=False
    )
    whatif = whatif_cut_scores(cut_set=draft, as_of=timezone.localdate())
    preview = preview_record(actor=world.district_admin, whatif=whatif, cut_score_set=draft)
    assert (preview.status, preview.viewed_by, preview.version) == (
        "succeeded",
        world.district_admin,
        2,
    )
    cut_score_set_activate_after_preview(
        cut_score_set=draft, preview_id=preview.pk, actor=world.district_admin, audit=None
    )
    draft.refresh_from_db()
    assert draft.is_active
