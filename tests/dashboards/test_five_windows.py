"""Dashboards in a year with more than three windows: the window picker names each window
(two share the fall cut scores), and each dashboard opens on the fourth window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from screening import services as screening_services

pytestmark = pytest.mark.django_db


def test_the_window_picker_names_a_fourth_window_and_each_page_opens_on_it(client, dash):
    mid = screening_services.window_create(
        school_year=dash.fall.school_year,
        name="Mid-fall check",
        season="fall",
        start_date=dt.date(2026, 10, 13),
        end_date=dt.date(2026, 10, 20),
        actor=None,
    )
    client.force_login(dash.world.district_admin)
    page = client.get(reverse("dashboards:core"), {"window": mid.pk}).content.decode()
    assert f'<option value="{mid.pk}" selected>Mid-fall check</option>' in page
    assert f'<option value="{dash.fall.pk}">Fall</option>' in page
    for name in ("tiers", "core", "completion", "equity"):
        response = client.get(reverse(f"dashboards:{name}"), {"window": mid.pk})
        assert response.status_code == 200, name
