"""CICO point cards: record a day's card; its percentage becomes the plan's progress score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from interventions.analysis.cico import card_percent
from interventions.models import CicoCard, CicoSetup, InterventionPlan
from interventions.models.cico import DEFAULT_EXPECTATIONS, DEFAULT_PERIODS
from interventions.services.checks import _check_day, _lock, _raise, _require_active
from interventions.services.permissions import NOT_YOUR_PLAN, _require, may_record_for_plan
from interventions.services.progress import progress_record
from students.audit import AuditContext, audit_record
from students.models import AccessLog, User

CARD_OBJECT = "cico_card"


def cico_setup_for(school_id: int) -> CicoSetup:
    """The school's card layout; the default layout (unsaved) when the school has none."""
    found = CicoSetup.objects.filter(school_id=school_id).first()
    return found or CicoSetup(
        school_id=school_id,
        periods=list(DEFAULT_PERIODS),
        expectations=list(DEFAULT_EXPECTATIONS),
    )


def _points(errors: dict, raw: Any, setup: CicoSetup) -> list[list[int | None]]:
    rows = len(setup.periods)
    cols = len(setup.expectations)
    if not isinstance(raw, Sequence) or len(raw) != rows:
        errors.setdefault("points", []).append(
            _("The card has %(rows)s periods; send one list of ratings per period.")
            % {"rows": rows}
        )
        return []
    out: list[list[int | None]] = []
    for period, row in zip(setup.periods, raw, strict=True):
        if not isinstance(row, Sequence) or len(row) != cols:
            errors.setdefault("points", []).append(
                _("%(period)s: rate each of the %(cols)s expectations (blank when not rated).")
                % {"period": period, "cols": cols}
            )
            continue
        cells: list[int | None] = []
        for expectation, value in zip(setup.expectations, row, strict=True):
            if value in (None, ""):
                cells.append(None)
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = -1
            if not 0 <= number <= setup.max_points:
                errors.setdefault("points", []).append(
                    _(
                        "%(period)s, %(expectation)s: %(value)s is not a rating from 0 to %(highest)s."
                    )
                    % {
                        "period": period,
                        "expectation": expectation,
                        "value": repr(value),
                        "highest": setup.max_points,
                    }
                )
            cells.append(number)
        out.append(cells)
    return out


@transaction.atomic
def cico_card_record(
    *,
    plan: InterventionPlan,
    date: dt.date,
    points: Any,
    checked_in: bool,
    checked_out: bool,
    home_copy_returned: bool,
    actor: User | None,
    audit: AuditContext | None = None,
) -> CicoCard:
    """Save (or correct) the plan's card of one day. The day's percentage is recorded as the
    plan's progress score of that day (when the plan has a progress measure and something
    was rated), in the same transaction."""
    _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
    _lock(plan)
    _require_active(plan, "point cards")
    setup = cico_setup_for(plan.student.school_id)
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Enter the date of the card.")]
    else:
        _check_day(errors, "date", date, not_before=plan.start_date, what="card was filled in")
    cells = _points(errors, points, setup)
    _raise(errors)
    percent = card_percent(cells, setup.max_points)
    card, created = CicoCard.objects.update_or_create(
        plan=plan,
        date=date,
        defaults={
            "points": cells,
            "max_points": setup.max_points,
            "checked_in": bool(checked_in),
            "checked_out": bool(checked_out),
            "home_copy_returned": bool(home_copy_returned),
            "percent": percent,
            "entered_by": actor,
        },
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE if created else AccessLog.Action.UPDATE,
        object_type=CARD_OBJECT,
        object_id=card.pk,
        student=plan.student_id,
        audit=audit,
        detail={"plan": plan.pk, "date": date.isoformat(), "percent": str(percent)},
    )
    if percent is not None and plan.measure_id is not None:
        progress_record(plan=plan, date=date, score=percent, actor=actor, audit=audit)
    return card


def cico_cards_bulk_record(
    *, rows: list[dict[str, Any]], actor: User | None, audit: AuditContext | None = None
) -> list[CicoCard]:
    """Several cards in one transaction (the API's bulk write): all saved, or none, with the
    errors of every bad row keyed by its position."""
    errors: dict[str, list[str]] = {}
    saved: list[CicoCard] = []
    with transaction.atomic():
        for i, row in enumerate(rows):
            try:
                with transaction.atomic():
                    saved.append(cico_card_record(actor=actor, audit=audit, **row))
            except ValidationError as exc:
                errors[str(i)] = exc.messages
        if errors:
            raise ValidationError(errors)
    return saved
