"""The Django admin cannot switch a cut-score or rule-set version on by itself: a version
made there is a draft, and its only way to be switched on is the settings page's what-if
preview, whose activation records who read it (issue 17)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from decisions.models import RuleSet
from decisions.services import rule_set_ensure
from screening.models import CutScore, CutScoreSet, Measure
from students.models import AccessLog
from tests.factories import UserFactory
from tests.settings.test_pages import read_preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, world):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def orf(world):
    measure = Measure.objects.create(
        district=world.district,
        code="orf",
        name="Oral reading fluency",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("250"),
        lowest_grade=1,
        highest_grade=6,
    )
    v1 = CutScoreSet.objects.create(
        district=world.district, measure=measure, name="District ORF cuts", version=1
    )
    CutScore.objects.create(
        cut_score_set=v1, grade=3, season="winter", benchmark=86, high_risk_cut=68
    )
    return measure, v1


def test_the_admin_has_no_activate_action_of_its_own(client, root, orf):
    page = client.get(reverse("admin:screening_cutscoreset_changelist")).content.decode()
    assert 'value="activate"' not in page
    assert 'value="preview_and_activate"' in page


def test_switching_on_from_the_admin_goes_through_the_preview_and_records_it(
    client, root, world, orf
):
    measure, v1 = orf
    draft = CutScoreSet.objects.create(
        district=world.district,
        measure=measure,
        name="District ORF cuts",
        version=2,
        is_active=False,
    )
    response = client.post(
        reverse("admin:screening_cutscoreset_changelist"),
        {"action": "preview_and_activate", "_selected_action": [draft.pk]},
    )
    whatif = reverse("decisions_settings:cut_score_whatif", args=[draft.pk])
    assert (response.status_code, response["Location"]) == (302, whatif)
    draft.refresh_from_db()
    assert not draft.is_active  # nothing switched on by the action itself
    preview = read_preview(client, whatif)
    assert (preview.cut_score_set, preview.viewed_by) == (draft, root)
    client.post(
        reverse("decisions_settings:cut_score_activate", args=[draft.pk]),
        {"preview": str(preview.pk)},
    )
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert (draft.is_active, v1.is_active) == (True, False)
    log = AccessLog.objects.filter(object_type="cut_score_set", object_id=str(draft.pk)).last()
    assert log.detail["preview"] == preview.pk


def test_a_set_added_in_the_admin_is_a_draft(client, root, world, orf):
    measure, v1 = orf
    response = client.post(
        reverse("admin:screening_cutscoreset_add"),
        {
            "district": world.district.pk,
            "measure": measure.pk,
            "name": "Typed in the admin",
            "method": "criterion",
            "high_risk_below_pr": 20,
            "some_risk_below_pr": 40,
            "rows-TOTAL_FORMS": 0,
            "rows-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = CutScoreSet.objects.get(name="Typed in the admin")
    v1.refresh_from_db()
    assert (added.is_active, added.version, v1.is_active) == (False, 2, True)


def test_a_rule_set_saved_in_the_admin_is_a_draft_linked_to_its_preview(client, root, world):
    active = rule_set_ensure(district_id=world.district.pk)
    data = {"district": world.district.pk, "notes": "Typed in the admin"}
    for name, value in active.thresholds.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = ",".join(str(v) for v in value)
        else:
            data[name] = value
    data["odr_tier2_at"] = 3
    response = client.post(reverse("admin:decisions_ruleset_add"), data, follow=True)
    assert response.status_code == 200
    draft = RuleSet.objects.get(district=world.district, version=active.version + 1)
    active.refresh_from_db()
    assert (draft.is_active, active.is_active) == (False, True)
    html = response.content.decode()
    assert reverse("decisions_settings:rule_set_whatif", args=[draft.pk]) in html


def test_a_copy_made_while_a_set_is_in_use_is_a_draft_sent_to_its_preview(client, world, orf):
    measure, v1 = orf
    client.force_login(world.district_admin)
    response = client.post(reverse("screening_settings:cut_score_copy", args=[v1.pk]))
    copy = CutScoreSet.objects.get(district=world.district, measure=measure, version=2)
    assert response["Location"] == reverse("decisions_settings:cut_score_whatif", args=[copy.pk])
    v1.refresh_from_db()
    assert (copy.is_active, v1.is_active) == (False, True)
    # A measure the district has no set for yet: its first copy is a draft too, sent to its
    # preview, and the page says what it would change (the reference set classifies today).
    reference = CutScoreSet.objects.filter(district__isnull=True, is_active=True).first()
    response = client.post(
        reverse("screening_settings:cut_score_copy", args=[reference.pk]), follow=True
    )
    first = CutScoreSet.objects.get(district=world.district, measure=reference.measure)
    assert not first.is_active
    assert response.redirect_chain[-1][0] == reverse(
        "decisions_settings:cut_score_whatif", args=[first.pk]
    )
    assert (
        f"would be your district&#x27;s first set for {reference.measure.name}. Until it is "
        "switched on, the shipped reference set gives its scores their risk level"
    ) in response.content.decode()


def test_a_superuser_previews_a_draft_in_its_own_district(client, root, world):
    """Not the first district by name: the draft's own."""
    from decisions.services import rule_set_ensure
    from tests.factories import DistrictFactory, SchoolYearFactory

    later = DistrictFactory(name="Zephyr Unified")
    SchoolYearFactory(district=later)
    assert world.district.name < later.name
    active = rule_set_ensure(district_id=later.pk)
    draft = RuleSet.objects.create(
        district=later,
        version=active.version + 1,
        thresholds={**active.thresholds, "odr_tier2_at": 3},
        is_active=False,
    )
    whatif = reverse("decisions_settings:rule_set_whatif", args=[draft.pk])
    page = client.get(whatif).content.decode()
    assert "District: Zephyr Unified" in page
    preview = read_preview(client, whatif)
    assert (preview.district, preview.status, preview.viewed_by) == (later, "succeeded", root)
    client.post(
        reverse("decisions_settings:rule_set_activate", args=[draft.pk]),
        {"preview": str(preview.pk)},
    )
    draft.refresh_from_db()
    assert draft.is_active
