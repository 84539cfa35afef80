"""OneRoster import on generated sets: what lands in the roster, re-import, delta, bulk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from students.models import (
    AccessLog,
    District,
    Enrollment,
    Membership,
    School,
    SchoolYear,
    Section,
    Student,
    User,
)
from students.oneroster.importer import import_oneroster
from tests.factories import (
    DistrictFactory,
    MembershipFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
)
from tests.fixtures.oneroster.builder import riverside
from tests.fixtures.oneroster.corpus import roster_counts

TODAY = dt.date(2026, 9, 15)


def run(path, district, **kw):
    # These tests shrink a tiny district on purpose; the guard has its own tests
    # (test_roster_guard.py).
    kw.setdefault("deactivation_confirmed", True)
    return import_oneroster(path=path, district=district, today=TODAY, **kw)


@pytest.fixture
def district(db) -> District:
    return DistrictFactory(name="Riverside Unified")


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_it_imports_a_whole_district(tmp_path, district, version):
    report = run(riverside(version).zip(tmp_path / "set.zip"), district)

    assert report.committed, report.rejected
    assert report.rejected_total == 0
    district.refresh_from_db()
    assert district.sourced_id == "dst-1"
    maple = School.objects.get(district=district, sourced_id="sch-maple")
    oak = School.objects.get(district=district, sourced_id="sch-oak")
    assert (maple.name, maple.lowest_grade, maple.highest_grade, maple.level) == (
        "Maple Elementary",
        3,
        3,
        "elementary",
    )
    assert (oak.lowest_grade, oak.highest_grade, oak.level) == (7, 7, "middle")
    year = SchoolYear.objects.get(district=district)
    assert (year.name, year.start_date, year.end_date, year.is_current) == (
        "2026-2027",
        dt.date(2026, 8, 17),
        dt.date(2027, 6, 4),
        True,
    )
    sections = {s.sourced_id: s for s in Section.objects.filter(school__district=district)}
    assert sections["cls-read3"].grade == 3
    assert sections["cls-read3"].course_name == "Reading 3"
    assert sections["cls-read3"].school_year == year
    assert sections["cls-advisory"].grade is None  # "06,07,08"
    students = {s.sourced_id: s for s in Student.objects.filter(district=district)}
    assert len(students) == 6
    maria = students["stu-1"]
    assert (maria.first_name, maria.last_name, maria.local_id, maria.grade, maria.school) == (
        "Maria",
        "Garcia",
        "100001",
        3,
        maple,
    )
    assert maria.birth_date == dt.date(2018, 1, 11)
    assert {sid: (s.sex, s.race_ethnicity) for sid, s in students.items()} == {
        "stu-1": ("F", "hispanic_latino"),
        "stu-2": ("M", "white"),
        "stu-3": ("F", "two_or_more"),
        "stu-4": ("M", "black"),
        "stu-5": ("X", "two_or_more"),
        "stu-6": ("U", "unknown"),
    }
    assert Enrollment.objects.filter(section__school__district=district, active=True).count() == 8
    lee = User.objects.get(sourced_id="tch-lee")
    assert lee.username == "dana.lee"
    assert not lee.has_usable_password()
    assert list(lee.sections.values_list("sourced_id", flat=True)) == ["cls-read3"]
    roles = set(
        Membership.objects.filter(district=district).values_list(
            "user__sourced_id", "role", "school__sourced_id"
        )
    )
    assert roles == {
        ("tch-lee", "teacher", "sch-maple"),
        ("tch-park", "teacher", "sch-oak"),
        ("adm-brown", "school_admin", "sch-maple"),
        ("adm-khan", "district_admin", None),
    }
    assert not User.objects.filter(sourced_id="par-1").exists()  # parents do not sign in
    assert report.counts["students"]["created"] == 6
    assert report.counts["enrollments"]["created"] == 8
    assert report.counts["teacher assignments"]["created"] == 3
    assert report.counts["family contacts"]["created"] == 1  # Rosa Garcia, a parent
    log = AccessLog.objects.get(object_type="oneroster_import")
    assert log.detail["totals"]["created"] == report.total("created")


def test_it_changes_nothing_when_the_same_set_is_imported_again(tmp_path, district):
    path = riverside("1.2").zip(tmp_path / "set.zip")
    run(path, district)
    before = roster_counts()
    stamps = dict(Student.objects.values_list("sourced_id", "updated_at"))

    again = run(path, district)

    assert again.committed
    assert (again.total("created"), again.total("updated"), again.total("deactivated")) == (0, 0, 0)
    assert again.total("unchanged") > 20
    assert roster_counts() == before
    assert dict(Student.objects.values_list("sourced_id", "updated_at")) == stamps


def test_it_applies_a_delta_after_a_bulk_import(tmp_path, district):
    run(riverside("1.2").zip(tmp_path / "bulk.zip"), district)
    delta = riverside("1.2", mode="delta")
    delta.rows = {}
    # Liam moves up a grade, Ava leaves, a new student arrives in Reading 3, Lee leaves the class.
    delta.add(
        "users.csv",
        sourcedId="stu-2",
        enabledUser="true",
        username="liamsmith",
        givenName="Liam",
        familyName="Smith",
        identifier="100002",
        grades="04",
        primaryOrgSourcedId="sch-maple",
    )
    delta.add(
        "users.csv", sourcedId="stu-3", status="tobedeleted", givenName="Ava", familyName="Nguyen"
    )
    delta.add(
        "users.csv",
        sourcedId="stu-7",
        username="miasilva",
        givenName="Mia",
        familyName="Silva",
        identifier="100007",
        grades="03",
        primaryOrgSourcedId="sch-maple",
    )
    delta.add(
        "roles.csv",
        sourcedId="role-stu-7",
        userSourcedId="stu-7",
        roleType="primary",
        role="student",
        orgSourcedId="sch-maple",
    )
    delta.add(
        "enrollments.csv",
        sourcedId="enr-cls-read3-stu-7",
        classSourcedId="cls-read3",
        schoolSourcedId="sch-maple",
        userSourcedId="stu-7",
        role="student",
    )
    delta.add(
        "enrollments.csv",
        sourcedId="enr-cls-read3-stu-3",
        status="tobedeleted",
        classSourcedId="cls-read3",
        schoolSourcedId="sch-maple",
        userSourcedId="stu-3",
        role="student",
    )
    delta.add(
        "enrollments.csv",
        sourcedId="enr-cls-read3-tch-lee",
        status="tobedeleted",
        classSourcedId="cls-read3",
        schoolSourcedId="sch-maple",
        userSourcedId="tch-lee",
        role="teacher",
    )
    delta.add(
        "demographics.csv", sourcedId="stu-4", birthDate="2014-03-03", sex="male", asian="true"
    )

    report = run(delta.zip(tmp_path / "delta.zip"), district)

    assert report.committed, report.rejected
    students = {s.sourced_id: s for s in Student.objects.filter(district=district)}
    assert students["stu-2"].grade == 4
    assert students["stu-3"].active is False
    assert students["stu-7"].active and students["stu-7"].grade == 3
    assert (students["stu-4"].birth_date, students["stu-4"].race_ethnicity) == (
        dt.date(2014, 3, 3),
        "asian",
    )
    assert students["stu-1"].active and students["stu-5"].active  # not in the delta: untouched
    read3 = Section.objects.get(sourced_id="cls-read3")
    assert set(
        read3.enrollments.filter(active=True).values_list("student__sourced_id", flat=True)
    ) == {"stu-1", "stu-2", "stu-7"}
    assert Enrollment.objects.filter(student=students["stu-3"]).count() == 1  # kept as history
    assert not read3.teachers.exists()
    assert report.counts["students"] == {
        "created": 1,
        "updated": 2,
        "deactivated": 1,
        "unchanged": 0,
        "skipped": 0,
        "rejected": 0,
    }
    assert report.counts["teacher assignments"]["deactivated"] == 1


def test_it_deactivates_what_a_bulk_file_no_longer_lists(tmp_path, district):
    run(riverside("1.1").zip(tmp_path / "one.zip"), district)
    smaller = riverside("1.1")
    smaller.remove("users.csv", "stu-6")
    smaller.remove("classes.csv", "cls-advisory")
    smaller.rows["enrollments.csv"] = [
        r
        for r in smaller.rows["enrollments.csv"]
        if r["userSourcedId"] != "stu-6" and r["classSourcedId"] != "cls-advisory"
    ]
    smaller.remove("demographics.csv", "stu-6")

    report = run(smaller.zip(tmp_path / "two.zip"), district)

    assert report.committed, report.rejected
    assert Student.objects.get(sourced_id="stu-6").active is False
    assert Section.objects.get(sourced_id="cls-advisory").active is False
    # stu-6's math enrollment and the two advisory enrollments end; nothing is deleted.
    assert Enrollment.objects.filter(section__school__district=district, active=False).count() == 3
    assert Enrollment.objects.filter(section__school__district=district).count() == 8
    assert not Section.objects.get(sourced_id="cls-advisory").teachers.exists()
    assert report.counts["students"]["deactivated"] == 1
    assert report.counts["enrollments"]["deactivated"] == 3


def test_it_adopts_students_and_schools_typed_in_by_hand(tmp_path, district):
    maple = SchoolFactory(district=district, name="Maple Elementary", sourced_id="")
    hand = StudentFactory(
        school=maple, local_id="100001", first_name="Mary", last_name="Garcia", sourced_id=""
    )

    report = run(riverside("1.2").zip(tmp_path / "set.zip"), district)

    assert report.committed, report.rejected
    hand.refresh_from_db()
    maple.refresh_from_db()
    assert (hand.sourced_id, hand.first_name) == ("stu-1", "Maria")
    assert maple.sourced_id == "sch-maple"
    assert Student.objects.filter(district=district).count() == 6
    assert School.objects.filter(district=district).count() == 2


def test_it_keeps_valid_rows_when_asked_and_lists_the_others(tmp_path, district):
    roster = riverside("1.2")
    roster.find("users.csv", "stu-2")["grades"] = "UG"
    roster.add(
        "enrollments.csv",
        sourcedId="enr-ghost",
        classSourcedId="cls-nope",
        schoolSourcedId="sch-maple",
        userSourcedId="stu-1",
        role="student",
    )
    path = roster.zip(tmp_path / "set.zip")

    strict = run(path, district)
    assert not strict.committed
    assert Student.objects.count() == 0

    lenient = run(path, district, all_or_nothing=False)

    assert lenient.committed
    assert set(Student.objects.values_list("sourced_id", flat=True)) == {
        "stu-1",
        "stu-3",
        "stu-4",
        "stu-5",
        "stu-6",
    }
    problems = {(p["file"], p["row"]): p["reason"] for p in lenient.rejected}
    stu2_row = 1 + 1 + [r["sourcedId"] for r in roster.rows["users.csv"]].index("stu-2")
    assert "grade 'UG' is outside pre-K to 12" in problems[("users.csv", stu2_row)]
    last_row = 1 + len(roster.rows["enrollments.csv"])
    assert (
        problems[("enrollments.csv", last_row)]
        == "classSourcedId 'cls-nope' is not a class in classes.csv or already imported"
    )
    # Liam's enrollment falls with him, and says why.
    assert any("that user was rejected (users.csv row" in reason for reason in problems.values())


def test_it_leaves_the_database_as_it_was_when_the_import_crashes(tmp_path, district):
    """The database fails while enrollments (the last file) are written, after schools,
    classes and students went in: the whole import rolls back."""
    run(riverside("1.2").zip(tmp_path / "one.zip"), district)
    before = roster_counts()
    changed = riverside("1.2")
    changed.find("users.csv", "stu-4")["givenName"] = "Changed"
    changed.add(
        "users.csv",
        sourcedId="stu-8",
        givenName="New",
        familyName="Kid",
        identifier="100008",
        grades="03",
        primaryOrgSourcedId="sch-maple",
    )
    changed.add(
        "roles.csv",
        sourcedId="role-stu-8",
        userSourcedId="stu-8",
        roleType="primary",
        role="student",
        orgSourcedId="sch-maple",
    )
    changed.add(
        "enrollments.csv",
        sourcedId="enr-8",
        classSourcedId="cls-read3",
        userSourcedId="stu-8",
        role="student",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION simulated_failure() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'disk full (simulated)'; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER simulated_failure BEFORE INSERT ON students_enrollment "
            "FOR EACH ROW EXECUTE FUNCTION simulated_failure();"
        )

    with pytest.raises(Exception, match="disk full"):
        run(changed.zip(tmp_path / "two.zip"), district)

    assert roster_counts() == before
    assert Student.objects.get(sourced_id="stu-4").first_name == "Noah"
    assert not Student.objects.filter(sourced_id="stu-8").exists()


def test_it_refuses_to_swap_two_students_ids(tmp_path, district):
    run(riverside("1.2").zip(tmp_path / "one.zip"), district)
    swapped = riverside("1.2")
    swapped.find("users.csv", "stu-1")["identifier"] = "100002"
    swapped.find("users.csv", "stu-2")["identifier"] = "100001"

    report = run(swapped.zip(tmp_path / "two.zip"), district)

    assert not report.committed
    assert "student ID '100002' already belongs to another student (sourcedId 'stu-2')" in {
        p["reason"] for p in report.rejected
    }


def test_it_refuses_a_set_describing_another_district(tmp_path, district):
    district.sourced_id = "dst-other"
    district.save()

    report = run(riverside("1.2").zip(tmp_path / "set.zip"), district)

    assert not report.committed
    assert report.refused == (
        "orgs.csv describes the district 'Riverside Unified' (sourcedId 'dst-1'), but this "
        "import is for Riverside Unified (sourcedId 'dst-other'). A set for another district "
        "is refused as a whole, whatever the import options."
    )
    assert report.rejected[0]["file"] == "orgs.csv" and report.rejected[0]["row"] == 2


def test_it_never_takes_over_an_account_of_another_district(tmp_path, district):
    elsewhere = SchoolFactory(name="Far Away School")
    MembershipFactory(user=UserFactory(username="dana.lee"), school=elsewhere)

    report = run(riverside("1.2").zip(tmp_path / "set.zip"), district, all_or_nothing=False)

    assert {p["reason"] for p in report.rejected} >= {
        "username 'dana.lee' is already used by another account"
    }
    assert User.objects.get(username="dana.lee").sourced_id == ""


def test_it_removes_the_roles_of_staff_marked_tobedeleted(tmp_path, district):
    run(riverside("1.1").zip(tmp_path / "one.zip"), district)
    delta = riverside("1.1", mode="delta")
    delta.rows = {}
    delta.add(
        "users.csv",
        sourcedId="tch-park",
        status="tobedeleted",
        role="teacher",
        orgSourcedIds="sch-oak",
        givenName="Sam",
        familyName="Park",
    )

    report = run(delta.zip(tmp_path / "two.zip"), district)

    assert report.committed, report.rejected
    park = User.objects.get(sourced_id="tch-park")
    assert park.is_active is False
    assert not park.memberships.exists()
    assert report.counts["staff accounts"]["deactivated"] == 1


def row_in(roster, file: str, sourced_id: str) -> int:
    """The spreadsheet row number of a record (header = row 1)."""
    return 2 + [r["sourcedId"] for r in roster.rows[file]].index(sourced_id)


def test_it_attaches_a_school_whose_parent_org_is_missing_to_the_district(tmp_path, district):
    roster = riverside("1.2")
    roster.find("orgs.csv", "sch-oak")["parentSourcedId"] = "region-9"

    report = run(roster.zip(tmp_path / "set.zip"), district)  # all-or-nothing

    assert report.committed
    assert report.rejected_total == 0
    notes = {(w["file"], w["row"]): w["message"] for w in report.warnings}
    assert notes[("orgs.csv", row_in(roster, "orgs.csv", "sch-oak"))] == (
        "parent org 'region-9' not found; school 'Oak Middle School' attached to district "
        "Riverside Unified"
    )
    oak = School.objects.get(sourced_id="sch-oak")
    assert oak.district == district
    assert Student.objects.filter(school=oak).count() == 3


def test_it_infers_a_blank_grade_from_the_students_classes(tmp_path, district):
    roster = riverside("1.2")
    # Noah is in Math 7 (grade 07) and Advisory (06,07,08): 7 is the grade they share.
    roster.find("users.csv", "stu-4")["grades"] = ""

    report = run(roster.zip(tmp_path / "set.zip"), district)

    assert report.committed and report.rejected_total == 0
    assert Student.objects.get(sourced_id="stu-4").grade == 7
    notes = {(w["file"], w["row"]): w["message"] for w in report.warnings}
    assert notes[("users.csv", row_in(roster, "users.csv", "stu-4"))] == (
        "grades is blank; grade 7 was taken from the student's classes (Math 7 - Park, "
        "Advisory); check it in the student information system"
    )


def test_it_infers_a_blank_grade_from_a_single_grade_school(tmp_path, district):
    run(riverside("1.2").zip(tmp_path / "first.zip"), district)  # Maple: grade 3 only
    delta = riverside("1.2", mode="delta")
    delta.rows = {"users.csv": [], "roles.csv": []}
    delta.add(
        "users.csv",
        sourcedId="stu-10",
        username="ivyhart",
        givenName="Ivy",
        familyName="Hart",
        identifier="100010",
        primaryOrgSourcedId="sch-maple",
    )
    delta.add(
        "roles.csv",
        sourcedId="role-stu-10",
        userSourcedId="stu-10",
        roleType="primary",
        role="student",
        orgSourcedId="sch-maple",
    )

    report = run(delta.zip(tmp_path / "delta.zip"), district)

    assert report.committed and report.rejected_total == 0
    assert Student.objects.get(sourced_id="stu-10").grade == 3
    assert [w["message"] for w in report.warnings if w["file"] == "users.csv"] == [
        "grades is blank; grade 3 was taken from the student's school, which serves only that grade"
    ]


def test_it_keeps_the_grade_of_a_known_student_whose_delta_row_has_none(tmp_path, district):
    run(riverside("1.2").zip(tmp_path / "first.zip"), district)
    delta = riverside("1.2", mode="delta")
    delta.rows = {"users.csv": [delta.find("users.csv", "stu-4") | {"grades": ""}]}

    report = run(delta.zip(tmp_path / "delta.zip"), district)

    assert report.committed and report.warnings_total == 0
    assert Student.objects.get(sourced_id="stu-4").grade == 7


def test_it_warns_when_a_terms_dates_contradict_the_school_year_it_names(tmp_path, district):
    # The fall term of 2026-2027 marked schoolYear 2026 (the year it starts): its classes go
    # to 2025-2026, a year whose name its dates contradict, and the report says so on the
    # term's row. The set has no schoolYear session for 2026: the year is built from the term.
    roster = riverside("1.2")
    roster.find("academicSessions.csv", "t-2027-1")["schoolYear"] = "2026"

    report = run(roster.zip(tmp_path / "set.zip"), district)

    assert report.committed, report.rejected
    notes = warnings_by_row(report)
    assert notes[("academicSessions.csv", row_in(roster, "academicSessions.csv", "t-2027-1"))] == (
        "the term runs 2026-08-17 to 2026-12-18, outside 2025-2026, the school year its "
        "schoolYear 2026 names (OneRoster's schoolYear is the year a school year ends); its "
        "classes were put in 2025-2026: check the schoolYear column"
    )
    year = SchoolYear.objects.get(district=district, name="2025-2026")
    assert (year.start_date, year.end_date) == (dt.date(2026, 8, 17), dt.date(2026, 12, 18))


def warnings_by_row(report) -> dict:
    return {(w["file"], w["row"]): w["message"] for w in report.warnings}
