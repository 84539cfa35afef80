"""The evaluation hand-off: a referring decision opens the record, consent starts the
clock (60 days by default, configurable), due dates reach the team's home page, the
assembled 34 CFR 300.311(a)(7) documentation, sign-off freezes it, scoping and logging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from families import referrals, timeline
from families.models import EvaluationReferral, FamilyLetter, ReferralKind
from interventions import services as plan_services
from mtss.errors import ApplicationError
from students.audit import AuditContext
from students.models import AccessLog
from tests.families.conftest import placement
from tests.meetings.conftest import days_ago, today

AUDIT = AuditContext.system()


# -- the clock, worked by hand ------------------------------------------------------------------


def test_sixty_days_from_consent_on_2_september_is_1_november():
    assert timeline.due_date(dt.date(2026, 9, 2), 60) == dt.date(2026, 11, 1)


def test_the_clock_states():
    def clock(**kw):
        values = dict(
            consent_given_on=None,
            consent_refused_on=None,
            timeline_days=60,
            decided=False,
            today=dt.date(2026, 10, 20),
        )
        values.update(kw)
        return timeline.clock(**values)

    assert clock().state == "awaiting_consent"
    assert clock(consent_refused_on=dt.date(2026, 9, 5)).state == "consent_refused"
    running = clock(consent_given_on=dt.date(2026, 9, 2))
    assert (running.state, running.due_on, running.days_left) == (
        "running",
        dt.date(2026, 11, 1),
        12,
    )
    assert running.due_soon
    late = clock(consent_given_on=dt.date(2026, 8, 1))
    assert (late.state, late.days_left) == ("overdue", -20)
    assert clock(consent_given_on=dt.date(2026, 9, 2), decided=True).state == "closed"
    state_45 = clock(consent_given_on=dt.date(2026, 9, 2), timeline_days=45)
    assert state_45.due_on == dt.date(2026, 10, 17)


# -- the record -----------------------------------------------------------------------------


def test_a_referral_decision_opens_the_record_with_the_configured_timeline(kit, decide, settings):
    settings.EVALUATION_TIMELINE_DAYS = 45
    decision = decide("refer_evaluation", domain="reading", rationale="Slow response in Tier 3.")
    referral = EvaluationReferral.objects.get(decision=decision)
    assert (referral.kind, referral.timeline_days, referral.referred_on) == (
        ReferralKind.SPECIAL_EDUCATION,
        45,
        today(),
    )
    again = referrals.referral_open_for_decision(decision=decision)
    assert again.pk == referral.pk  # idempotent
    assert not FamilyLetter.objects.filter(decision=decision).exists()


def test_a_504_referral_is_a_decision_type_of_its_own(kit, decide):
    decision = decide("refer_504", domain="behavior", rationale="Attention needs in class.")
    assert decision.get_type_display() == "Refer for a Section 504 evaluation"
    referral = EvaluationReferral.objects.get(decision=decision)
    assert referral.kind == ReferralKind.SECTION_504
    assert referral.timeline_days == 60


def _consent(referral, user, **kw):
    values = dict(
        consent_requested_on=None,
        consent_given_on=None,
        consent_refused_on=None,
        timeline_days=60,
    )
    values.update(kw)
    return referrals.referral_record_consent(
        referral=referral, values=referrals.ConsentValues(**values), actor=user, audit=AUDIT
    )


def test_consent_is_given_or_refused_never_both_nor_in_the_future(kit, decide):
    w = kit.world
    referral = EvaluationReferral.objects.get(
        decision=decide("refer_evaluation", domain="reading", rationale="x")
    )
    with pytest.raises(ValidationError):
        _consent(referral, w.team_member, consent_given_on=today(), consent_refused_on=today())
    with pytest.raises(ValidationError):
        _consent(referral, w.team_member, consent_given_on=today() + dt.timedelta(days=1))
    done = _consent(referral, w.team_member, consent_requested_on=today(), consent_given_on=today())
    clock = referrals.referral_clock(done, today=today())
    assert clock.due_on == today() + dt.timedelta(days=60) and clock.days_left == 60


def test_a_teacher_may_not_record_consent(kit, decide):
    from django.core.exceptions import PermissionDenied

    referral = EvaluationReferral.objects.get(
        decision=decide("refer_evaluation", domain="reading", rationale="x")
    )
    with pytest.raises(PermissionDenied):
        _consent(referral, kit.world.teacher, consent_given_on=today())


def test_the_team_home_page_shows_the_due_date(kit, decide, client):
    w = kit.world
    referral = EvaluationReferral.objects.get(
        decision=decide("refer_evaluation", domain="reading", rationale="x")
    )
    EvaluationReferral.objects.filter(pk=referral.pk).update(referred_on=days_ago(55))
    referral.refresh_from_db()
    _consent(referral, w.team_member, consent_given_on=today() - dt.timedelta(days=50))
    client.force_login(w.team_member)
    page = client.get("/").content.decode()
    assert "Evaluations due" in page and "10 days left" in page
    assert AccessLog.objects.filter(
        user=w.team_member, student=w.student, detail__list=True
    ).exists()
    client.force_login(w.teacher)
    assert "Evaluations due" not in client.get("/").content.decode()


def test_the_assembled_record_holds_what_the_law_asks_for_and_freezes(kit, rosa, decide):
    w = kit.world
    flag = kit.flag(w.student, tier=2)
    plan_decision = decide("place_tier2", flags=[flag], **placement(kit))
    plan = plan_decision.plan
    # Six weeks of delivery and progress monitoring, one fidelity observation.
    start = plan.start_date
    for i, score in enumerate([40, 41, 41, 42]):
        day = min(start + dt.timedelta(days=i), today())
        plan_services.session_log(plan=plan, date=day, minutes=30, actor=w.interventionist)
        plan_services.progress_record(plan=plan, date=day, score=score, actor=w.interventionist)
    letter = FamilyLetter.objects.get(decision=plan_decision)
    FamilyLetter.objects.filter(pk=letter.pk).update(
        status="sent", sent_at=timezone.now(), sent_via="print"
    )
    decision = decide("refer_evaluation", domain="reading", rationale="Little response.")
    referral = EvaluationReferral.objects.get(decision=decision)
    _consent(referral, w.team_member, consent_requested_on=today(), consent_given_on=today())

    signed = referrals.referral_sign_off(referral=referral, actor=w.principal, audit=AUDIT)
    doc = signed.documentation
    assert doc["schema"] == "34 CFR 300.311(a)(7) record, version 1"
    assert doc["student"]["name"] == "Maria Garcia"
    assert doc["referral"]["consent_given_on"] == today().isoformat()
    assert doc["rule_set_version_in_force"] == 1
    [given] = doc["interventions"]
    assert given["intervention"] == "Read Naturally" and given["tier"] == 2
    assert given["dosage_planned"] == {
        "sessions_per_week": 4,
        "minutes_per_session": 30,
        "weeks": 10,
    }
    sessions = len({min(start + dt.timedelta(days=i), today()) for i in range(4)})
    assert given["dosage_delivered"]["sessions_attended"] == sessions
    assert given["dosage_delivered"]["minutes"] == 30 * sessions
    assert [p["score"] for p in given["progress"]["points"]][-1] == 42.0
    assert given["progress"]["measure"] == "Oral reading fluency"
    assert "cut_score_version_in_force" in given["progress"]
    assert doc["flags"][0]["rule_set_version"] == 1
    assert [d["decision"] for d in doc["team_decisions"]] == [
        "Place in Tier 2",
        "Refer for special-education evaluation",
    ]
    informed = [(p["what"], p["date"]) for p in doc["parents_informed"]]
    assert ("Support starts", today().isoformat()) in informed
    assert any(what.startswith("Consent to evaluate requested") for what, _ in informed)

    # Frozen: later data does not change it, and no write is accepted.
    plan_services.progress_record(plan=plan, date=today(), score=60, actor=w.interventionist)
    signed.refresh_from_db()
    assert signed.documentation == doc
    with pytest.raises(ApplicationError):
        _consent(signed, w.team_member, consent_given_on=days_ago(1))
    with pytest.raises(ApplicationError):
        referrals.referral_sign_off(referral=signed, actor=w.principal, audit=AUDIT)


def test_the_record_page_and_pdf_are_scoped_and_logged(kit, decide, client):
    w = kit.world
    referral = EvaluationReferral.objects.get(
        decision=decide("refer_evaluation", domain="reading", rationale="x")
    )
    client.force_login(w.other_teacher)
    assert client.get(f"/families/referrals/{referral.pk}/").status_code == 404
    assert client.get("/api/v1/evaluation-referrals/").json()["results"] == []
    client.force_login(w.team_member)
    page = client.get(f"/families/referrals/{referral.pk}/")
    assert page.status_code == 200
    assert b"34 CFR 300.311(a)(7)" in page.content
    pdf = client.get(f"/families/referrals/{referral.pk}/pdf/")
    assert pdf.content.startswith(b"%PDF")
    logged = set(
        AccessLog.objects.filter(object_type="evaluation_referral", user=w.team_member).values_list(
            "action", flat=True
        )
    )
    assert logged == {"view", "export"}
    response = client.post(
        f"/families/referrals/{referral.pk}/",
        {"action": "consent", "consent_given_on": today().isoformat(), "timeline_days": "60"},
    )
    assert response.status_code == 302
    api = client.get(f"/api/v1/evaluation-referrals/{referral.pk}/").json()
    assert api["due_on"] == (today() + dt.timedelta(days=60)).isoformat()


def test_a_letter_sent_in_the_evening_is_recorded_on_its_own_day(kit, rosa, decide):
    """23:30 in the district's time zone is already tomorrow in UTC: the record of when the
    parents were informed must give the school's day, not UTC's."""
    w = kit.world
    plan_decision = decide("place_tier2", flags=[kit.flag(w.student, tier=2)], **placement(kit))
    evening = dt.datetime.combine(today(), dt.time(23, 30), tzinfo=timezone.get_current_timezone())
    assert evening.astimezone(dt.UTC).date() != today()  # the case that went wrong
    FamilyLetter.objects.filter(decision=plan_decision).update(
        status="sent", sent_at=evening, sent_via="print"
    )
    decision = decide("refer_evaluation", domain="reading", rationale="Little response.")
    referral = EvaluationReferral.objects.get(decision=decision)
    _consent(referral, w.team_member, consent_requested_on=today(), consent_given_on=today())
    doc = referrals.referral_sign_off(referral=referral, actor=w.principal, audit=AUDIT)
    informed = [(p["what"], p["date"]) for p in doc.documentation["parents_informed"]]
    assert ("Support starts", today().isoformat()) in informed
