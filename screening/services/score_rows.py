"""What goes in and comes out of the score services: the rows to record, the per-row errors
(with the conflict when a colleague saved first) and the result of a batch.

Split from screening/services/scores.py, which re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from mtss.errors import EditConflict
from screening.models.measures import Measure
from screening.models.scores import ScreeningScore
from screening.models.windows import ScreeningWindow
from students.models import Student


@dataclass
class ScoreInput:
    """One score to record. `student`, `measure` and `window` may be objects or ids."""

    student: Student | int
    measure: Measure | int
    window: ScreeningWindow | int
    value: Any
    # Where it came from, for messages: a CSV row number, a grid position...
    row: int | None = None
    behavior_rating_id: int | None = None
    # The version of the stored score the person saw (0: none yet), from a grid cell or the
    # API; a colleague's newer save is then refused with both values. None: no check.
    expected_version: int | None = None


@dataclass
class RowError:
    index: int  # position in the input list
    row: int | None  # the caller's own row number, when it gave one
    errors: dict[str, list[str]]
    conflict: EditConflict | None = None  # a colleague saved this score first

    def message(self) -> str:
        return "; ".join(m for messages in self.errors.values() for m in messages)


@dataclass
class BulkResult:
    scores: list[ScreeningScore] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _conflict(current: ScreeningScore | None, value: Decimal, measure: Measure) -> EditConflict:
    def text(v: Decimal | None) -> str:
        return f"{v.normalize():f}" if v is not None else ""

    return EditConflict(
        what=f"{measure.name} score",
        saved={"score": text(current.score) if current else ""},
        yours={"score": text(value)},
        version=current.version if current else 0,
    )


def _bulk_error(errors: list[RowError]) -> ValidationError:
    if len(errors) == 1 and errors[0].row is None and errors[0].index == 0:
        return ValidationError(errors[0].errors)
    lines = []
    for e in errors:
        where = f"Row {e.row}" if e.row is not None else f"Item {e.index + 1}"
        lines.append(f"{where}: {e.message()}")
    return ValidationError({"rows": lines})
