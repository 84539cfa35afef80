"""The early-warning dashboard and the profile's attendance card (worked example: Maria
2 of 20 days absent, chronically absent; Liam 1 of 20; Noah at Oak has no attendance)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dashboards.selectors.conditions import Filters
from dashboards.selectors.early_warning import early_warning_counts
from students.models_imports import ImportJob
from tests.indicators.helpers import (
    SCHOOL_DAYS,
    attendance_csv,
    calendar_csv,
    month_for,
    run_import,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def september(world, tmp_path):
    run_import(
        tmp_path, ImportJob.Kind.SCHOOL_CALENDAR, calendar_csv("Maple Elementary"),
        district=world.district,
    )  # fmt: skip
    world.student.local_id, world.classmate.local_id = "S1", "S2"
    world.student.save()
    world.classmate.save()
    rows = month_for("S1", {SCHOOL_DAYS[3]: "E", SCHOOL_DAYS[10]: "U"}) + month_for(
        "S2", {SCHOOL_DAYS[5]: "U"}
    )
    run_import(tmp_path, ImportJob.Kind.ATTENDANCE, attendance_csv(rows), district=world.district)
    return world


def test_counts_by_school(september):
    world = september
    f = Filters(
        district_id=world.district.pk,
        school_ids=(world.school.pk, world.other_school.pk),
        year=world.section.school_year,
        window=None,
        previous_window=None,
        as_of=dt.date(2026, 9, 30),
    )
    rows = early_warning_counts(f)
    by_school: dict[int, dict] = {}
    for r in rows:
        into = by_school.setdefault(
            r["school_id"], {"students": 0, "with_attendance": 0, "chronic": 0}
        )
        for k in into:
            into[k] += r[k]
    assert by_school[world.school.pk] == {"students": 2, "with_attendance": 2, "chronic": 1}
    assert by_school[world.other_school.pk] == {"students": 1, "with_attendance": 0, "chronic": 0}


def test_page_and_profile_card(client, september):
    world = september
    client.force_login(world.principal)
    page = client.get(reverse("dashboards:early_warning"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Early-warning indicators by school" in text and "Chronically absent" in text
    profile = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    assert "90% attendance" in profile and "Chronically absent" in profile
    client.force_login(world.teacher)
    assert client.get(reverse("dashboards:early_warning")).status_code == 403


def test_empty_early_warning_page_says_what_to_import_first(client, world):
    client.force_login(world.principal)
    text = client.get(reverse("dashboards:early_warning")).content.decode()
    assert "No attendance or course marks imported for this school year yet" in text
    assert "each school&#x27;s calendar first, then daily attendance" in text
    assert "Early-warning indicators by school" not in text  # no table of zeros


def test_navigation_links_to_the_early_warning_panel_and_the_cico_report(client, world):
    client.force_login(world.principal)
    home = client.get(reverse("dashboards:index")).content.decode()
    assert reverse("dashboards:early_warning") in home
    assert reverse("interventions:cico_report") in home  # in the Interventions menu
    client.force_login(world.teacher)  # not on a school team: neither page is theirs
    home = client.get(reverse("interventions:plan_list")).content.decode()
    assert reverse("interventions:cico_report") not in home
