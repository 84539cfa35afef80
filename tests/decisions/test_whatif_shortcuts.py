"""The what-if preview's shortcuts give the numbers of the full computation.

- A rule-set change runs only the rule modules reading a changed threshold; the others' flags
  are read as they stand when the stored flags are current. Against `full=True` (every module
  run under both versions) the numbers are the same.
- When the stored flags are not current (no whole-district sweep today under the active
  rules, or a run since that has not succeeded), they are made again, not read.
- A module reads only the thresholds it declares (what lets the preview skip the others).
- `reconcile.live_after` names the flags a sweep writing `reconcile`'s changes leaves live.

The sweep world (conftest): Liam has two September referrals (ODR Tier 2 under the default
bands 2-5, and the October catch), Maria one; the ORF scores put Maria and Noah at high risk,
Ana at some risk; sections Lee and Park have a classwide problem.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from django.utils import timezone

from decisions.models import RuleRun
from decisions.reconcile import basis_hash, evidence_hash, live_after
from decisions.services import rule_set_ensure, rule_set_revise
from decisions.sweep import sweep
from decisions.sweep_scope import DeclaredThresholds, UndeclaredThreshold
from decisions.whatif import whatif_cut_scores, whatif_rule_set
from decisions.whatif_flags import changed_thresholds, stored_flags_current
from mtss.lib.thresholds import Thresholds
from screening import services as screening_services
from tests.decisions.test_models import existing, wanted
from tests.indicators.test_ew_sweep import AS_OF as EW_AS_OF
from tests.indicators.test_ew_sweep import september  # noqa: F401 (a fixture)


def _numbers(preview) -> tuple:
    summary = {k: v for k, v in preview.summary().items() if k != "stored_flags"}
    return summary, preview.changed_students, preview.rows


def test_a_rule_set_change_touching_one_module_gives_the_full_numbers(sweep_world):
    sw, world = sweep_world, sweep_world.world
    today = timezone.localdate()
    sweep(district_id=world.district.pk, as_of=today)
    # Only the referral bands change: only the referrals module runs again.
    draft = rule_set_revise(
        district=world.district,
        changes={"odr_tier2_at": 3, "odr_tier3_at": 8},
        actor=None,
        notes="Bands",
        activate=False,
    )

    quick = whatif_rule_set(rule_set=draft, as_of=today)
    full = whatif_rule_set(rule_set=draft, as_of=today, full=True)

    assert quick.stored_flags and not full.stored_flags
    assert _numbers(quick) == _numbers(full)
    # Liam's two referrals: Tier 2 under bands 2-5, Tier 1 under 3-7 (his ODR flag goes; his
    # October catch stays, at Tier 2, so his highest tier does not move).
    assert full.changed_students == {"gained": [], "lost": [sw.liam.pk], "risk_changed": []}


def test_stale_stored_flags_are_made_again_not_read(sweep_world):
    sw, world = sweep_world, sweep_world.world
    today = timezone.localdate()
    # The last whole-district sweep was yesterday's: today's flags are not known.
    sweep(district_id=world.district.pk, as_of=today - timedelta(days=1))
    # Ben drops below the cut point after that sweep (no sweep since).
    sw.score(sw.ben, 40)
    draft = rule_set_revise(
        district=world.district,
        changes={"odr_tier2_at": 3, "odr_tier3_at": 8},
        actor=None,
        notes="Bands",
        activate=False,
    )

    quick = whatif_rule_set(rule_set=draft, as_of=today)
    full = whatif_rule_set(rule_set=draft, as_of=today, full=True)

    assert not quick.stored_flags
    assert _numbers(quick) == _numbers(full)
    # Ben's new reading flag shows on both sides (it is not the switch's doing), so he is
    # flagged before and after and neither gains nor loses.
    assert sw.ben.pk not in quick.changed_students["gained"]
    assert quick.flagged_before == full.flagged_before


def test_stored_flags_are_current_only_after_todays_district_sweep(sweep_world):
    world = sweep_world.world
    today = timezone.localdate()
    district = world.district.pk

    def current() -> bool:
        rule_set = rule_set_ensure(district_id=district)
        return stored_flags_current(district_id=district, as_of=today, rule_set_id=rule_set.pk)

    assert not current()  # never swept
    sweep(district_id=district, as_of=today - timedelta(days=1))
    assert not current()  # yesterday's
    sweep(district_id=district, school_id=world.school.pk, as_of=today)
    assert not current()  # one school only
    sweep(district_id=district, as_of=today)
    assert current()
    sweep(district_id=district, school_id=world.school.pk, as_of=today)
    assert current()  # a school brought up to date since
    RuleRun.objects.create(
        district_id=district, status=RuleRun.Status.QUEUED, triggered_by="scores", as_of=today
    )
    assert not current()  # a sweep is waiting: something changed


def test_a_cut_score_preview_on_stale_flags_gives_the_same_numbers(sweep_world):
    sw, world = sweep_world, sweep_world.world
    today = timezone.localdate()
    sweep(district_id=world.district.pk, as_of=today)
    draft = screening_services.cut_score_set_revise(
        cut_score_set=sw.orf_set,
        rows=[{"grade": 3, "season": "fall", "benchmark": "75", "high_risk_cut": "40"}],
        reason="Local cut study",
        activate=False,
        actor=None,
    )
    quick = whatif_cut_scores(cut_set=draft, as_of=today)
    # A run waiting makes the stored flags not current: the whole screening module runs on
    # both sides and the other modules once.
    RuleRun.objects.create(
        district=world.district, status=RuleRun.Status.QUEUED, triggered_by="api", as_of=today
    )
    slow = whatif_cut_scores(cut_set=draft, as_of=today)

    assert quick.stored_flags and not slow.stored_flags
    assert _numbers(quick) == _numbers(slow)
    # Ben 72: at benchmark under 70, some risk under 75 (gains a flag); Noah 50: high risk
    # under cut 55, some risk under 40 (changes level, keeps his flag).
    assert quick.changed_students == {
        "gained": [sw.ben.pk],
        "lost": [],
        "risk_changed": sorted([sw.ben.pk, sw.noah.pk]),
    }


def test_a_module_reads_only_the_thresholds_it_declares():
    view = DeclaredThresholds(Thresholds(odr_tier2_at=3), {"odr_tier2_at"}, "referrals")
    assert view.odr_tier2_at == 3
    with pytest.raises(UndeclaredThreshold, match="'referrals' read 'odr_tier3_at'"):
        _ = view.odr_tier3_at
    assert changed_thresholds(Thresholds(), Thresholds(odr_tier2_at=3, odr_tier3_at=7)) == {
        "odr_tier2_at",
        "odr_tier3_at",
    }


def test_live_after_names_the_flags_a_sweep_leaves():
    ev = {"kind": "screening", "scores": [{"score": 38}]}
    h, b = evidence_hash(ev), basis_hash(ev)
    want = wanted(
        [
            {"student_id": 1, "recommended_tier": 3, "flag": True, "evidence": ev},  # same
            {"student_id": 2, "recommended_tier": 2, "flag": True, "evidence": ev},  # tier moved
            {"student_id": 3, "recommended_tier": 1, "flag": False, "evidence": ev},  # resolved
            {"student_id": 4, "recommended_tier": 3, "flag": True, "evidence": ev},  # new
            {"student_id": 5, "recommended_tier": 3, "flag": True, "evidence": ev},  # dismissed
            {"student_id": 6, "recommended_tier": 2, "flag": True, "evidence": ev},  # reopens
        ]
    )
    have = existing(
        [
            {"id": 11, "student_id": 1, "status": "open", "evidence_hash": h, "basis_hash": b},
            {"id": 12, "student_id": 2, "status": "on_agenda", "evidence_hash": h, "basis_hash": b},
            {"id": 13, "student_id": 3, "status": "open", "evidence_hash": h, "basis_hash": b},
            {"id": 15, "student_id": 5, "status": "dismissed", "evidence_hash": h, "basis_hash": b},
            {"id": 16, "student_id": 6, "status": "resolved", "evidence_hash": h, "basis_hash": b},
            # Not judged this time: stays as it is.
            {
                "id": 17,
                "student_id": 7,
                "status": "open",
                "evidence_hash": h,
                "basis_hash": b,
                "recommended_tier": 2,
            },
        ]
    )

    live = live_after(want, have)

    got = sorted(zip(live["student_id"].tolist(), live["tier"].astype(int).tolist(), strict=True))
    assert got == [(1, 3), (2, 2), (4, 3), (6, 2), (7, 2)]
    # Nothing wanted: every live flag stays.
    empty = live_after(want.iloc[0:0], have)
    assert sorted(empty["student_id"].tolist()) == [1, 2, 3, 7]
    assert isinstance(empty, pd.DataFrame)


def test_a_threshold_read_by_a_load_loads_again(september):  # noqa: F811 (the fixture)
    """Attendance (tests/indicators/test_ew_sweep.py's September): Maria missed 2 of 20 school
    days (10 %: chronic, Tier 2), Liam 1 of 20 (5 %). A draft with chronic absence from 5 %
    and a 10-day trend (a threshold the attendance load reads) flags Liam too."""
    world = september
    sweep(district_id=world.district.pk, as_of=EW_AS_OF)
    draft = rule_set_revise(
        district=world.district,
        changes={"chronic_absence_at": 0.05, "absence_trend_days": 10},
        actor=None,
        notes="Earlier attendance support",
        activate=False,
    )

    quick = whatif_rule_set(rule_set=draft, as_of=EW_AS_OF)
    full = whatif_rule_set(rule_set=draft, as_of=EW_AS_OF, full=True)

    assert quick.stored_flags
    assert _numbers(quick) == _numbers(full)
    liam = world.classmate.pk
    assert quick.changed_students == {"gained": [liam], "lost": [], "risk_changed": [liam]}
