"""Writes and reads of the evaluation hand-off (families.models.EvaluationReferral).

A team's "refer for evaluation" decision (special education or Section 504) opens a
referral (`referral_open_for_decision`, idempotent); the team then records the parents'
consent, the outcome, and signs the record off, which assembles its documentation
(families.record) and freezes it. Each write is keyword-only, one transaction, with its
record-of-access row; only the school's team may write, and reads go through the students
the user may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from families import record, timeline
from families.models import EvaluationReferral, ReferralKind, ReferralOutcome
from meetings.models import Decision, DecisionType
from mtss.errors import ApplicationError
from students import access
from students.audit import AuditContext, audit_record
from students.models import AccessLog, Student, User
from students.selectors import students_visible_to

REFERRAL_TYPES = {
    DecisionType.REFER_EVALUATION: ReferralKind.SPECIAL_EDUCATION,
    DecisionType.REFER_504: ReferralKind.SECTION_504,
}
FROZEN = "This record was signed off; it can no longer be changed."
NOT_ON_TEAM = "Only the school's team records consent, outcomes and sign-off."


def timeline_days() -> int:
    return int(getattr(settings, "EVALUATION_TIMELINE_DAYS", timeline.DEFAULT_TIMELINE_DAYS))


def referrals_visible_to(user: User) -> QuerySet[EvaluationReferral]:
    return EvaluationReferral.objects.filter(student__in=students_visible_to(user))


def referral_get_for_user(*, user: User, pk: int) -> EvaluationReferral:
    return get_object_or_404(
        referrals_visible_to(user).select_related("student", "student__school", "decision"),
        pk=pk,
    )


def referral_clock(referral: EvaluationReferral, *, today: dt.date) -> timeline.Clock:
    return timeline.clock(
        consent_given_on=referral.consent_given_on,
        consent_refused_on=referral.consent_refused_on,
        timeline_days=referral.timeline_days,
        decided=referral.outcome != ReferralOutcome.PENDING,
        today=today,
    )


def _log(actor: User | None, action: str, referral: EvaluationReferral, audit, **detail) -> None:
    audit_record(
        user=actor,
        action=action,
        object_type="evaluation_referral",
        object_id=referral.pk,
        student=referral.student_id,
        audit=audit or AuditContext.system(via="team decision"),
        detail=detail,
    )


def _check(actor: User | None, student: Student) -> None:
    if actor is not None and not access.is_on_team_of(
        actor, school_id=student.school_id, district_id=student.district_id
    ):
        raise PermissionDenied(NOT_ON_TEAM)


@transaction.atomic
def referral_open_for_decision(
    *, decision: Decision, audit: AuditContext | None = None
) -> EvaluationReferral | None:
    """The referral a referring decision opens (None for other decisions). Safe to call
    again: the decision has at most one referral."""
    kind = REFERRAL_TYPES.get(decision.type)
    if kind is None:
        return None
    existing = EvaluationReferral.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    day = timezone.localtime(decision.meeting.scheduled_at).date()
    referral = EvaluationReferral.objects.create(
        student_id=decision.student_id,
        school_id=decision.meeting.school_id,
        decision=decision,
        kind=kind,
        referred_on=min(day, timezone.localdate()),
        timeline_days=timeline_days(),
        created_by_id=decision.recorded_by_id,
    )
    _log(None, AccessLog.Action.CREATE, referral, audit, decision=decision.pk)
    return referral


@dataclass(frozen=True)
class ConsentValues:
    consent_requested_on: dt.date | None
    consent_given_on: dt.date | None
    consent_refused_on: dt.date | None
    timeline_days: int


def _require_open(referral: EvaluationReferral) -> None:
    if referral.is_frozen:
        raise ApplicationError(FROZEN)


@transaction.atomic
def referral_record_consent(
    *,
    referral: EvaluationReferral,
    values: ConsentValues,
    actor: User | None,
    audit: AuditContext,
    today: dt.date | None = None,
) -> EvaluationReferral:
    """The dates consent was requested and given or refused, and the timeline in days."""
    today = today or timezone.localdate()
    referral = EvaluationReferral.objects.select_for_update().get(pk=referral.pk)
    _check(actor, referral.student)
    _require_open(referral)
    v = values
    errors: dict[str, list[str]] = {}
    if v.consent_given_on and v.consent_refused_on:
        errors["consent_refused_on"] = [gettext("Consent is either given or refused, not both.")]
    for field in ("consent_requested_on", "consent_given_on", "consent_refused_on"):
        day = getattr(v, field)
        if day is not None and day > today:
            errors.setdefault(field, []).append(gettext("This date is in the future."))
        if day is not None and day < referral.referred_on:
            errors.setdefault(field, []).append(gettext("This date is before the referral."))
    answered = v.consent_given_on or v.consent_refused_on
    if answered and v.consent_requested_on and answered < v.consent_requested_on:
        errors.setdefault("consent_requested_on", []).append(
            gettext("Consent was requested after the parents answered.")
        )
    if not 1 <= v.timeline_days <= 365:
        errors["timeline_days"] = [gettext("Give the timeline in days, from 1 to 365.")]
    if errors:
        raise ValidationError(errors)
    referral.consent_requested_on = v.consent_requested_on
    referral.consent_given_on = v.consent_given_on
    referral.consent_refused_on = v.consent_refused_on
    referral.timeline_days = v.timeline_days
    referral.save()
    _log(actor, AccessLog.Action.UPDATE, referral, audit, changed="consent")
    return referral


@transaction.atomic
def referral_record_outcome(
    *,
    referral: EvaluationReferral,
    outcome: str,
    outcome_on: dt.date | None,
    notes: str,
    actor: User | None,
    audit: AuditContext,
) -> EvaluationReferral:
    referral = EvaluationReferral.objects.select_for_update().get(pk=referral.pk)
    _check(actor, referral.student)
    _require_open(referral)
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": [gettext("Choose one of the outcomes offered.")]})
    if outcome != ReferralOutcome.PENDING and outcome_on is None:
        raise ValidationError({"outcome_on": [gettext("Give the date of the outcome.")]})
    referral.outcome = outcome
    referral.outcome_on = outcome_on if outcome != ReferralOutcome.PENDING else None
    referral.notes = notes.strip()
    referral.save()
    _log(actor, AccessLog.Action.UPDATE, referral, audit, changed="outcome", outcome=outcome)
    return referral


@transaction.atomic
def referral_sign_off(
    *,
    referral: EvaluationReferral,
    actor: User | None,
    audit: AuditContext,
    today: dt.date | None = None,
) -> EvaluationReferral:
    """Assemble the documentation now and freeze the record with it."""
    referral = (
        EvaluationReferral.objects.select_for_update()
        .select_related("student", "student__school")
        .get(pk=referral.pk)
    )
    _check(actor, referral.student)
    _require_open(referral)
    referral.documentation = record.assemble(referral, today=today or timezone.localdate())
    referral.signed_off_at = timezone.now()
    referral.signed_off_by = actor if actor is not None and actor.is_authenticated else None
    referral.save()
    _log(actor, AccessLog.Action.UPDATE, referral, audit, changed="signed_off")
    return referral


def referral_documentation(referral: EvaluationReferral, *, today: dt.date) -> dict:
    """The frozen documentation of a signed-off record, else the record as it stands now."""
    if referral.documentation is not None:
        return referral.documentation
    return record.assemble(referral, today=today)


def referrals_due(*, user: User, today: dt.date, limit: int = 20) -> list[EvaluationReferral]:
    """Open referrals of the user's team schools, soonest due first: consent given and no
    outcome yet (due dates), then those still waiting for consent."""
    # The team's schools as a condition inside the one query (no list of school ids first).
    rows = list(
        referrals_visible_to(user)
        .filter(
            access.school_wide_condition(user, district_field="school__district_id"),
            outcome=ReferralOutcome.PENDING,
        )
        .exclude(consent_refused_on__isnull=False)
        .select_related("student")
        .order_by("referred_on", "id")[:200]
    )
    for r in rows:
        r.clock = referral_clock(r, today=today)
    rows.sort(key=lambda r: (r.clock.due_on is None, r.clock.due_on or r.referred_on, r.pk))
    return rows[:limit]
