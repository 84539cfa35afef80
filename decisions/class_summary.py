"""The teacher's class view, as values: each student's screening result with its change since
the last window, the class's missing screenings and its Tier 1 health (share at benchmark).

Pure: no ORM, no clock. `decisions.class_view` reads the rows and hands them here; tests feed
hand-made rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from mtss.lib.vocabulary import RiskLevel

# Lower is better: a move down this scale is an improvement.
RISK_ORDER = {RiskLevel.AT_OR_ABOVE: 0, RiskLevel.SOME_RISK: 1, RiskLevel.HIGH_RISK: 2}


@dataclass(frozen=True)
class ScoreRow:
    """One screening score as the class view needs it."""

    student_id: int
    measure_id: int
    window_id: int
    score: Decimal
    risk_level: str

    @property
    def risk_label(self) -> str:
        """The risk level in words ("No cut score" when none applied)."""
        if self.risk_level in RiskLevel.values:
            return str(RiskLevel(self.risk_level).label)
        return gettext("No cut score")


@dataclass(frozen=True)
class MeasureInfo:
    pk: int
    name: str
    higher_is_better: bool
    lowest_grade: int
    highest_grade: int

    def serves(self, grade: int) -> bool:
        return self.lowest_grade <= grade <= self.highest_grade


@dataclass
class Result:
    """A student's score on one measure this window, and the last window's."""

    student_id: int
    measure: MeasureInfo
    current: ScoreRow | None
    previous: ScoreRow | None

    @property
    def change(self) -> Decimal | None:
        if self.current is None or self.previous is None:
            return None
        return self.current.score - self.previous.score

    @property
    def trend(self) -> str:
        """'better', 'worse', 'same' or '' (no pair to compare): the risk level first, then
        the score in the measure's direction."""
        if self.current is None or self.previous is None:
            return ""
        now = RISK_ORDER.get(self.current.risk_level)
        before = RISK_ORDER.get(self.previous.risk_level)
        if now is not None and before is not None and now != before:
            return "better" if now < before else "worse"
        delta = self.change or Decimal(0)
        if delta == 0:
            return "same"
        up = delta > 0
        return "better" if up == self.measure.higher_is_better else "worse"


@dataclass
class Health:
    """Tier 1 health on one measure: how many of the scored students are at benchmark."""

    measure: MeasureInfo
    scored: int = 0
    at_benchmark: int = 0
    missing: list[int] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.at_benchmark / self.scored if self.scored else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)


def class_measures(
    scores: Iterable[ScoreRow], measures: dict[int, MeasureInfo]
) -> list[MeasureInfo]:
    """The measures the class is screened with: those with a score of its students in the
    current or the last window, by name."""
    ids = {s.measure_id for s in scores if s.measure_id in measures}
    return sorted((measures[i] for i in ids), key=lambda m: (m.name, m.pk))


def summarize(
    *,
    students: list[tuple[int, int]],
    scores: list[ScoreRow],
    measures: dict[int, MeasureInfo],
    current_window_id: int | None,
    previous_window_id: int | None,
) -> tuple[dict[int, list[Result]], list[Health]]:
    """Each student's results per class measure, and the class's health per measure.

    `students` are (student id, grade) in display order. A student whose grade the measure
    does not serve is neither scored nor missing on it.
    """
    own = [s for s in scores if s.measure_id in measures]
    chosen = class_measures(own, measures)
    by_key = {(s.student_id, s.measure_id, s.window_id): s for s in own}
    results: dict[int, list[Result]] = {}
    health = [Health(measure=m) for m in chosen]
    for student_id, grade in students:
        rows = []
        for h in health:
            m = h.measure
            current = by_key.get((student_id, m.pk, current_window_id))
            previous = by_key.get((student_id, m.pk, previous_window_id))
            if current is not None:
                h.scored += 1
                h.at_benchmark += current.risk_level == RiskLevel.AT_OR_ABOVE
            elif m.serves(grade) and current_window_id is not None:
                h.missing.append(student_id)
            if current is not None or previous is not None or m.serves(grade):
                rows.append(Result(student_id, m, current, previous))
        results[student_id] = rows
    return results, health
