"""Shared fixtures: a small district and the personas of the authorization matrix.

Personas (style.md): a teacher, an interventionist, a school team member, a principal,
a district data lead, and a teacher from another school who must see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from students.models import Role, School, Section, Student, User
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    EnrollmentFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    SectionFactory,
    StudentFactory,
    UserFactory,
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test (live server, real Celery worker) restores the database.

    Their teardown empties the tables, which would also remove the rows the data migrations
    ship (reference measures and cut scores, beat schedules) for every later test; mixing
    serialized and plain transactional tests also breaks on recreated content types. So all
    of them use serialized rollback.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (
            (marker is not None and bool(marker.kwargs.get("transaction")))
            or "transactional_db" in item.fixturenames
            or "live_server" in item.fixturenames
        )
        if transactional:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request) -> None:
    """pytest-django's, then a word before it builds the test database (which it does next):
    every migration runs, a quiet minute on a busy machine before the first database test."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\nsetting up the test database (a new one runs every migration)", flush=True)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    # The personas' passwords are hashed in every test; the production hasher's deliberate
    # slowness would cost about 1.5 s per test for nothing a test checks.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    district: object
    school: School
    other_school: School
    section: Section
    other_section: Section
    student: Student  # in `section`, taught by `teacher`
    classmate: Student  # same school, in `other_section` (not the teacher's)
    other_student: Student  # at `other_school`
    teacher: User
    other_teacher: User  # teaches at other_school only
    interventionist: User
    team_member: User
    principal: User
    district_admin: User
    nobody: User  # an account with no role at all
    password: str = PASSWORD

    def persona(self, name: str) -> User:
        return getattr(self, name)


def _member(user: User, role: str, school: School | None, district) -> User:
    MembershipFactory(user=user, role=role, school=school, district=district)
    return user


@pytest.fixture
def world(db) -> World:
    district = DistrictFactory(name="Riverside Unified")
    year = SchoolYearFactory(district=district)
    school = SchoolFactory(district=district, name="Maple Elementary")
    other_school = SchoolFactory(district=district, name="Oak Elementary")
    teacher = _member(
        UserFactory(username="teacher", last_name="Lee", title="Ms."),
        Role.TEACHER,
        school,
        district,
    )
    other_teacher = _member(
        UserFactory(username="otherteacher", last_name="Park"), Role.TEACHER, other_school, district
    )
    interventionist = _member(
        UserFactory(username="interventionist", last_name="Nguyen"),
        Role.INTERVENTIONIST,
        school,
        district,
    )
    team_member = _member(
        UserFactory(username="team", last_name="Ortiz"), Role.TEAM_MEMBER, school, district
    )
    principal = _member(
        UserFactory(username="principal", last_name="Brown"), Role.SCHOOL_ADMIN, school, district
    )
    district_admin = _member(
        UserFactory(username="districtadmin", last_name="Khan"),
        Role.DISTRICT_ADMIN,
        None,
        district,
    )
    nobody = UserFactory(username="nobody")
    section = SectionFactory(school=school, school_year=year, name="Grade 3 - Lee")
    section.teachers.add(teacher)
    other_section = SectionFactory(school=school, school_year=year, name="Grade 3 - Ruiz")
    student = StudentFactory(school=school, first_name="Maria", last_name="Garcia")
    classmate = StudentFactory(school=school, first_name="Liam", last_name="Smith")
    other_student = StudentFactory(school=other_school, first_name="Noah", last_name="Jones")
    EnrollmentFactory(student=student, section=section)
    EnrollmentFactory(student=classmate, section=other_section)
    other_section_b = SectionFactory(school=other_school, school_year=year, name="Grade 3 - Park")
    other_section_b.teachers.add(other_teacher)
    EnrollmentFactory(student=other_student, section=other_section_b)
    return World(
        district=district,
        school=school,
        other_school=other_school,
        section=section,
        other_section=other_section,
        student=student,
        classmate=classmate,
        other_student=other_student,
        teacher=teacher,
        other_teacher=other_teacher,
        interventionist=interventionist,
        team_member=team_member,
        principal=principal,
        district_admin=district_admin,
        nobody=nobody,
    )
