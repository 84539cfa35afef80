"""Writes of the decisions app: rule sets, flag status changes, sweep requests.

The sweep itself (the rules' own writes) is decisions/sweep.py. Status changes made by
people go through the `flag_*` services below; the meetings app calls them (docs/decisions.md
lists which service answers which meeting action). Each is keyword-only, runs in one
transaction with its audit row, and refuses a change the state machine does not allow with
an ApplicationError a teacher can read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from decisions.models import LIVE_STATUSES, Flag, FlagStatus, RuleRun, RuleSet
from decisions.reconcile import basis_hash
from decisions.thresholds import DEFAULT_THRESHOLDS, Thresholds
from mtss.errors import ApplicationError
from students import access
from students.audit import AuditContext, audit_record
from students.idempotency import idempotency_claim, idempotency_settle, replayed
from students.models import AccessLog, District, School, User

FLAG_OBJECT = "flag"
DISMISS_SCOPE = "flag_dismiss"
RULE_SET_OBJECT = "rule_set"

NOT_A_TEAM_MEMBER = (
    "Only the school's team members and administrators can change the status of a flag."
)
NOT_A_DISTRICT_ADMIN = "Only a district administrator can change the district's decision rules."
FLAG_CLOSED = _("This flag is already {status}; only open flags can be changed.")
REASON_REQUIRED = _("Say why the flag is dismissed, so the team can see it later.")


# -- who may do what ---------------------------------------------------------------------------


def is_district_admin(user: User | None, district_id: int) -> bool:
    return access.is_district_admin_of(user, district_id)


def may_act_on_flags(user: User | None, school_id: int, district_id: int) -> bool:
    """Team members and school administrators of the school; district administrators."""
    return access.may_act_on_flags(user, school_id=school_id, district_id=district_id)


def _require_flag_actor(actor: User | None, flag: Flag) -> None:
    # actor None is the platform itself (the demo, a command run by an operator).
    if actor is not None and not may_act_on_flags(actor, flag.school_id, flag.district_id):
        raise PermissionDenied(NOT_A_TEAM_MEMBER)


# -- rule sets ---------------------------------------------------------------------------------


@transaction.atomic
def rule_set_ensure(*, district_id: int) -> RuleSet:
    """The district's active rule set, created as version 1 with domain.md's defaults when
    the district has none yet (every flag must name the version that produced it)."""
    active = RuleSet.objects.filter(district_id=district_id, is_active=True).first()
    if active is not None:
        return active
    # Lock the district row so two first sweeps cannot both create version 1.
    District.objects.select_for_update().filter(pk=district_id).first()
    active = RuleSet.objects.filter(district_id=district_id, is_active=True).first()
    if active is not None:
        return active
    latest = RuleSet.objects.filter(district_id=district_id).aggregate(v=Max("version"))["v"]
    return RuleSet.objects.create(
        district_id=district_id,
        version=(latest or 0) + 1,
        thresholds=DEFAULT_THRESHOLDS.to_dict(),
        is_active=True,
        notes="Defaults of the published rules (docs/rules.md).",
    )


@transaction.atomic
def rule_set_revise(
    *,
    district: District,
    changes: dict[str, Any],
    actor: User | None,
    notes: str = "",
    audit: AuditContext | None = None,
    activate: bool = False,
) -> RuleSet:
    """Save the district's thresholds with `changes` applied as a new version: a draft the
    what-if preview judges and `rule_set_activate` switches on, or, only when asked with
    `activate=True` (the demo seeder, tests), the active version at once.

    `changes` names only the thresholds that change (Thresholds field names). The old
    version stays, so flags made with it keep pointing at the numbers that produced them.
    Bad values raise ValidationError keyed by threshold name.
    """
    if actor is not None and not is_district_admin(actor, district.pk):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"thresholds": [gettext("Change at least one threshold.")]})
    District.objects.select_for_update().filter(pk=district.pk).first()
    current = rule_set_ensure(district_id=district.pk)
    merged = {**current.as_thresholds().to_dict(), **changes}
    known = set(DEFAULT_THRESHOLDS.to_dict())
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValidationError({name: ["There is no such threshold."] for name in unknown})
    try:
        thresholds = Thresholds.from_dict(merged)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"thresholds": [str(exc)]}) from None
    if thresholds.to_dict() == current.thresholds:
        raise ValidationError({"thresholds": [gettext("These are the thresholds already in use.")]})
    latest = RuleSet.objects.filter(district=district).aggregate(v=Max("version"))["v"] or 0
    if activate:
        RuleSet.objects.filter(district=district, is_active=True).update(is_active=False)
    rule_set = RuleSet.objects.create(
        district=district,
        version=latest + 1,
        thresholds=thresholds.to_dict(),
        is_active=activate,
        notes=notes,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=RULE_SET_OBJECT,
        object_id=rule_set.pk,
        audit=audit,
        detail={"version": rule_set.version, "changes": changes, "active": activate},
    )
    return rule_set


@transaction.atomic
def rule_set_activate(
    *,
    rule_set: RuleSet,
    actor: User | None,
    audit: AuditContext | None = None,
    detail: dict[str, Any] | None = None,
) -> RuleSet:
    """Make a version of the district's rules the active one (a draft, or a roll-back).
    `detail` adds to the audit row (the what-if preview the administrator read)."""
    if actor is not None and not is_district_admin(actor, rule_set.district_id):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    District.objects.select_for_update().filter(pk=rule_set.district_id).first()
    RuleSet.objects.filter(district_id=rule_set.district_id, is_active=True).exclude(
        pk=rule_set.pk
    ).update(is_active=False)
    if not rule_set.is_active:
        rule_set.is_active = True
        rule_set.save(update_fields=["is_active"])
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=RULE_SET_OBJECT,
        object_id=rule_set.pk,
        audit=audit,
        detail={"version": rule_set.version, "activated": True, **(detail or {})},
    )
    return rule_set


# -- flag status -------------------------------------------------------------------------------


def _locked_live_flag(flag: Flag) -> Flag:
    """The flag re-read under a row lock (a sweep or a colleague may have just changed it)."""
    fresh = Flag.objects.select_for_update().get(pk=flag.pk)
    if fresh.status not in LIVE_STATUSES:
        raise ApplicationError(FLAG_CLOSED.format(status=fresh.get_status_display().lower()))
    return fresh


def _audit(
    actor: User | None, flag: Flag, audit: AuditContext | None, detail: dict[str, Any]
) -> None:
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=FLAG_OBJECT,
        object_id=flag.pk,
        student=flag.student_id,
        audit=audit,
        detail=detail,
    )


@transaction.atomic
def flag_dismiss(
    *,
    flag: Flag,
    reason: str,
    actor: User | None,
    audit: AuditContext | None = None,
    idempotency_key: str = "",
) -> Flag:
    """Dismiss a live flag with a reason. It stays dismissed until its evidence changes.
    The same `idempotency_key` again (a double submit) changes nothing and returns the flag."""
    _require_flag_actor(actor, flag)
    prior = idempotency_claim(key=idempotency_key, scope=DISMISS_SCOPE, actor=actor)
    if prior is not None:
        return replayed(Flag.objects.get(pk=prior))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [REASON_REQUIRED]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [gettext("Keep the reason under 2,000 characters.")]})
    flag = _locked_live_flag(flag)
    flag.status = FlagStatus.DISMISSED
    flag.basis_hash = basis_hash(flag.evidence)
    flag.dismissed_reason = reason
    flag.decided_by = actor if actor is not None and actor.is_authenticated else None
    flag.resolved_at = timezone.now()
    flag.save(
        update_fields=[
            "status",
            "basis_hash",
            "dismissed_reason",
            "decided_by",
            "resolved_at",
            "updated_at",
        ]
    )
    _audit(actor, flag, audit, {"status": "dismissed", "reason": reason})
    idempotency_settle(key=idempotency_key, scope=DISMISS_SCOPE, result_id=flag.pk)
    return flag


@transaction.atomic
def flag_accept(*, flag: Flag, actor: User | None, audit: AuditContext | None = None) -> Flag:
    """The team acted on the flag (a recorded meeting decision): it closes as accepted and
    the same evidence never reopens it."""
    _require_flag_actor(actor, flag)
    flag = _locked_live_flag(flag)
    flag.status = FlagStatus.ACCEPTED
    flag.basis_hash = basis_hash(flag.evidence)
    flag.decided_by = actor if actor is not None and actor.is_authenticated else None
    flag.resolved_at = timezone.now()
    flag.save(update_fields=["status", "basis_hash", "decided_by", "resolved_at", "updated_at"])
    _audit(actor, flag, audit, {"status": "accepted"})
    return flag


@transaction.atomic
def flag_put_on_agenda(
    *, flag: Flag, actor: User | None, audit: AuditContext | None = None
) -> Flag:
    """Open -> on_agenda (a meeting's agenda item now carries it). Already on an agenda: no-op."""
    _require_flag_actor(actor, flag)
    flag = _locked_live_flag(flag)
    if flag.status != FlagStatus.ON_AGENDA:
        flag.status = FlagStatus.ON_AGENDA
        flag.save(update_fields=["status", "updated_at"])
        _audit(actor, flag, audit, {"status": "on_agenda"})
    return flag


@transaction.atomic
def flag_take_off_agenda(
    *, flag: Flag, actor: User | None, audit: AuditContext | None = None
) -> Flag:
    """On_agenda -> open (the item was removed, or the meeting closed without a decision)."""
    _require_flag_actor(actor, flag)
    flag = _locked_live_flag(flag)
    if flag.status != FlagStatus.OPEN:
        flag.status = FlagStatus.OPEN
        flag.save(update_fields=["status", "updated_at"])
        _audit(actor, flag, audit, {"status": "open"})
    return flag


# -- sweep requests ----------------------------------------------------------------------------


def may_request_sweep(user: User | None, *, district_id: int, school_id: int | None) -> bool:
    """District administrators for the district; team members and school administrators
    for their own school."""
    if school_id is None:
        return is_district_admin(user, district_id)
    return may_act_on_flags(user, school_id, district_id)


@transaction.atomic
def rule_run_request(
    *,
    district: District,
    school: School | None,
    actor: User | None,
    triggered_by: str = RuleRun.Trigger.API,
) -> RuleRun:
    """A queued RuleRun row (so its id exists before the task starts). The caller starts it
    with `decisions.events.rule_run_enqueue` in the same transaction."""
    if school is not None and school.district_id != district.pk:
        raise ValidationError({"school": [gettext("This school belongs to another district.")]})
    if actor is not None and not may_request_sweep(
        actor, district_id=district.pk, school_id=school.pk if school else None
    ):
        raise PermissionDenied(
            gettext(
                "Only a district administrator can run the rules for a whole district; team "
                "members and school administrators can run them for their school."
            )
        )
    return RuleRun.objects.create(
        district=district,
        school=school,
        status=RuleRun.Status.QUEUED,
        triggered_by=triggered_by,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
        as_of=timezone.localdate(),
    )
