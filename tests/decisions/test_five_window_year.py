"""The sweep in a five-window year: the rules judge each student on their latest window, a
fourth window (a mid-fall check on the fall cut scores) included. Hand-computed on the
conftest district (grade 3 ORF, fall 70/55): Ana 60 in fall (some risk) then 75 at the
mid-fall check (at benchmark); Maria 38 in fall (high risk) then 60 (some risk)."""

from __future__ import annotations

import datetime as dt

import pytest

from decisions.models import Flag
from decisions.sweep import sweep
from screening import services as screening_services
from screening.models import ScreeningWindow
from tests.decisions.conftest import AS_OF

pytestmark = pytest.mark.django_db


def run(sw, as_of):
    return sweep(district_id=sw.world.district.pk, as_of=as_of, triggered_by="manual")


@pytest.fixture
def five(sweep_world):
    year = sweep_world.year
    windows = {}
    for name, season, start, end in (
        ("Mid-fall check", "fall", dt.date(2026, 10, 13), dt.date(2026, 10, 20)),
        ("Spring", "spring", dt.date(2027, 4, 26), dt.date(2027, 5, 14)),
        ("End of year", "spring", dt.date(2027, 5, 24), dt.date(2027, 6, 2)),
    ):
        windows[name] = screening_services.window_create(
            school_year=year,
            name=name,
            season=season,
            start_date=start,
            end_date=end,
            is_open=True,
            actor=None,
        )
    assert ScreeningWindow.objects.filter(school_year=year).count() == 5
    return windows


def test_the_latest_of_five_windows_decides(sweep_world, five):
    sw = sweep_world
    run(sw, AS_OF)  # Oct 15: the mid-fall check has started but holds no score yet
    assert Flag.objects.get(student=sw.ana, kind="screening_risk", status="open")
    mid = five["Mid-fall check"]
    sw.score(sw.ana, 75, window=mid)
    sw.score(sw.maria, 60, window=mid)

    run(sw, dt.date(2026, 10, 25))

    assert not Flag.objects.filter(
        student=sw.ana, kind="screening_risk", status__in=["open", "on_agenda"]
    ).exists()
    maria = Flag.objects.get(student=sw.maria, kind="screening_risk", status="open")
    assert maria.recommended_tier == 2  # some risk on the fall cuts: 55 <= 60 < 70
    assert maria.evidence["scores"][0]["score"] == 60
