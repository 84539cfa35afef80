"""Progress scores: record or correct a plan's score of one day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from interventions import progress_summary
from interventions.models import InterventionPlan, ProgressScore
from interventions.services.checks import _check_day, _lock, _raise, _require_active, _score
from interventions.services.permissions import NOT_YOUR_PLAN, _require, may_record_for_plan
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_record
from students.models import AccessLog, User
from students.versioning import require_version

PROGRESS_OBJECT = "progress_score"


def _text(value: Any) -> str:
    return f"{value.normalize():f}" if value is not None else ""


@transaction.atomic
def progress_record(
    *,
    plan: InterventionPlan,
    date: dt.date,
    score: Any,
    actor: User | None,
    audit: AuditContext | None = None,
    version: int | None = None,
) -> ProgressScore:
    """Record (or correct) the plan's progress score of one day.

    Refused, with nothing saved: a score outside the measure's range (or not a number), a date
    before the plan started or in the future, a plan that is no longer active.
    `version` is the version of the day's score the person saw (0: no score yet); when a
    colleague saved the day since, EditConflict carries both scores and nothing changes.
    None skips the check.
    """
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    _lock(plan)
    _require_active(plan, "progress scores")
    if plan.measure is None:
        raise ApplicationError(_("This plan has no progress measure; set one first."))
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Enter the date of the score.")]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="score was taken")
    value = _score(errors, "score", score, plan.measure)
    _raise(errors)
    # The plan's row lock (above) serializes writers of its points: the check is race-free.
    existing = ProgressScore.objects.filter(plan=plan, date=date).first()
    if existing is None or existing.score != value:  # the same score twice is no conflict
        require_version(
            expected=version,
            current=existing.version if existing else 0,
            what=f"progress score of {date:%d %b %Y}",
            saved=lambda: {"date": date.isoformat(), "score": _text(existing.score)},
            yours={"date": date.isoformat(), "score": _text(value)},
        )
    if existing is not None:
        old = existing.score
        existing.score, existing.entered_by = value, actor
        existing.version += 1 if old != value else 0
        existing.save(update_fields=["score", "entered_by", "version", "updated_at"])
        point, action = existing, AccessLog.Action.UPDATE
        detail = {"date": date.isoformat(), "old": str(old), "new": str(value)}
    else:
        point = ProgressScore.objects.create(plan=plan, date=date, score=value, entered_by=actor)
        action = AccessLog.Action.CREATE
        detail = {"date": date.isoformat(), "score": str(value)}
    audit_record(
        user=actor,
        action=action,
        object_type=PROGRESS_OBJECT,
        object_id=point.pk,
        student=plan.student_id,
        audit=audit,
        detail={"plan": plan.pk, **detail},
    )
    progress_summary.refresh(plan_ids=[plan.pk])
    return point
