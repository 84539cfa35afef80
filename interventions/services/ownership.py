"""Student ownership: the student's own goal and self-ratings."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from interventions.models import InterventionPlan, SelfRating, StudentGoalStatement
from interventions.services.checks import _check_day, _raise
from interventions.services.permissions import NOT_YOUR_PLAN, _require, may_record_for_plan
from students.audit import AuditContext, audit_record
from students.models import AccessLog, User

OWNERSHIP_OBJECT = "student_ownership"


@transaction.atomic
def goal_statement_record(
    *,
    plan: InterventionPlan,
    text: str,
    date: dt.date,
    actor: User | None,
    audit: AuditContext | None = None,
) -> StudentGoalStatement:
    """The student's own goal, in their words."""
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["text"] = [_("Write the student's goal in their words.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="student set the goal")
    _raise(errors)
    statement = StudentGoalStatement.objects.create(
        plan=plan, date=date, text=text.strip(), recorded_by=actor
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=OWNERSHIP_OBJECT,
        object_id=statement.pk,
        student=plan.student_id,
        audit=audit,
        detail={"plan": plan.pk, "kind": "goal_statement"},
    )
    return statement


@transaction.atomic
def self_rating_record(
    *,
    plan: InterventionPlan,
    date: dt.date,
    rating: int,
    actor: User | None,
    note: str = "",
    audit: AuditContext | None = None,
) -> SelfRating:
    """The student's rating of how it is going, 1 (not well) to 5 (very well)."""
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    errors: dict[str, list[str]] = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Choose a rating from 1 (not well) to 5 (very well).")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="rating")
    _raise(errors)
    rated = SelfRating.objects.create(
        plan=plan, date=date, rating=rating, note=(note or "").strip(), recorded_by=actor
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=OWNERSHIP_OBJECT,
        object_id=rated.pk,
        student=plan.student_id,
        audit=audit,
        detail={"plan": plan.pk, "kind": "self_rating", "rating": rating},
    )
    return rated
