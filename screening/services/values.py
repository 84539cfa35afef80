"""A typed score checked against its measure's range and rounded to the stored places."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from screening.models.measures import Measure
from screening.models.values import SCORE_PLACES

SCORE_QUANTUM = Decimal(1).scaleb(-SCORE_PLACES)


def parse_score(value: Any, measure: Measure) -> Decimal:
    """The value as a Decimal inside the measure's range, or a ValidationError a teacher reads."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(gettext("Enter a number."))
    text = str(value).strip()
    if text == "":
        raise ValidationError(gettext("Enter a number."))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            gettext("%(text)s is not a number. Enter a number, like 42.") % {"text": repr(text)}
        ) from None
    if not number.is_finite():
        raise ValidationError(
            gettext("%(text)s is not a number. Enter a number, like 42.") % {"text": repr(text)}
        )
    low, high = measure.min_score, measure.max_score
    if not low <= number <= high:
        raise ValidationError(
            gettext("%(name)s scores go from %(fmt)s to %(fmt2)s; %(fmt3)s is outside that range.")
            % {"name": measure.name, "fmt": _fmt(low), "fmt2": _fmt(high), "fmt3": _fmt(number)}
        )
    if number != number.quantize(SCORE_QUANTUM):
        raise ValidationError(
            gettext("Use at most %(PLACES)s decimal places.") % {"PLACES": SCORE_PLACES}
        )
    return number.quantize(SCORE_QUANTUM)


def _fmt(value: Decimal) -> str:
    """42.00 -> '42', 42.50 -> '42.5' for messages."""
    text = format(value.normalize(), "f")
    return text
