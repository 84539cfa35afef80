"""The three third-party sample sets in ../shared/data/oneroster/ (see its README): they
import, and their quirks are reported row by row (warnings for what was imported with a
note, rejections for what was not) instead of crashing the import.

Expected values were worked out by reading the CSV files by hand (row numbers as a
spreadsheet shows them, header = row 1):

Test_full_data_set (1.1, bulk)
- orgs.csv row 2: the only org, department "History Department", names parent
  org-sch-222-3456, which is not in the file -> a school attached to the district (warning).
- classes.csv: cls-222-123456 active ("09,10,11": no single grade), cls-222-123478
  tobedeleted and never imported -> 1 section.
- users.csv: teachers john.doe (row 2) and jim.smith (row 5) -> 2 staff; students mary.jones
  (row 3, blank status, grade 12), mmichel.jones (row 6, 12), anna.brown (row 7, 11) -> 3;
  thomas.joness (row 4) is a parent -> a family contact of mary.jones (his agent).
- enrollments.csv: row 2 john teaches cls-222-123456 -> 1 teacher assignment; row 3 enrolls
  jim.smith, a teacher, as a student -> rejected; row 4 mmichel in cls-222-123456 -> 1
  enrollment; rows 5-7 are in the class being deleted -> skipped.
- warnings: orgs row 2 (parent), academicSessions row 4 (status inactive), row 5 (schoolYear
  2023 with 2022 dates), courses.csv absent, the current school year chosen, students whose
  agents are teachers -> 6.

Test_minimal_data_set (1.1, bulk): same people and classes, every grade blank.
- orgs.csv row 2: a department with no parent at all -> imported as a school (warning).
- 2 sections (both active: blank status is fine in bulk), 2 staff.
- students mary (row 3), mmichel (row 6), anna (row 7): grades blank, their classes list no
  grades, the school is new, no demographics.csv -> nothing to infer from: 3 rejected.
- enrollments: rows 2 and 5 (john teaching) -> 2 teacher assignments; rows 3 and 6 (jim
  enrolled as a student) and rows 4 and 7 (mmichel, rejected) -> 4 rejected.
- warnings: orgs row 2, academicSessions row 5, courses.csv absent, current year -> 4.

oneroster_test_data (1.2, delta)
- ORG_1 "Gotham High School" -> 1 school; CLASS_001 -> 1 section in the year built from its
  semester (2023-09-04 to 2024-01-26, schoolYear 2023 -> "2022-2023").
- USER_0 Bruce Wayne (roles.csv: student at ORG_1), grades blank, class and course list no
  grades, new school; demographics.csv birthDate 2010-04-17: age 13 on 2023-09-01 -> grade 8.
- ENROLLMENT_001 -> 1 enrollment; no staff.
- warnings: academicSessions row 2 (the semester's dates, middle day 2023-11-15, are not in
  2022-2023, the year its schoolYear 2023 names), classes row 2 (no schoolYear session),
  users row 2 (grade estimated), current year -> 4; nothing rejected, so it imports in
  all-or-nothing mode too.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from students.models import District, Enrollment, School, SchoolYear, Section, Student, User
from students.oneroster.importer import import_oneroster
from tests.factories import DistrictFactory
from tests.fixtures.oneroster.corpus import roster_counts

# ../shared beside the checkout (a worktree sits one folder deeper, so look upwards).
SAMPLES = next(
    (
        p / "shared" / "data" / "oneroster"
        for p in Path(__file__).resolve().parents[2:5]
        if (p / "shared" / "data" / "oneroster").is_dir()
    ),
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "oneroster",
)
if not SAMPLES.is_dir() and not os.environ.get("CI"):
    pytest.skip(f"sample sets not found at {SAMPLES}", allow_module_level=True)

TODAY = dt.date(2026, 9, 15)
GUARDIANS = "family contacts"


@pytest.fixture
def district(db):
    return DistrictFactory(name="Sample District")


def rejected(report) -> dict[tuple[str, int], str]:
    return {(p["file"], p["row"]): p["reason"] for p in report.rejected}


def warnings(report) -> dict[tuple[str, int | None], str]:
    return {(w["file"], w["row"]): w["message"] for w in report.warnings}


def imported(district) -> dict[str, int]:
    return {
        "schools": School.objects.filter(district=district).count(),
        "sections": Section.objects.filter(school__district=district).count(),
        "students": Student.objects.filter(district=district).count(),
        "staff": User.objects.filter(memberships__district=district).distinct().count(),
        "enrollments": Enrollment.objects.filter(student__district=district).count(),
        "teacher assignments": Section.teachers.through.objects.filter(
            section__school__district=district
        ).count(),
    }


def test_it_imports_the_full_set_keeping_valid_rows(district):
    report = import_oneroster(
        path=SAMPLES / "Test_full_data_set.zip",
        district=district,
        all_or_nothing=False,
        today=TODAY,
    )

    assert report.committed
    assert report.meta["version"] == "1.1"
    assert imported(district) == {
        "schools": 1,
        "sections": 1,
        "students": 3,
        "staff": 2,
        "enrollments": 1,
        "teacher assignments": 1,
    }
    assert (report.warnings_total, report.rejected_total) == (6, 1)
    notes = warnings(report)
    assert notes[("orgs.csv", 2)] == (
        "parent org 'org-sch-222-3456' not found; school 'History Department' attached to "
        "district Sample District (a department with no school above it is imported as a school)"
    )
    assert (
        notes[("academicSessions.csv", 4)]
        == "status 'inactive' (OneRoster 1.0) was read as tobedeleted"
    )
    assert "schoolYear 2023 means 2022-2023" in notes[("academicSessions.csv", 5)]
    assert rejected(report) == {
        ("enrollments.csv", 3): (
            "userSourcedId 'usr-222-987654' is staff in users.csv but is enrolled as a student"
        )
    }
    school = School.objects.get(district=district)
    assert (school.name, school.sourced_id) == ("History Department", "org-sch-222-456")
    grades = dict(Student.objects.values_list("local_id", "grade"))
    assert grades == {"mary.jones": 12, "mmichel.jones": 12, "anna.brown": 11}
    enrolled = Enrollment.objects.get()
    assert (enrolled.student.local_id, enrolled.section.sourced_id) == (
        "mmichel.jones",
        "cls-222-123456",
    )
    john = User.objects.get(sourced_id="usr-222-123456")
    assert list(john.sections.values_list("sourced_id", flat=True)) == ["cls-222-123456"]
    # thomas.joness (row 4) is a parent: a family contact of mary.jones, whom he lists as
    # his agent. The students' own agents are teachers (john.doe, jim.smith): one warning.
    assert report.counts[GUARDIANS]["created"] == 1
    assert notes[("users.csv", None)] == (
        "3 agent(s) of students are not parents, guardians or relatives (first: student "
        "'usr-222-66778899' lists 'usr-222-123456'); no family link made for them"
    )
    year = SchoolYear.objects.get(district=district)
    assert (year.name, year.sourced_id, year.start_date, year.end_date) == (
        "2022-2023",
        "as-grp-222-3456",
        dt.date(2022, 10, 2),
        dt.date(2022, 12, 24),
    )


def test_it_imports_nothing_of_the_full_set_by_default_because_of_its_one_rejected_row(
    district,
):
    before = roster_counts()

    report = import_oneroster(
        path=SAMPLES / "Test_full_data_set.zip", district=district, today=TODAY
    )

    # The five warnings would not stop it; the enrollment of a teacher as a student does.
    assert not report.committed
    assert (report.warnings_total, report.rejected_total) == (6, 1)
    assert roster_counts() == before


def test_it_imports_the_minimal_set_and_rejects_the_students_it_cannot_grade(district):
    report = import_oneroster(
        path=SAMPLES / "Test_minimal_data_set.zip",
        district=district,
        all_or_nothing=False,
        today=TODAY,
    )

    assert report.committed
    assert imported(district) == {
        "schools": 1,
        "sections": 2,
        "students": 0,
        "staff": 2,
        "enrollments": 0,
        "teacher assignments": 2,
    }
    assert (report.warnings_total, report.rejected_total) == (4, 7)
    assert (
        warnings(report)[("orgs.csv", 2)]
        == "'History Department' is a department with no school above it; it was imported as a school"
    )
    john = User.objects.get(sourced_id="usr-222-123456")
    assert (john.username, john.has_usable_password()) == (
        "john.doe",
        False,
    )  # the CSV's password is never read
    assert set(john.sections.values_list("sourced_id", flat=True)) == {
        "cls-222-123456",
        "cls-222-123478",
    }
    assert john.memberships.get().role == "teacher"
    problems = rejected(report)
    assert set(problems) == {
        ("users.csv", 3),
        ("users.csv", 6),
        ("users.csv", 7),
        ("enrollments.csv", 3),
        ("enrollments.csv", 4),
        ("enrollments.csv", 6),
        ("enrollments.csv", 7),
    }
    for row in (3, 6, 7):
        assert problems[("users.csv", row)].startswith(
            "grades is blank, and no grade could be inferred"
        )
    for row in (3, 6):
        assert (
            problems[("enrollments.csv", row)]
            == "userSourcedId 'usr-222-987654' is staff in users.csv but is enrolled as a student"
        )
    assert (
        problems[("enrollments.csv", 4)]
        == "userSourcedId 'usr-222-1234561232': that user was rejected (users.csv row 6)"
    )


@pytest.mark.parametrize("all_or_nothing", [True, False], ids=["all-or-nothing", "keep-valid"])
def test_it_imports_the_12_delta_set_with_an_estimated_grade(district, all_or_nothing):
    report = import_oneroster(
        path=SAMPLES / "oneroster_test_data.zip",
        district=district,
        all_or_nothing=all_or_nothing,
        today=TODAY,
    )

    # Warnings only, no rejected row: all-or-nothing imports it too.
    assert report.committed
    assert report.meta["version"] == "1.2"
    assert (report.warnings_total, report.rejected_total) == (4, 0)
    assert imported(district) == {
        "schools": 1,
        "sections": 1,
        "students": 1,
        "staff": 0,
        "enrollments": 1,
        "teacher assignments": 0,
    }
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
    # The year's name (2022-2023) contradicts its dates (2023-09-04 to 2024-01-26): said on
    # the semester's row.
    assert warnings(report)[("academicSessions.csv", 2)].startswith(
        "the semester runs 2023-09-04 to 2024-01-26, outside 2022-2023, the school year its "
        "schoolYear 2023 names"
    )
    bruce = Student.objects.get(sourced_id="USER_0")
    assert (bruce.local_id, bruce.grade, bruce.birth_date) == (
        "bruce.wayne",
        8,
        dt.date(2010, 4, 17),
    )
    assert warnings(report)[("users.csv", 2)] == (
        "grades is blank; grade 8 was estimated from the birth date 2010-04-17 (age 13 on "
        "September 1, 2023); check it in the student information system"
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


def test_it_imports_the_full_set_from_the_command_line_on_an_empty_platform(db):
    """No district yet and no district org in the set: the district is named after the file,
    and the output lists the rejected row apart from the warnings."""
    out = io.StringIO()

    call_command(
        "import_oneroster",
        str(SAMPLES / "Test_full_data_set.zip"),
        "--keep-valid",
        "--quiet",
        stdout=out,
    )

    district = District.objects.get()
    assert district.name == "Test full data set"
    assert imported(district)["students"] == 3
    text = out.getvalue()
    assert "Rejected rows, NOT imported (1):\n  enrollments.csv row 3: userSourcedId" in text
    assert "Warnings, rows imported with a note (6; a warning never stops an import):" in text
    assert "  orgs.csv row 2: parent org 'org-sch-222-3456' not found" in text
    assert "1 rejected row (not imported), 6 warnings (imported with a note)." in text
    assert text.rstrip().endswith("6 warnings, 1 rejected row.")
