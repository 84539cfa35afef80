"""The passing-rule settings page: district administrators only; saving re-judges the stored
marks by the importers' pure rule (hand-worked: 62% passes at 60 and fails at 65; D passes
until D is a failing letter) and writes its audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import CourseMark, MarkRule
from students.models import AccessLog

pytestmark = pytest.mark.django_db
URL = "/settings/marks/"


def _mark(world, code, *, percent=None, letter=""):
    return CourseMark.objects.create(
        student=world.student, school=world.school, school_year=world.section.school_year,
        course_code=code, grading_period="Q1", period_end=dt.date(2026, 10, 30),
        percent=percent, letter=letter, passing=True,
    )  # fmt: skip


def test_only_district_administrators_see_the_page(client, world):
    assert reverse("marks_settings:rule") == URL
    client.force_login(world.district_admin)
    assert client.get(URL).status_code == 200
    home = client.get(reverse("settings_home")).content.decode()
    assert "Passing rule for course marks" in home and URL in home
    for persona in ("principal", "teacher"):
        client.force_login(getattr(world, persona))
        assert client.get(URL).status_code == 403


def test_saving_the_rule_judges_the_stored_marks_again(client, world):
    pct, d, b = (
        _mark(world, "ALG1", percent=Decimal("62")),
        _mark(world, "ENG9", letter="D"),
        _mark(world, "BIO", letter="B-"),
    )
    client.force_login(world.district_admin)
    page = client.get(URL).content.decode()
    assert 'value="60' in page and "F,E,U,NP,NC" in page  # the defaults before any save
    response = client.post(
        URL,
        {"passing_percent": "65", "failing_letters": " f, d ,", "core_subjects": "Math, ELA"},
        follow=True,
    )
    assert "2 stored marks changed between passing and failing" in response.content.decode()
    rule = MarkRule.objects.get(district=world.district)
    assert (rule.passing_percent, rule.failing_letters, rule.core_subjects) == (
        Decimal("65"), "F,D", "Math,ELA",
    )  # fmt: skip
    passing = dict(CourseMark.objects.values_list("pk", "passing"))
    assert passing == {pct.pk: False, d.pk: False, b.pk: True}
    log = AccessLog.objects.get(object_type="mark_rule")
    assert log.user == world.district_admin and log.detail["marks_changed"] == 2
    assert log.detail["before"]["passing_percent"] == "60"  # the default, never saved


def test_a_rule_without_failing_letters_is_refused(client, world):
    client.force_login(world.district_admin)
    response = client.post(
        URL, {"passing_percent": "60", "failing_letters": " , ", "core_subjects": "Math"}
    )
    assert response.status_code == 200
    assert "List at least one failing letter" in response.content.decode()
    assert not MarkRule.objects.exists()
