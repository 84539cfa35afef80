"""factory_boy factories for synthetic test data (never real student data)."""

from __future__ import annotations

import datetime as dt

import factory

from students.models import (
    District,
    Enrollment,
    Membership,
    School,
    SchoolYear,
    Section,
    Student,
    User,
)

PASSWORD = "correct-horse-battery"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Test District {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Maple Elementary {n}")
    lowest_grade = 0
    highest_grade = 5


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("district", "name")

    district = factory.SubFactory(DistrictFactory)
    name = "2026-2027"
    start_date = dt.date(2026, 8, 17)
    end_date = dt.date(2027, 6, 4)
    is_current = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Staff{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "teacher"
    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda m: m.school.district if m.school else None)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda s: s.school.district)
    local_id = factory.Sequence(lambda n: f"S{n:06d}")
    first_name = factory.Sequence(lambda n: f"Avery{n}")
    last_name = factory.Sequence(lambda n: f"Lopez{n}")
    grade = 3
    birth_date = dt.date(2017, 5, 1)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyAttribute(lambda s: SchoolYearFactory(district=s.school.district))
    name = factory.Sequence(lambda n: f"Grade 3 - Room {n}")
    grade = 3


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    section = factory.SubFactory(SectionFactory)
