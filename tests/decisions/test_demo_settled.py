"""The demo's stored flags are what a sweep would leave: a sweep right after seed_demo changes
nothing (issue 17). Later demo steps act on flags after the decisions step's sweep (the
meetings step accepts the grade 3 screening flags its fall meeting placed); without a closing
sweep the stored flags lagged one sweep, and the what-if's "stored flags are current" shortcut
read a state no sweep produces."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from decisions.models import Flag, RuleRun
from decisions.sweep import sweep_work
from students.models import District, SchoolYear

pytestmark = pytest.mark.django_db


def test_a_sweep_right_after_seed_demo_changes_nothing(db):
    call_command("seed_demo", "--students=600", "--seed=7", stdout=io.StringIO())
    district = District.objects.get()
    year = SchoolYear.objects.get(district=district, is_current=True)
    as_of = min(max(timezone.localdate(), year.start_date), year.end_date)
    accepted = Flag.objects.filter(district=district, status="accepted").count()
    result = sweep_work(district_id=district.pk, school_id=None, as_of=as_of, write=False)
    changed = {
        kind: {a: n for a, n in actions.items() if a != "unchanged" and n}
        for kind, actions in result.counts.items()
    }
    assert {k: v for k, v in changed.items() if v} == {}
    # The demo still shows the meeting's accepted flags, and the last run is the demo's.
    assert accepted > 0
    last = RuleRun.objects.filter(district=district).order_by("-pk").first()
    assert (last.triggered_by, last.status) == ("demo", "succeeded")
