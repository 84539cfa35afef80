"""The SRSS-IE rating page's rows: each student's rating in the window and its two scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from screening import reference_data
from screening.models.scores import BehaviorRating, ScreeningScore
from screening.models.windows import ScreeningWindow
from students.models import Student

SRSS_CODES = (
    reference_data.SRSS_E7_CODE,
    reference_data.SRSS_I5_CODE,
    reference_data.SRSS_I6_CODE,
)


@dataclass
class RatingRow:
    student: Student
    rating: BehaviorRating | None
    scores: dict[str, ScreeningScore] = field(default_factory=dict)  # measure code -> score
    form: Any = None  # the page's RatingRowForm for this student

    @property
    def externalizing(self) -> ScreeningScore | None:
        return self.scores.get(reference_data.SRSS_E7_CODE)

    @property
    def internalizing(self) -> ScreeningScore | None:
        return self.scores.get(reference_data.SRSS_I5_CODE) or self.scores.get(
            reference_data.SRSS_I6_CODE
        )


def rating_rows(*, students: list[Student], window: ScreeningWindow) -> list[RatingRow]:
    """Each student's SRSS-IE rating in the window and its two scores. Two queries."""
    ids = [s.pk for s in students]
    ratings = {
        r.student_id: r for r in BehaviorRating.objects.filter(student_id__in=ids, window=window)
    }
    scores: dict[int, dict[str, ScreeningScore]] = {}
    for score in ScreeningScore.objects.filter(
        student_id__in=ids, window=window, measure__code__in=SRSS_CODES
    ).select_related("measure"):
        scores.setdefault(score.student_id, {})[score.measure.code] = score
    return [
        RatingRow(student=s, rating=ratings.get(s.pk), scores=scores.get(s.pk, {}))
        for s in students
    ]
