"""Fidelity observations: an observer's checklist of one session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from interventions.models import FidelityObservation, InterventionPlan
from interventions.services.checks import _check_day, _lock, _raise, _require_active
from interventions.services.permissions import NOT_YOUR_PLAN, _require, may_record_for_plan
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_record
from students.models import AccessLog, User

FIDELITY_OBJECT = "fidelity_observation"


@transaction.atomic
def fidelity_observation_record(
    *,
    plan: InterventionPlan,
    date: dt.date,
    answers: Sequence[bool],
    observer: User | None,
    notes: str = "",
    audit: AuditContext | None = None,
) -> FidelityObservation:
    """An observation against the current intervention's checklist: percentage of items done."""
    _require(may_record_for_plan(observer, plan), NOT_YOUR_PLAN)
    _lock(plan)
    _require_active(plan, "fidelity observations")
    checklist = list(plan.intervention.fidelity_checklist or [])
    errors: dict[str, list[str]] = {}
    if not checklist:
        raise ApplicationError(
            gettext("%(intervention)s has no fidelity checklist in the catalog to observe against.")
            % {"intervention": plan.intervention.name}
        )
    if len(answers) != len(checklist) or not all(isinstance(a, bool) for a in answers):
        errors["answers"] = [
            gettext("Answer each of the %(count)s checklist items yes or no.")
            % {"count": len(checklist)}
        ]
    if date is None:
        errors["date"] = [gettext("Enter the date of the observation.")]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="observation")
    _raise(errors)
    done = sum(1 for a in answers if a)
    percentage = (Decimal(100 * done) / Decimal(len(checklist))).quantize(Decimal("0.01"))
    observation = FidelityObservation.objects.create(
        plan=plan,
        date=date,
        observer=observer,
        answers=[
            {"item": item, "done": bool(a)} for item, a in zip(checklist, answers, strict=True)
        ],
        percentage=percentage,
        notes=(notes or "").strip(),
    )
    audit_record(
        user=observer,
        action=AccessLog.Action.CREATE,
        object_type=FIDELITY_OBJECT,
        object_id=observation.pk,
        student=plan.student_id,
        audit=audit,
        detail={"plan": plan.pk, "date": date.isoformat(), "percentage": str(percentage)},
    )
    return observation
