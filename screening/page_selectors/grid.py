"""The score-entry grid: a class's scores in this window and the last few, counts and ranks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import FilteredRelation, Q

from screening.models.measures import Measure
from screening.models.scores import ScreeningScore
from screening.models.windows import ScreeningWindow
from screening.page_selectors.sections import _enrolled_in, section_students
from students.models import Section, Student, User
from students.selectors import students_visible_to


@dataclass
class GridRow:
    student: Student
    served: bool  # the measure is given in the student's grade
    current: ScreeningScore | None
    previous: list[ScreeningScore | None]
    # Filled by the page when a typed value was refused: shown back with its message.
    typed: str | None = None
    error: str = ""

    @property
    def value(self) -> str:
        """What the box shows: the refused text as typed, else the saved score ('62')."""
        if self.typed is not None:
            return self.typed
        if self.current is None:
            return ""
        return format(self.current.score.normalize(), "f")


@dataclass
class EntryGrid:
    previous_windows: list[ScreeningWindow]
    rows: list[GridRow]

    @property
    def served_count(self) -> int:
        return sum(1 for r in self.rows if r.served)

    @property
    def entered_count(self) -> int:
        return sum(1 for r in self.rows if r.current is not None)


PREVIOUS_WINDOWS = 3


def entry_grid(
    *, user: User, section: Section, window: ScreeningWindow, measure: Measure
) -> EntryGrid:
    """The class roster with this window's score and the last few windows' scores.

    Three queries: the students, the earlier windows of the district, and every score of
    those students on the measure in those windows.
    """
    students = section_students(user=user, section=section)
    previous = list(
        ScreeningWindow.objects.filter(
            school_year__district_id=window.school_year.district_id,
            start_date__lt=window.start_date,
        )
        .select_related("school_year")
        .order_by("-start_date")[:PREVIOUS_WINDOWS]
    )[::-1]
    window_ids = [w.pk for w in previous] + [window.pk]
    scores = ScreeningScore.objects.filter(
        student_id__in=[s.pk for s in students], measure_id=measure.pk, window_id__in=window_ids
    ).select_related("cut_score_set")
    by_key = {(s.student_id, s.window_id): s for s in scores}
    rows = [
        GridRow(
            student=s,
            served=measure.serves_grade(s.grade),
            current=by_key.get((s.pk, window.pk)),
            previous=[by_key.get((s.pk, w.pk)) for w in previous],
        )
        for s in students
    ]
    return EntryGrid(previous_windows=previous, rows=rows)


@dataclass
class ClassTallies:
    entered: int  # students the measure serves who have a score in the window
    served: int  # active students of the section the measure serves
    ranks: dict[int, int | None]  # {student id: percentile rank} of the section's scores


def class_tallies(
    *, user: User, section: Section, window: ScreeningWindow, measure: Measure
) -> ClassTallies:
    """What a box's save refreshes on the page, in one query: the entered count and every
    rank of the section's scores (a save moves the ranks of the whole norm group)."""
    rows = (
        students_visible_to(user)
        .filter(_enrolled_in(section))
        .annotate(
            this_score=FilteredRelation(
                "screening_scores",
                condition=Q(
                    screening_scores__window_id=window.pk,
                    screening_scores__measure_id=measure.pk,
                ),
            )
        )
        .values_list("pk", "active", "grade", "this_score__id", "this_score__percentile_rank")
    )
    entered = served = 0
    ranks: dict[int, int | None] = {}
    for pk, active, grade, score_id, rank in rows:
        counted = active and measure.lowest_grade <= grade <= measure.highest_grade
        served += counted
        if score_id is not None:
            ranks[pk] = rank
            entered += counted
    return ClassTallies(entered=entered, served=served, ranks=ranks)


def score_get(
    *, student: Student, window: ScreeningWindow, measure: Measure
) -> ScreeningScore | None:
    return (
        ScreeningScore.objects.filter(student=student, window=window, measure=measure)
        .select_related("cut_score_set")
        .first()
    )
