"""The scoping function: who sees which students (domain.md section 7)."""

import datetime as dt

import pytest

from interventions.models import Intervention, InterventionPlan
from students.selectors import schools_visible_to, students_visible_to

pytestmark = pytest.mark.django_db


def visible(user) -> set[str]:
    return {s.first_name for s in students_visible_to(user)}


def test_it_shows_a_teacher_only_the_students_in_their_sections(world):
    assert visible(world.teacher) == {"Maria"}


def test_it_shows_a_teacher_from_another_school_nothing_of_ours(world):
    assert visible(world.other_teacher) == {"Noah"}


def test_it_shows_team_members_and_principals_their_whole_school(world):
    assert visible(world.team_member) == {"Maria", "Liam"}
    assert visible(world.principal) == {"Maria", "Liam"}


def test_it_shows_a_district_admin_the_whole_district(world):
    assert visible(world.district_admin) == {"Maria", "Liam", "Noah"}


def test_it_shows_an_account_without_a_role_nothing(world):
    assert visible(world.nobody) == set()


def test_it_shows_an_interventionist_only_their_active_caseload(world):
    assert visible(world.interventionist) == set()
    reading = Intervention.objects.create(name="Read Naturally", domain="reading")
    plan = InterventionPlan.objects.create(
        student=world.classmate,
        intervention=reading,
        tier=2,
        domain="reading",
        interventionist=world.interventionist,
        start_date=dt.date(2026, 10, 1),
    )
    assert visible(world.interventionist) == {"Liam"}
    plan.status = InterventionPlan.Status.COMPLETED
    plan.save()
    assert visible(world.interventionist) == set()


def test_it_stops_showing_a_student_when_the_enrollment_ends(world):
    world.student.enrollments.update(active=False)
    assert visible(world.teacher) == set()


def test_it_lets_the_district_open_whole_schools_to_teachers(world):
    world.district.teachers_see_whole_school = True
    world.district.save()
    assert visible(world.teacher) == {"Maria", "Liam"}


def test_it_never_returns_a_student_twice(world):
    world.other_section.teachers.add(world.teacher)
    ids = list(students_visible_to(world.teacher).values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == 2


def test_it_scopes_school_aggregates_to_administered_schools(world):
    assert set(schools_visible_to(world.principal)) == {world.school}
    assert set(schools_visible_to(world.district_admin)) == {world.school, world.other_school}
    assert set(schools_visible_to(world.nobody)) == set()
