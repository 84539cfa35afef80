"""Pure pieces of the score import: the column guess, seasons and years, delimiters, dates."""

from __future__ import annotations

import datetime as dt

import pytest

from screening.score_import.checking import parse_date
from screening.score_import.mapping import (
    IdKind,
    Mapping,
    YearRef,
    guess_mapping,
    mapping_problems,
    parse_mapping_option,
    parse_window_label,
    parse_year,
)
from screening.score_import.reading import sniff_delimiter
from tests.fixtures.scores.corpus import sample


@pytest.mark.parametrize(
    ("header", "student", "score"),
    [
        (["Student ID", "Score"], "Student ID", "Score"),
        (["StudentID", "WCPM"], "StudentID", "WCPM"),
        (["Local ID", "Words Correct"], "Local ID", "Words Correct"),
        (["SIS ID", "Raw Score", "Percentile Score"], "SIS ID", "Raw Score"),
        (["student_number", "ORF Score", "National Percentile"], "student_number", "ORF Score"),
        (["Name", "Percentile", "Risk Level"], "", ""),
    ],
)
def test_it_guesses_the_student_and_score_columns_from_common_names(header, student, score):
    mapping = guess_mapping(header)
    assert (mapping.student, mapping.score) == (student, score)


def test_it_guesses_every_role_of_a_fastbridge_shaped_header():
    header = sample("fastbridge_like.csv").decode().splitlines()[0].split(",")
    mapping = guess_mapping(header)
    assert mapping == Mapping(
        student="Student ID",
        score="CBMreading WCPM",
        measure_column="Assessment",
        window_column="Screening Period",
        year_column="School Year",
        date_column="Date",
    )


def test_it_guesses_a_sourced_id_column_and_says_which_kind_it_is():
    mapping = guess_mapping(["sourcedId", "Measure", "Window", "Score"])
    assert (mapping.student, mapping.id_kind) == ("sourcedId", IdKind.SOURCED)
    assert (mapping.measure_column, mapping.window_column) == ("Measure", "Window")


def test_it_prefers_the_likelier_name_when_two_columns_could_fit():
    mapping = guess_mapping(["ID", "Score", "Period", "Season", "Student ID"])
    assert (mapping.student, mapping.window_column) == ("Student ID", "Season")


@pytest.mark.parametrize(
    ("text", "season", "year"),
    [
        ("Fall", "fall", None),
        ("fall 2026-2027", "fall", YearRef(start=2026, end=2027)),
        ("2026-27 Winter", "winter", YearRef(start=2026, end=2027)),
        ("Spring 2027", "spring", YearRef(calendar=2027)),
        ("BOY", "fall", None),
        ("Middle of Year", "winter", None),
        ("EOY 2026/2027", "spring", YearRef(start=2026, end=2027)),
        ("Autumn", "fall", None),
        ("W", "winter", None),
        ("Q3", None, None),
        ("", None, None),
    ],
)
def test_it_reads_season_names_vendors_use(text, season, year):
    assert parse_window_label(text) == (season, year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-2027", YearRef(start=2026, end=2027)),
        ("2099-00", YearRef(start=2099, end=2100)),
        ("2026-2028", None),  # not one school year
        ("2027", YearRef(calendar=2027)),
        ("next year", None),
    ],
)
def test_it_reads_school_years(text, expected):
    assert parse_year(text) == expected


def test_it_reads_the_command_line_mapping_onto_a_guess():
    base = Mapping(student="Student ID", score="Score")
    mapping = parse_mapping_option("score=WCPM, season = Period", base)
    assert (mapping.student, mapping.score, mapping.window_column) == (
        "Student ID",
        "WCPM",
        "Period",
    )
    with pytest.raises(ValueError, match="'score WCPM' should look like role=Column Name."):
        parse_mapping_option("score WCPM")


def test_it_names_what_a_mapping_lacks_or_repeats():
    header = ["Student ID", "Score", "Score"]
    mapping = Mapping(student="Student ID", score="Score", window_column="Student ID")
    assert mapping_problems(mapping, header) == [
        "2 columns are named 'Score'; rename one so the score column is clear.",
        "The column 'Student ID' is chosen for both student ID and window.",
        "Choose the measure column, or one measure for the whole file.",
    ]


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("Student ID,Score,Season", ","),
        ("Student ID;Score;Season", ";"),
        ("Student ID\tScore\tSeason", "\t"),
        ("Student ID|Score", "|"),
        ('"Last, First";Score;Season', ";"),  # the comma is inside quotes
        ("Score", ","),
    ],
)
def test_it_sniffs_the_delimiter_from_the_header(line, delimiter):
    assert sniff_delimiter(line) == delimiter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-15", dt.date(2026, 9, 15)),
        ("9/15/2026", dt.date(2026, 9, 15)),
        ("09/15/26", dt.date(2026, 9, 15)),
        ("2026-09-15T10:30:00", dt.date(2026, 9, 15)),
        ("9/15/2026 10:30 AM", dt.date(2026, 9, 15)),
        ("15/09/2026", None),
        ("soon", None),
    ],
)
def test_it_reads_the_dates_exports_write(text, expected):
    assert parse_date(text) == expected
