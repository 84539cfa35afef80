"""student_create and student_update: the rules every caller (API, pages, commands) gets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from students.models import AccessLog, Student
from students.services import roster_writable_school_ids, student_create, student_update
from tests.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def create_kwargs(world, **overrides) -> dict:
    kwargs = {
        "district": world.district,
        "school": world.school,
        "local_id": "R-500",
        "first_name": "Ava",
        "last_name": "Moreno",
        "grade": 2,
    }
    return {**kwargs, **overrides}


def row_counts() -> tuple[int, int]:
    return Student.objects.count(), AccessLog.objects.count()


def test_it_creates_a_student_with_its_create_row_in_the_access_log(world):
    student = student_create(
        actor=world.principal, **create_kwargs(world, birth_date=dt.date(2018, 1, 9))
    )
    assert Student.objects.get(pk=student.pk).last_name == "Moreno"
    log = AccessLog.objects.get()
    assert (log.action, log.user, log.student, log.object_type) == (
        "create",
        world.principal,
        student,
        "student",
    )
    assert log.detail["fields"]["birth_date"] == "2018-01-09"
    assert log.detail["fields"]["grade"] == 2


def test_it_lets_the_system_create_a_student_without_an_actor(world):
    student = student_create(actor=None, **create_kwargs(world))
    assert AccessLog.objects.get(student=student).user is None


@pytest.mark.parametrize("persona", ["teacher", "interventionist", "team_member", "nobody"])
def test_it_refuses_a_create_by_someone_who_administers_no_school(world, persona):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        student_create(actor=world.persona(persona), **create_kwargs(world))
    assert row_counts() == before


def test_it_refuses_a_principal_creating_at_another_school(world):
    with pytest.raises(PermissionDenied):
        student_create(actor=world.principal, **create_kwargs(world, school=world.other_school))


def test_it_gives_school_admins_their_school_and_district_admins_every_school(world):
    assert roster_writable_school_ids(world.principal) == {world.school.pk}
    assert roster_writable_school_ids(world.district_admin) == {
        world.school.pk,
        world.other_school.pk,
    }
    assert roster_writable_school_ids(world.teacher) == set()


def test_it_refuses_a_duplicate_student_id_with_a_field_error_and_writes_nothing(world):
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        student_create(
            actor=world.district_admin,
            **create_kwargs(world, local_id=world.other_student.local_id),
        )
    assert list(caught.value.message_dict) == ["local_id"]
    assert row_counts() == before


def test_it_allows_the_same_student_id_in_another_district(world):
    elsewhere = SchoolFactory(district=DistrictFactory(name="Hillview"))
    student = student_create(
        actor=None,
        **create_kwargs(
            world,
            district=elsewhere.district,
            school=elsewhere,
            local_id=world.student.local_id,
        ),
    )
    assert student.district_id != world.student.district_id


def test_it_refuses_a_duplicate_sourced_id(world):
    world.student.sourced_id = "stu-1"
    world.student.save()
    with pytest.raises(ValidationError) as caught:
        student_create(actor=None, **create_kwargs(world, sourced_id="stu-1"))
    assert list(caught.value.message_dict) == ["sourced_id"]


def test_it_refuses_a_school_from_another_district(world):
    elsewhere = SchoolFactory(district=DistrictFactory(name="Hillview"))
    with pytest.raises(ValidationError) as caught:
        student_create(actor=None, **create_kwargs(world, school=elsewhere))
    assert list(caught.value.message_dict) == ["school"]


@pytest.mark.parametrize("grade", [-2, 13])
def test_it_refuses_a_grade_outside_pre_k_to_12(world, grade):
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        student_create(actor=None, **create_kwargs(world, grade=grade))
    assert caught.value.message_dict == {"grade": ["Grade must be between -1 (pre-K) and 12."]}
    assert row_counts() == before


def test_it_refuses_a_value_the_model_does_not_allow(world):
    with pytest.raises(ValidationError) as caught:
        student_create(actor=None, **create_kwargs(world, sex="Q", first_name=""))
    assert set(caught.value.message_dict) == {"sex", "first_name"}


def test_it_updates_only_what_changed_and_logs_before_and_after(world):
    student_update(actor=world.principal, student=world.student, grade=4, last_name="Garcia")
    world.student.refresh_from_db()
    assert world.student.grade == 4
    log = AccessLog.objects.get()
    assert log.action == "update"
    assert log.detail == {"changes": {"grade": {"from": 3, "to": 4}}}


def test_it_logs_a_move_between_schools_by_school_id(world):
    student_update(actor=world.district_admin, student=world.student, school=world.other_school)
    log = AccessLog.objects.get()
    assert log.detail == {
        "changes": {"school": {"from": world.school.pk, "to": world.other_school.pk}}
    }


def test_it_writes_nothing_for_an_update_that_changes_nothing(world):
    student_update(actor=world.principal, student=world.student, grade=3)
    assert not AccessLog.objects.exists()


def test_it_refuses_an_update_by_a_teacher(world):
    with pytest.raises(PermissionDenied):
        student_update(actor=world.teacher, student=world.student, grade=4)
    world.student.refresh_from_db()
    assert world.student.grade == 3


def test_it_refuses_moving_a_student_to_a_school_the_actor_does_not_administer(world):
    with pytest.raises(PermissionDenied):
        student_update(actor=world.principal, student=world.student, school=world.other_school)
    assert Student.objects.get(pk=world.student.pk).school_id == world.school.pk


def test_it_refuses_taking_a_classmates_student_id(world):
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        student_update(
            actor=world.principal, student=world.student, local_id=world.classmate.local_id
        )
    assert list(caught.value.message_dict) == ["local_id"]
    assert row_counts() == before


def test_it_refuses_a_field_it_does_not_update(world):
    with pytest.raises(TypeError):
        student_update(actor=None, student=world.student, district=world.district)
