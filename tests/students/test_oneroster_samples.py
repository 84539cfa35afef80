"""The three third-party sample sets in ../shared/data/oneroster/ (see its README): they
import, and their quirks are reported row by row instead of crashing the import.

Expected values were worked out by reading the CSV files by hand.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from students.models import School, SchoolYear, Section, Student, User
from students.oneroster.importer import import_oneroster
from tests.factories import DistrictFactory
from tests.fixtures.oneroster.corpus import roster_counts

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "oneroster"
if not SAMPLES.is_dir() and not os.environ.get("CI"):
    pytest.skip(f"sample sets not found at {SAMPLES}", allow_module_level=True)

TODAY = dt.date(2026, 9, 15)


@pytest.fixture
def district(db):
    return DistrictFactory(name="Sample District")


def rejected(report) -> dict[tuple[str, int], str]:
    return {(p["file"], p["row"]): p["reason"] for p in report.rejected}


def warnings(report) -> dict[tuple[str, int | None], str]:
    return {(w["file"], w["row"]): w["message"] for w in report.warnings}


def test_it_imports_the_full_set_keeping_valid_rows(district):
    report = import_oneroster(
        path=SAMPLES / "Test_full_data_set.zip",
        district=district,
        all_or_nothing=False,
        today=TODAY,
    )

    assert report.committed
    assert report.meta["version"] == "1.1"
    problems = rejected(report)
    # The only org, a department, names a parent that is not in orgs.csv ...
    assert (
        problems[("orgs.csv", 2)]
        == "parentSourcedId 'org-sch-222-3456' is not an org in orgs.csv or already imported"
    )
    # ... so everything that belongs to it says so, row by row.
    assert (
        problems[("classes.csv", 2)]
        == "schoolSourcedId 'org-sch-222-456': that school was rejected (orgs.csv row 2)"
    )
    assert {row for file, row in problems if file == "users.csv"} == {
        2,
        3,
        5,
        6,
        7,
    }  # row 4 is a parent
    assert {row for file, row in problems if file == "enrollments.csv"} == {
        2,
        3,
        4,
    }  # 5-7: a class being deleted
    assert report.rejected_total == 10
    notes = warnings(report)
    assert (
        notes[("academicSessions.csv", 4)]
        == "status 'inactive' (OneRoster 1.0) was read as tobedeleted"
    )
    assert "schoolYear 2023 means 2022-2023" in notes[("academicSessions.csv", 5)]
    assert report.counts["people not imported (parents, guardians, ...)"]["skipped"] == 1
    year = SchoolYear.objects.get(district=district)
    assert (year.name, year.sourced_id, year.start_date, year.end_date) == (
        "2022-2023",
        "as-grp-222-3456",
        dt.date(2022, 10, 2),
        dt.date(2022, 12, 24),
    )
    assert not Student.objects.exists()


def test_it_imports_nothing_of_the_full_set_by_default(district):
    before = roster_counts()

    report = import_oneroster(
        path=SAMPLES / "Test_full_data_set.zip", district=district, today=TODAY
    )

    assert not report.committed
    assert report.rejected_total == 10
    assert roster_counts() == before


def test_it_imports_the_minimal_set_with_its_quirks_reported(district):
    report = import_oneroster(
        path=SAMPLES / "Test_minimal_data_set.zip",
        district=district,
        all_or_nothing=False,
        today=TODAY,
    )

    assert report.committed
    school = School.objects.get(district=district)
    assert (school.name, school.sourced_id) == ("History Department", "org-sch-222-456")
    assert (
        warnings(report)[("orgs.csv", 2)]
        == "'History Department' is a department with no school above it; it was imported as a school"
    )
    sections = dict(Section.objects.filter(school=school).values_list("sourced_id", "name"))
    assert sections == {
        "cls-222-123456": "Introduction to Physics",
        "cls-222-123478": "History - 2",
    }
    john = User.objects.get(sourced_id="usr-222-123456")
    assert (john.username, john.has_usable_password()) == (
        "john.doe",
        False,
    )  # the CSV's password is never read
    assert set(john.sections.values_list("sourced_id", flat=True)) == set(sections)
    assert john.memberships.get().role == "teacher"
    problems = rejected(report)
    # The students carry no grade at all; blank status/dateLastModified is fine in bulk.
    for row in (3, 6, 7):
        assert (
            problems[("users.csv", row)]
            == "grades is blank; a student needs a grade (PK, KG, 01 to 12)"
        )
    # Jim Smith is a teacher in users.csv but enrolled as a student.
    for row in (3, 6):
        assert (
            problems[("enrollments.csv", row)]
            == "userSourcedId 'usr-222-987654' is staff in users.csv but is enrolled as a student"
        )
    assert (
        problems[("enrollments.csv", 4)]
        == "userSourcedId 'usr-222-1234561232': that user was rejected (users.csv row 6)"
    )
    assert report.counts["teacher assignments"]["created"] == 2


def test_it_imports_the_12_delta_set_with_its_quirks_reported(district):
    report = import_oneroster(
        path=SAMPLES / "oneroster_test_data.zip",
        district=district,
        all_or_nothing=False,
        today=TODAY,
    )

    assert report.committed
    assert report.meta["version"] == "1.2"
    assert report.files["userProfiles.csv"]["note"] == "not used by MTSS"
    assert School.objects.get(district=district).name == "Gotham High School"
    section = Section.objects.get(sourced_id="CLASS_001")
    assert (section.name, section.course_name) == ("Basic Detection", "Crime Fighting 101")
    # Only a semester is given: the school year is built from it, and the report says so.
    assert (section.school_year.name, section.school_year.start_date) == (
        "2022-2023",
        dt.date(2023, 9, 4),
    )
    assert any("no schoolYear session for 2023" in w["message"] for w in report.warnings)
    problems = rejected(report)
    assert (
        problems[("users.csv", 2)] == "grades is blank; a student needs a grade (PK, KG, 01 to 12)"
    )
    assert (
        problems[("demographics.csv", 2)]
        == "sourcedId 'USER_0': that student was rejected (users.csv row 2)"
    )
    assert (
        problems[("enrollments.csv", 2)]
        == "userSourcedId 'USER_0': that user was rejected (users.csv row 2)"
    )


@pytest.mark.parametrize(
    "name", ["Test_full_data_set", "Test_minimal_data_set", "oneroster_test_data"]
)
def test_it_changes_nothing_on_a_second_import_of_a_sample(district, name):
    path = SAMPLES / f"{name}.zip"
    import_oneroster(path=path, district=district, all_or_nothing=False, today=TODAY)
    before = roster_counts()

    again = import_oneroster(path=path, district=district, all_or_nothing=False, today=TODAY)

    assert (again.total("created"), again.total("updated"), again.total("deactivated")) == (0, 0, 0)
    assert roster_counts() == before
