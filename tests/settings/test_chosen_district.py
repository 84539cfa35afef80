"""A superuser keeps every district's settings: the pages say which district they show, offer
the others (`?district=`), and remember the choice in the session, so the next page and the
form posted from it keep the same district. Two districts, the wanted one not first by name.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from decisions.models import RuleSet
from students.models import AccessLog
from tests.factories import DistrictFactory, SchoolYearFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "settings_home",
    "screening_settings:windows",
    "screening_settings:measures",
    "screening_settings:cut_scores",
    "screening_settings:accuracy",
    "decisions_settings:rule_sets",
    "catalog_settings:catalog",
    "smallgroups_settings:resources",
    "marks_settings:rule",
]


@pytest.fixture
def first_by_name(world):
    district = DistrictFactory(name="Aardvark Valley Schools")
    SchoolYearFactory(district=district)
    assert district.name < world.district.name  # "Riverside Unified" is not first by name
    return district


@pytest.fixture
def root(client, world, first_by_name):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _url(name: str) -> str:
    return reverse(name)


def test_every_settings_list_page_names_its_district_and_offers_the_others(
    client, root, world, first_by_name
):
    for name in LIST_PAGES:
        page = client.get(_url(name)).content.decode()
        assert "District: Aardvark Valley Schools" in page, name  # nothing chosen yet
        assert 'name="district"' in page and f'value="{world.district.pk}"' in page, name

    chosen = client.get(_url("decisions_settings:rule_sets"), {"district": world.district.pk})
    assert "District: Riverside Unified" in chosen.content.decode()
    # Remembered: every other settings page now shows the chosen district.
    for name in LIST_PAGES:
        page = client.get(_url(name)).content.decode()
        assert "District: Riverside Unified" in page, name


def test_a_change_posted_after_choosing_goes_to_the_chosen_district(
    client, root, world, first_by_name
):
    url = _url("decisions_settings:rule_sets")
    client.get(url, {"district": world.district.pk})
    active = RuleSet.objects.get(district=world.district, is_active=True)
    data = {k: v for k, v in active.thresholds.items() if not isinstance(v, bool)}
    data.update({"classwide_enabled": "on", "odr_tier2_at": 3, "reason": "Local practice"})
    response = client.post(url, data)
    assert response.status_code == 302
    draft = RuleSet.objects.get(is_active=False)
    assert (draft.district, draft.thresholds["odr_tier2_at"]) == (world.district, 3)
    assert not RuleSet.objects.filter(district=first_by_name, is_active=False).exists()
    assert AccessLog.objects.filter(object_type="rule_set", object_id=str(draft.pk)).exists()


def test_a_district_administrator_cannot_choose_a_district_they_do_not_keep(
    client, world, first_by_name
):
    client.force_login(world.district_admin)
    page = client.get(
        _url("decisions_settings:rule_sets"), {"district": first_by_name.pk}
    ).content.decode()
    assert "District: Riverside Unified" in page
    assert "Aardvark" not in page  # neither shown nor offered
    assert 'name="district"' not in page  # one district: no chooser


def test_an_unknown_district_falls_back_to_the_first(client, root, world, first_by_name):
    page = client.get(_url("screening_settings:measures"), {"district": 999999}).content.decode()
    assert "District: Aardvark Valley Schools" in page
