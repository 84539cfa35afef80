"""OneRoster vocabularies -> our values (pure functions, no database)."""

import datetime as dt

import pytest

from students.oneroster.codes import (
    CodeError,
    class_grade,
    dates_fit_school_year,
    map_role,
    parse_bool,
    parse_date,
    parse_grade,
    parse_sex,
    parse_status,
    race_ethnicity,
    school_year_name,
    split_list,
    student_grade,
)


@pytest.mark.parametrize(
    ("code", "grade"),
    [("PK", -1), ("TK", -1), ("PR", -1), ("KG", 0), ("01", 1), ("1", 1), ("09", 9), ("12", 12)],
)
def test_it_maps_ceds_grade_codes(code, grade):
    assert parse_grade(code) == grade


@pytest.mark.parametrize("code", ["13", "PS", "UG", "Other", "IT", "-3", "grade 3"])
def test_it_refuses_grades_outside_prek_to_12(code):
    with pytest.raises(CodeError, match="outside pre-K to 12"):
        parse_grade(code)


def test_it_gives_a_class_spanning_grades_no_grade():
    assert class_grade("09,10,11") == (None, "")
    assert class_grade("10") == (10, "")
    assert class_grade("") == (None, "")
    grade, note = class_grade("UG")
    assert grade is None and "without a grade" in note


def test_it_takes_the_first_of_several_student_grades_and_says_so():
    assert student_grade("03") == (3, "")
    grade, note = student_grade("03,04")
    assert grade == 3 and "first (03)" in note
    with pytest.raises(CodeError, match="grades is blank"):
        student_grade("")


def test_it_splits_multi_value_fields():
    assert split_list("as-1, as-2,,") == ["as-1", "as-2"]


@pytest.mark.parametrize(
    ("hispanic", "races", "two", "expected"),
    [
        (True, ["white", "asian"], None, "hispanic_latino"),  # Hispanic of any race first
        (False, ["white", "asian"], None, "two_or_more"),
        (None, [], True, "two_or_more"),
        (False, ["black"], False, "black"),
        (None, [], None, "unknown"),
    ],
)
def test_it_derives_the_federal_race_ethnicity_category(hispanic, races, two, expected):
    assert race_ethnicity(hispanic=hispanic, races=races, two_or_more=two) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [("male", "M"), ("Female", "F"), ("other", "X"), ("unspecified", "U"), ("", "U")],
)
def test_it_maps_sex(value, code):
    assert parse_sex(value) == code


def test_it_refuses_an_unknown_sex():
    with pytest.raises(CodeError, match="not male, female"):
        parse_sex("unknown-value")


@pytest.mark.parametrize(
    ("value", "expected"), [("Y", True), ("no", False), ("TRUE", True), ("0", False), ("", None)]
)
def test_it_reads_yes_no_values(value, expected):
    assert parse_bool(value, column="iep") is expected


def test_it_refuses_a_value_that_is_not_yes_or_no():
    with pytest.raises(CodeError, match="iep 'maybe' is not true or false"):
        parse_bool("maybe", column="iep")


def test_it_accepts_blank_status_only_in_bulk_files():
    assert parse_status("", mode="bulk") == ("active", "")
    assert parse_status("tobedeleted", mode="delta") == ("tobedeleted", "")
    assert parse_status("inactive", mode="bulk")[0] == "tobedeleted"
    with pytest.raises(CodeError, match="delta file"):
        parse_status("", mode="delta")


def test_it_reads_iso_dates_only():
    assert parse_date("2014-09-02", column="birthDate") == dt.date(2014, 9, 2)
    assert parse_date("", column="birthDate") is None
    for bad in ("2014-02-30", "09/02/2014", "2014-9-2"):
        with pytest.raises(CodeError, match="YYYY-MM-DD"):
            parse_date(bad, column="birthDate")


def test_it_maps_roles_of_both_versions():
    assert map_role("teacher") == "teacher"
    assert map_role("aide") == "teacher"
    assert map_role("principal") == "school_admin"
    assert map_role("districtAdministrator") == "district_admin"
    assert map_role("parent") == "skip"
    with pytest.raises(CodeError, match="'wizard' is not a OneRoster role"):
        map_role("wizard")


def test_it_names_the_school_year_by_its_ending_year():
    assert school_year_name(2027) == "2026-2027"


@pytest.mark.parametrize(
    ("end_year", "start", "end", "fits"),
    [
        # The whole year 2026-2027 (middle day 2026-12-25).
        (2027, dt.date(2026, 8, 17), dt.date(2027, 6, 4), True),
        # A fall term of 2022-2023 marked 2023 (middle day 2022-10-28).
        (2023, dt.date(2022, 9, 1), dt.date(2022, 12, 24), True),
        # A spring term of 2022-2023 (middle day 2023-03-31).
        (2023, dt.date(2023, 1, 9), dt.date(2023, 6, 20), True),
        # The semester of 2023-2024 marked 2023: 144 days, middle day 2023-11-15, after
        # June 30, 2023, the last day 2022-2023 can reach.
        (2023, dt.date(2023, 9, 4), dt.date(2024, 1, 26), False),
        # A fall term of 2026-2027 marked 2026 (the year it starts, a common slip).
        (2026, dt.date(2026, 8, 17), dt.date(2026, 12, 18), False),
        # The edges: middle day June 30 fits, July 1 belongs to the next year.
        (2023, dt.date(2023, 6, 29), dt.date(2023, 7, 1), True),
        (2023, dt.date(2023, 6, 30), dt.date(2023, 7, 2), False),
    ],
)
def test_it_tells_whether_dates_belong_to_the_school_year_named(end_year, start, end, fits):
    assert dates_fit_school_year(end_year, start, end) is fits
