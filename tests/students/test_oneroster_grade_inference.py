"""Inferring a blank grade: pure rules, worked by hand."""

from __future__ import annotations

import datetime as dt

from students.oneroster.grade_inference import (
    cutoff_date,
    grade_from_birth_date,
    grade_from_classes,
    grade_from_school,
    infer_grade,
)


def test_it_takes_the_one_grade_all_classes_share():
    assert grade_from_classes([(9,), (9, 10, 11)]) == 9
    assert grade_from_classes([(), (4,)]) == 4  # a class without grades says nothing


def test_it_gives_no_grade_when_the_classes_disagree_or_span_several():
    assert grade_from_classes([(9,), (10,)]) is None
    assert grade_from_classes([(9, 10, 11)]) is None
    assert grade_from_classes([(), ()]) is None
    assert grade_from_classes([]) is None


def test_it_takes_the_grade_of_a_single_grade_school_only():
    assert grade_from_school(3, 3) == 3
    assert grade_from_school(0, 5) is None


def test_it_counts_age_on_september_first_of_the_school_year():
    # Born 2010-04-17: 13 on 2023-09-01 -> grade 8.
    assert grade_from_birth_date(dt.date(2010, 4, 17), dt.date(2023, 9, 4)) == 8
    # Born 2018-09-01: 5 on 2023-09-01 -> kindergarten; one day later: 4 -> pre-K.
    assert grade_from_birth_date(dt.date(2018, 9, 1), dt.date(2023, 8, 20)) == 0
    assert grade_from_birth_date(dt.date(2018, 9, 2), dt.date(2023, 8, 20)) == -1
    # A 3-year-old or a 19-year-old has no PK-12 grade.
    assert grade_from_birth_date(dt.date(2020, 6, 1), dt.date(2023, 9, 4)) is None
    assert grade_from_birth_date(dt.date(2004, 6, 1), dt.date(2023, 9, 4)) is None


def test_it_dates_a_year_starting_in_the_spring_from_the_previous_autumn():
    assert cutoff_date(dt.date(2024, 2, 1)) == dt.date(2023, 9, 1)
    assert cutoff_date(dt.date(2023, 8, 14)) == dt.date(2023, 9, 1)


def test_it_prefers_classes_then_school_then_birth_date():
    birth, start = dt.date(2010, 4, 17), dt.date(2023, 9, 4)

    by_class = infer_grade(
        class_grades=[(7,)],
        class_names=["Math 7"],
        school_span=(3, 3),
        birth_date=birth,
        year_start=start,
    )
    by_school = infer_grade(
        class_grades=[(6, 7, 8)],
        class_names=["Advisory"],
        school_span=(3, 3),
        birth_date=birth,
        year_start=start,
    )
    by_birth = infer_grade(
        class_grades=[], class_names=[], school_span=(0, 5), birth_date=birth, year_start=start
    )
    nothing = infer_grade(
        class_grades=[], class_names=[], school_span=None, birth_date=None, year_start=start
    )

    assert by_class.grade == 7 and "from the student's classes (Math 7)" in by_class.note
    assert by_school.grade == 3 and "school, which serves only that grade" in by_school.note
    assert by_birth.grade == 8 and "age 13 on September 1, 2023" in by_birth.note
    assert nothing is None
