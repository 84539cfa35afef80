"""Tier placements: the student's tier per domain, recorded when it changes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from interventions.models import InterventionPlan, TierPlacement
from interventions.services.checks import _raise
from mtss.lib.vocabulary import Domain
from students.audit import AuditContext, audit_record
from students.models import AccessLog, Student, User

PLACEMENT_OBJECT = "tier_placement"


@transaction.atomic
def tier_place(
    *,
    student: Student,
    domain: str,
    tier: int,
    start_date: dt.date,
    actor: User | None,
    decision_note: str = "",
    plan: InterventionPlan | None = None,
    audit: AuditContext | None = None,
) -> TierPlacement | None:
    """Record the student's tier in a domain from `start_date`; the open placement ends.

    Returns the new placement, or None when the student is already at that tier (nothing
    changes; history records changes only). The meetings app calls this for decisions that
    start no plan (for example "move to Tier 1" or "fade to Tier 2").
    """
    errors: dict[str, list[str]] = {}
    if tier not in (1, 2, 3):
        errors["tier"] = [_("Tier must be 1, 2 or 3.")]
    if domain not in Domain.values:
        errors["domain"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Domain.values)}
        ]
    _raise(errors)
    current = (
        TierPlacement.objects.select_for_update()
        .filter(student=student, domain=domain, end_date__isnull=True)
        .first()
    )
    if current is not None and current.tier == tier:
        return None
    if current is None and tier == 1:
        # No history and Tier 1: every student starts in Tier 1; nothing to record.
        return None
    if current is not None:
        current.end_date = max(start_date, current.start_date)
        current.save(update_fields=["end_date"])
    placement = TierPlacement.objects.create(
        student=student,
        domain=domain,
        tier=tier,
        start_date=start_date,
        plan=plan,
        decided_by=actor,
        decision_note=decision_note,
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=PLACEMENT_OBJECT,
        object_id=placement.pk,
        student=student,
        audit=audit,
        detail={
            "domain": domain,
            "tier": tier,
            "from_tier": current.tier if current else None,
            "start_date": start_date.isoformat(),
            "plan": plan.pk if plan else None,
        },
    )
    return placement


def _domain_tier(student: Student, domain: str, *, excluding: int | None = None) -> int:
    """The tier the student's active plans in a domain call for (1 when there are none)."""
    tiers = (
        InterventionPlan.objects.filter(
            student=student, domain=domain, status=InterventionPlan.Status.ACTIVE
        )
        .exclude(pk=excluding)
        .values_list("tier", flat=True)
    )
    return max(tiers, default=1)
