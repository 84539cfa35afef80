"""Small checks the plan services share: dates, scores, an active plan, a row lock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from interventions.models import InterventionPlan
from mtss.errors import ApplicationError
from mtss.lib.vocabulary import Domain
from screening.models import Measure
from screening.services import parse_score

PLAN_CLOSED = _("This plan is {status}: {what} can't be added to it.")
MAX_SESSION_MINUTES = 480


def _today() -> dt.date:
    return timezone.localdate()


def _fmt_day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _check_day(
    errors: dict[str, list[str]], field: str, day: dt.date, *, not_before: dt.date, what: str
) -> None:
    if day > _today():
        errors.setdefault(field, []).append(
            gettext("%(day)s is in the future. Enter the date the %(what)s happened.")
            % {"day": _fmt_day(day), "what": what}
        )
    elif day < not_before:
        errors.setdefault(field, []).append(
            gettext("%(day)s is before the plan started (%(not_before)s).")
            % {"day": _fmt_day(day), "not_before": _fmt_day(not_before)}
        )


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _score(
    errors: dict[str, list[str]], field: str, value: Any, measure: Measure
) -> Decimal | None:
    try:
        return parse_score(value, measure)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


def _require_active(plan: InterventionPlan, what: str) -> None:
    if plan.status != InterventionPlan.Status.ACTIVE:
        raise ApplicationError(
            PLAN_CLOSED.format(status=plan.get_status_display().lower(), what=what),
            extra={"status": plan.status},
        )


def _lock(plan: InterventionPlan) -> InterventionPlan:
    """Re-read the plan under a row lock, so two writers cannot both pass a status check."""
    locked = InterventionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.status = locked.status
    return plan


def _domain_label(domain: str) -> str:
    return Domain(domain).label
