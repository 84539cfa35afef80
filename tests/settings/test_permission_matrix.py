"""The settings pages that name an object (a measure, a cut-score version, a rule-set draft, a
catalog entry, a what-if page) and every settings write not covered in test_pages.py: open to
district administrators only; everyone else gets 403 and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decisions.models import RuleSet, SettingsPreview
from decisions.services import rule_set_ensure
from interventions.models import Intervention
from screening.models import CutScoreSet
from tests.settings.test_pages import setup  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

OTHERS = ["principal", "team_member", "teacher", "interventionist", "nobody"]


@pytest.fixture
def objects(world, setup):  # noqa: F811
    active = rule_set_ensure(district_id=world.district.pk)
    draft = RuleSet.objects.create(
        district=world.district,
        version=active.version + 1,
        thresholds={**active.thresholds, "odr_tier2_at": 3},
        is_active=False,
    )
    cut_draft = CutScoreSet.objects.create(
        district=world.district, measure=setup["orf"], name="Draft", version=2, is_active=False
    )
    entry = Intervention.objects.create(
        district=world.district, name="Own entry", domain="reading", tiers=[2]
    )
    return {**setup, "rule_draft": draft, "cut_draft": cut_draft, "entry": entry}


def _pages(o) -> list[str]:
    return [
        reverse("screening_settings:measure_edit", args=[o["orf"].pk]),
        reverse("screening_settings:cut_score_set", args=[o["orf_set"].pk]),
        reverse("screening_settings:cut_score_revise", args=[o["orf_set"].pk]),
        reverse("decisions_settings:rule_set_whatif", args=[o["rule_draft"].pk]),
        reverse("decisions_settings:cut_score_whatif", args=[o["cut_draft"].pk]),
        reverse("catalog_settings:entry_edit", args=[o["entry"].pk]),
    ]


def test_a_district_administrator_opens_every_page_of_an_object(client, world, objects):
    client.force_login(world.district_admin)
    for url in _pages(objects):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OTHERS)
def test_others_get_403_on_every_page_of_an_object(client, world, objects, persona):
    client.force_login(world.persona(persona))
    for url in _pages(objects):
        assert client.get(url).status_code == 403, url
    # A refused visit asks for no preview.
    assert not SettingsPreview.objects.exists()


@pytest.mark.parametrize("persona", OTHERS)
def test_others_cannot_watch_a_preview_being_worked_out(client, world, objects, persona):
    client.force_login(world.district_admin)
    client.post(reverse("decisions_settings:cut_score_whatif", args=[objects["cut_draft"].pk]))
    preview = SettingsPreview.objects.get()
    progress = reverse("decisions_settings:preview_progress", args=[preview.pk])
    assert client.get(progress).status_code == 200
    client.force_login(world.persona(persona))
    assert client.get(progress).status_code == 403


@pytest.mark.parametrize("persona", OTHERS)
def test_others_cannot_write_any_setting(client, world, objects, persona):
    o = objects
    client.force_login(world.persona(persona))
    posts = [
        (
            reverse("screening_settings:window_dates", args=[o["fall"].pk]),
            {
                f"w{o['fall'].pk}-start_date": "2026-09-02",
                f"w{o['fall'].pk}-end_date": "2026-09-29",
            },
        ),
        (reverse("screening_settings:cut_score_copy", args=[o["orf_set"].pk]), {}),
        (reverse("screening_settings:measure_edit", args=[o["orf"].pk]), {"name": "x"}),
        (reverse("decisions_settings:rule_set_activate", args=[o["rule_draft"].pk]), {}),
        (reverse("decisions_settings:cut_score_activate", args=[o["cut_draft"].pk]), {}),
        (reverse("catalog_settings:entry_edit", args=[o["entry"].pk]), {"name": "x"}),
        (reverse("decisions_settings:rule_set_whatif", args=[o["rule_draft"].pk]), {}),
        (reverse("decisions_settings:cut_score_whatif", args=[o["cut_draft"].pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    o["fall"].refresh_from_db()
    o["rule_draft"].refresh_from_db()
    o["cut_draft"].refresh_from_db()
    o["entry"].refresh_from_db()
    assert str(o["fall"].start_date) == "2026-09-01"
    assert not o["rule_draft"].is_active and not o["cut_draft"].is_active
    assert o["entry"].name == "Own entry"
    assert CutScoreSet.objects.filter(district=world.district).count() == 2
    assert not SettingsPreview.objects.exists()
