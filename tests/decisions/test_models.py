"""Integrity kept by the database, the flag state machine's services, and the pure
comparison of wanted and existing flags (decisions.reconcile)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions import services
from decisions.models import Flag, RuleSet
from decisions.reconcile import basis_hash, evidence_hash, reconcile
from decisions.sweep_progress import apply_progress
from mtss.errors import ApplicationError
from students.models import AccessLog, SchoolYear

# -- database constraints --------------------------------------------------------------------


def make_flag(world, **values) -> Flag:
    rule_set = services.rule_set_ensure(district_id=world.district.pk)
    defaults = {
        "district": world.district,
        "school": world.school,
        "school_year": SchoolYear.objects.get(district=world.district),
        "student": world.student,
        "domain": "reading",
        "kind": "screening_risk",
        "recommended_tier": 2,
        "rule": "screening_risk",
        "rule_set": rule_set,
        "evidence": {"kind": "screening"},
        "evidence_hash": "e",
        "basis_hash": "b",
    }
    return Flag.objects.create(**{**defaults, **values})


@pytest.mark.django_db
def test_a_district_has_one_active_rule_set_and_unique_versions(world):
    RuleSet.objects.create(district=world.district, version=1, thresholds={})
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.create(district=world.district, version=2, thresholds={})
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.create(district=world.district, version=1, thresholds={}, is_active=False)


@pytest.mark.django_db
def test_a_closed_flag_frees_its_key_for_a_new_live_one(world):
    first = make_flag(world)
    first.status, first.resolved_at = "resolved", timezone.now()
    first.save()

    second = make_flag(world)

    assert second.status == "open"
    with pytest.raises(IntegrityError), transaction.atomic():
        make_flag(world, status="on_agenda")


@pytest.mark.django_db
def test_flags_in_other_windows_domains_or_plans_are_other_keys(world):
    make_flag(world)
    make_flag(world, domain="math")
    make_flag(world, kind="odr", domain="behavior")
    assert Flag.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [
        {"kind": "classwide"},  # a classwide flag needs a section and a measure, no student
        {"student": None},  # a flag is about somebody
        {"recommended_tier": 4},
        {"status": "dismissed", "resolved_at": dt.datetime(2026, 10, 1, tzinfo=dt.UTC)},
        {"status": "resolved"},  # closed without a time
    ],
)
def test_the_database_refuses_malformed_flags(world, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_flag(world, **values)


# -- services: the state machine -------------------------------------------------------------


@pytest.mark.django_db
def test_a_flag_goes_on_an_agenda_and_back(world):
    flag = make_flag(world)

    services.flag_put_on_agenda(flag=flag, actor=world.team_member)
    assert Flag.objects.get(pk=flag.pk).status == "on_agenda"
    services.flag_take_off_agenda(flag=flag, actor=world.team_member)
    assert Flag.objects.get(pk=flag.pk).status == "open"


@pytest.mark.django_db
def test_accepting_closes_the_flag_with_who_and_when(world):
    flag = make_flag(world, status="on_agenda")

    services.flag_accept(flag=flag, actor=world.principal)

    flag.refresh_from_db()
    assert flag.status == "accepted"
    assert flag.decided_by == world.principal
    assert flag.resolved_at is not None
    assert AccessLog.objects.filter(object_type="flag", detail__status="accepted").exists()
    with pytest.raises(ApplicationError, match="already accepted"):
        services.flag_dismiss(flag=flag, reason="late", actor=world.principal)


@pytest.mark.django_db
def test_only_the_schools_team_changes_a_flag(world):
    flag = make_flag(world)

    for persona in (world.teacher, world.interventionist, world.other_teacher, world.nobody):
        with pytest.raises(PermissionDenied):
            services.flag_dismiss(flag=flag, reason="no", actor=persona)
    services.flag_dismiss(flag=flag, reason="District decision", actor=world.district_admin)
    assert Flag.objects.get(pk=flag.pk).status == "dismissed"


@pytest.mark.django_db
def test_a_dismissal_needs_a_reason(world):
    flag = make_flag(world)

    with pytest.raises(ValidationError) as exc:
        services.flag_dismiss(flag=flag, reason="   ", actor=world.team_member)

    assert "Say why" in str(exc.value)
    assert Flag.objects.get(pk=flag.pk).status == "open"


@pytest.mark.django_db
def test_a_decision_records_the_basis_it_rests_on(world):
    evidence = {"kind": "odr", "as_of": "2026-10-15", "referrals": 3}
    flag = make_flag(world, evidence=evidence, kind="odr", domain="behavior")

    services.flag_dismiss(flag=flag, reason="Handled at home", actor=world.team_member)

    assert Flag.objects.get(pk=flag.pk).basis_hash == basis_hash(
        {"kind": "odr", "as_of": "2026-11-30", "referrals": 3}
    )


@pytest.mark.django_db
def test_a_rule_set_revision_refuses_bad_or_unchanged_thresholds(world):
    v1 = services.rule_set_ensure(district_id=world.district.pk)

    with pytest.raises(ValidationError, match="no such threshold"):
        services.rule_set_revise(
            district=world.district, changes={"odr": 3}, actor=None, activate=True
        )
    with pytest.raises(ValidationError, match="ODR bands"):
        services.rule_set_revise(
            district=world.district, changes={"odr_tier3_at": 2}, actor=None, activate=True
        )
    with pytest.raises(ValidationError, match="already in use"):
        services.rule_set_revise(
            district=world.district, changes={"odr_tier2_at": 2}, actor=None, activate=True
        )
    with pytest.raises(PermissionDenied):
        services.rule_set_revise(
            district=world.district,
            changes={"odr_tier2_at": 3},
            actor=world.principal,
            activate=True,
        )
    assert RuleSet.objects.get() == v1


# -- reconcile (pure) --------------------------------------------------------------------------

SCREENING_EVIDENCE = {
    "kind": "screening",
    "as_of": "2026-10-15",
    "scores": [{"score": 38, "benchmark": 70, "percentile_rank": 12}],
}


def test_the_evidence_hash_ignores_the_run_date_only():
    other_day = {**SCREENING_EVIDENCE, "as_of": "2026-10-16"}
    other_score = {**SCREENING_EVIDENCE, "scores": [{"score": 39, "benchmark": 70}]}

    assert evidence_hash(other_day) == evidence_hash(SCREENING_EVIDENCE)
    assert evidence_hash(other_score) != evidence_hash(SCREENING_EVIDENCE)


def test_the_basis_hash_ignores_ranks_of_cut_score_classified_scores():
    ranked = {
        **SCREENING_EVIDENCE,
        "scores": [{"score": 38, "benchmark": 70, "percentile_rank": 9}],
    }
    by_rank = {
        "kind": "screening",
        "scores": [{"score": 38, "benchmark": None, "percentile_rank": 9}],
    }
    by_rank_moved = {
        "kind": "screening",
        "scores": [{"score": 38, "benchmark": None, "percentile_rank": 11}],
    }

    assert basis_hash(ranked) == basis_hash(SCREENING_EVIDENCE)
    assert evidence_hash(ranked) != evidence_hash(SCREENING_EVIDENCE)
    # Where the rank is the rule (percentile method), it is part of the basis.
    assert basis_hash(by_rank) != basis_hash(by_rank_moved)


def wanted(rows: list[dict]) -> pd.DataFrame:
    base = {
        "section_id": 0,
        "measure_id": 0,
        "plan_id": 0,
        "domain": "reading",
        "kind": "screening_risk",
        "school_id": 1,
        "window_id": 5,
        "rule": "screening_risk",
        "classwide_context": False,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def existing(rows: list[dict]) -> pd.DataFrame:
    base = {
        "section_id": 0,
        "measure_id": 0,
        "plan_id": 0,
        "domain": "reading",
        "kind": "screening_risk",
        "window_id": 5,
        "classwide_context": False,
        "recommended_tier": 3,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def test_reconcile_sorts_rows_into_create_update_resolve_and_unchanged():
    ev = {"kind": "screening", "scores": [{"score": 38}]}
    h, b = evidence_hash(ev), basis_hash(ev)
    want = wanted(
        [
            {"student_id": 1, "recommended_tier": 3, "flag": True, "evidence": ev},  # same
            {"student_id": 2, "recommended_tier": 2, "flag": True, "evidence": ev},  # tier moved
            {"student_id": 3, "recommended_tier": 1, "flag": False, "evidence": ev},  # at benchmark
            {"student_id": 4, "recommended_tier": 3, "flag": True, "evidence": ev},  # new
            {"student_id": 5, "recommended_tier": 3, "flag": True, "evidence": ev},  # dismissed
            {"student_id": 6, "recommended_tier": 1, "flag": False, "evidence": ev},  # nothing
        ]
    )
    have = existing(
        [
            {"id": 11, "student_id": 1, "status": "open", "evidence_hash": h, "basis_hash": b},
            {"id": 12, "student_id": 2, "status": "on_agenda", "evidence_hash": h, "basis_hash": b},
            {"id": 13, "student_id": 3, "status": "open", "evidence_hash": h, "basis_hash": b},
            {"id": 15, "student_id": 5, "status": "dismissed", "evidence_hash": h, "basis_hash": b},
        ]
    )

    changes = reconcile(want, have)

    assert changes.create["student_id"].tolist() == [4]
    assert changes.update["id"].tolist() == [12]
    assert changes.update["recommended_tier"].tolist() == [2]
    assert changes.resolve == [13]
    assert changes.counts == {
        "screening_risk": {"created": 1, "updated": 1, "resolved": 1, "unchanged": 2}
    }


def test_reconcile_reopens_after_a_resolution_but_not_after_a_decision():
    ev = {"kind": "odr", "referrals": 2}
    want = wanted(
        [
            {"student_id": 1, "recommended_tier": 2, "flag": True, "evidence": ev},
            {"student_id": 2, "recommended_tier": 2, "flag": True, "evidence": ev},
        ]
    )
    have = existing(
        [
            # The rule stopped firing for student 1 once, then fires again: a new flag.
            {
                "id": 1,
                "student_id": 1,
                "status": "resolved",
                "evidence_hash": evidence_hash(ev),
                "basis_hash": basis_hash(ev),
            },
            # The team accepted student 2's flag on this same evidence: it stands.
            {
                "id": 2,
                "student_id": 2,
                "status": "accepted",
                "evidence_hash": evidence_hash(ev),
                "basis_hash": basis_hash(ev),
            },
        ]
    )

    changes = reconcile(want, have)

    assert changes.create["student_id"].tolist() == [1]
    assert changes.update.empty and changes.resolve == []


def test_apply_progress_fires_the_current_recommendation_and_clears_the_others():
    recs = pd.DataFrame(
        {
            "plan_id": [7, 8, 9],
            "recommendation": ["change_intervention", "continue", "insufficient_data"],
            "rule": ["trend_line", "trend_line", "none"],
            "dual_discrepancy": [True, False, False],
            "evidence": [{"kind": "progress"}] * 3,
        }
    )
    plans = pd.DataFrame(
        {
            "plan_id": [7, 8, 9],
            "student_id": [1, 2, 3],
            "school_id": [1, 1, 1],
            "domain": ["reading"] * 3,
            "tier": [2, 2, 2],
        }
    )

    out = apply_progress(recs, plans)

    firing = out.loc[out["flag"]]
    assert sorted(
        zip(firing["plan_id"], firing["kind"], firing["recommended_tier"], strict=True)
    ) == [
        (7, "dual_discrepancy", 3),
        (7, "progress_change_intervention", 2),
    ]
    assert set(out["plan_id"]) == {7, 8}  # plan 9 has too few points: no rows at all
    assert len(out) == 10  # five progress kinds for each judged plan
