"""A student's grade when users.csv leaves `grades` blank. Pure functions, no database.

Real SIS exports often leave a student's grade blank (two of the three sample sets in
../shared/data/oneroster/ do). Student.grade is required, because screening measures, cut
scores and dashboards all work per grade, so the importer infers it, in this order, and
says which source it used in a warning on the row:

1. the student's classes: the one grade every class with grades has in common (a class with
   blank `grades` lends its course's `grades`);
2. the school: when it serves a single grade (lowest grade = highest grade);
3. the birth date (demographics.csv): the age-expected grade, age on September 1 of the
   school year minus 5 (5 -> kindergarten, 4 -> pre-K). Retained or accelerated students are
   a grade off, which is why the warning asks to check it.

When none of them gives a grade, the row is rejected: guessing a grade would put the student
under the wrong cut scores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from students.models import GRADE_MAX, GRADE_MIN, grade_label

# Age on the cut-off day -> grade: a 5-year-old starts kindergarten (grade 0).
KINDERGARTEN_AGE = 5
# The age cut-off most US states use for kindergarten entry.
CUTOFF_MONTH, CUTOFF_DAY = 9, 1


@dataclass(frozen=True)
class InferredGrade:
    grade: int
    note: str  # the warning shown on the row: where the grade came from


def grade_from_classes(class_grades: Iterable[Iterable[int]]) -> int | None:
    """The single grade shared by every class that lists grades, else None.

    A grade-9 class and a "09,10,11" class give 9; a grade-9 and a grade-10 class, or only
    multi-grade classes, give None (no one grade is certain).
    """
    sets = [set(grades) for grades in class_grades if grades]
    if not sets:
        return None
    common = set.intersection(*sets)
    return common.pop() if len(common) == 1 else None


def grade_from_school(lowest: int, highest: int) -> int | None:
    return lowest if lowest == highest else None


def age_on(day: dt.date, birth: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def cutoff_date(year_start: dt.date) -> dt.date:
    """September 1 of the calendar year the school year starts in (a year that starts in
    the spring, in the southern-hemisphere way, belongs to the previous autumn's cohort)."""
    year = year_start.year if year_start.month >= 7 else year_start.year - 1
    return dt.date(year, CUTOFF_MONTH, CUTOFF_DAY)


def grade_from_birth_date(birth: dt.date, year_start: dt.date) -> int | None:
    grade = age_on(cutoff_date(year_start), birth) - KINDERGARTEN_AGE
    return grade if GRADE_MIN <= grade <= GRADE_MAX else None


def infer_grade(
    *,
    class_grades: list[tuple[int, ...]],
    class_names: list[str],
    school_span: tuple[int, int] | None,
    birth_date: dt.date | None,
    year_start: dt.date | None,
) -> InferredGrade | None:
    """The grade of a student whose `grades` is blank, with the note for the report."""
    grade = grade_from_classes(class_grades)
    if grade is not None:
        names = ", ".join(class_names[:3]) + (" ..." if len(class_names) > 3 else "")
        return InferredGrade(
            grade,
            f"grades is blank; grade {grade_label(grade)} was taken from the student's classes "
            f"({names}); check it in the student information system",
        )
    if school_span is not None:
        grade = grade_from_school(*school_span)
        if grade is not None:
            return InferredGrade(
                grade,
                f"grades is blank; grade {grade_label(grade)} was taken from the student's "
                "school, which serves only that grade",
            )
    if birth_date is not None and year_start is not None:
        grade = grade_from_birth_date(birth_date, year_start)
        if grade is not None:
            cutoff = cutoff_date(year_start)
            return InferredGrade(
                grade,
                f"grades is blank; grade {grade_label(grade)} was estimated from the birth date "
                f"{birth_date.isoformat()} (age {age_on(cutoff, birth_date)} on "
                f"{cutoff.strftime('%B')} {cutoff.day}, {cutoff.year}); check it in the student "
                "information system",
            )
    return None


NO_GRADE = (
    "grades is blank, and no grade could be inferred: none from the student's classes (no "
    "grade they all share), none from the school (it serves several grades or is new), none "
    "from a birth date in demographics.csv; a student needs a grade (PK, KG, 01 to 12)"
)
