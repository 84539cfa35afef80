"""seed_demo: the synthetic demo district that `make run` loads."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import subprocess
import sys
import textwrap
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client

from students import demo, slots
from students.models import (
    District,
    Enrollment,
    Membership,
    Role,
    School,
    SchoolYear,
    Section,
    Student,
    User,
)
from students.selectors import students_visible_to
from tests.factories import DistrictFactory

PASSWORD = "demo1234!"


def seed_demo(students: int = 600, seed: int = 7, *extra: str) -> str:
    """Run the command as `make run` does; returns what it printed."""
    out = io.StringIO()
    call_command("seed_demo", f"--students={students}", f"--seed={seed}", *extra, stdout=out)
    return out.getvalue()


def can_sign_in(username: str) -> bool:
    # The lockout's authentication backend needs the request, as a real sign-in has.
    return Client().login(request=HttpRequest(), username=username, password=PASSWORD)


def test_it_creates_a_working_login_for_every_role(db):
    seed_demo()
    for username in ("teacher", "msteacher", "interventionist", "team", "principal", "district"):
        assert can_sign_in(username), username
    assert can_sign_in("admin")

    first_school = School.objects.get(name="Alder Elementary")
    roles = {
        m.user.username: (m.role, m.school)
        for m in Membership.objects.select_related("user", "school").filter(
            user__username__in=["teacher", "interventionist", "team", "principal", "district"]
        )
    }
    assert roles == {
        "teacher": (Role.TEACHER, first_school),
        "interventionist": (Role.INTERVENTIONIST, first_school),
        "team": (Role.TEAM_MEMBER, first_school),
        "principal": (Role.SCHOOL_ADMIN, first_school),
        "district": (Role.DISTRICT_ADMIN, None),
    }
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_it_gives_the_demo_teacher_a_real_grade_3_class(db):
    seed_demo()
    teacher = User.objects.get(username="teacher")
    (section,) = teacher.sections.all()
    assert section.grade == 3
    assert section.school.name == "Alder Elementary"
    assert section.school_year.is_current
    class_ids = set(section.enrollments.values_list("student_id", flat=True))
    assert 22 <= len(class_ids) <= 26
    # The scoping function shows the teacher exactly their class, nobody else.
    assert set(students_visible_to(teacher).values_list("id", flat=True)) == class_ids

    math_teacher = User.objects.get(username="msteacher")
    sections = list(math_teacher.sections.select_related("school"))
    assert sections
    assert {(s.course_name, s.school.level) for s in sections} == {("Grade 7 Math", "middle")}

    principal = User.objects.get(username="principal")
    assert students_visible_to(principal).count() == 400  # the only elementary school
    assert students_visible_to(User.objects.get(username="district")).count() == 600


def test_it_leaves_generated_staff_unable_to_log_in(db):
    seed_demo()
    generated = User.objects.exclude(username__in=[d.username for d in demo.DEMO_LOGINS]).order_by(
        "id"
    )
    assert generated.count() > 20
    assert not any(u.has_usable_password() for u in generated)


def test_it_scales_schools_to_the_number_of_students(db):
    seed_demo(students=3000)
    # 3000 students: 2000 in K-5 (six of nine grades) at ~450 a school -> 4 elementary;
    # 1000 in 6-8 at ~700 a school -> 1 middle school.
    schools = list(School.objects.order_by("id"))
    assert [(s.level, s.lowest_grade, s.highest_grade) for s in schools] == [
        ("elementary", 0, 5)
    ] * 4 + [("middle", 6, 8)]
    assert Student.objects.filter(school__level="elementary").count() == 2000
    assert Student.objects.filter(school__level="middle").count() == 1000
    for school in schools:
        grades = set(school.students.values_list("grade", flat=True))
        assert grades == set(range(school.lowest_grade, school.highest_grade + 1))

    year = SchoolYear.objects.get()
    assert (year.name, year.start_date, year.end_date, year.is_current) == (
        "2026-2027",
        dt.date(2026, 8, 17),
        dt.date(2027, 6, 4),
        True,
    )


def test_it_enrolls_every_student_in_sections_of_their_school_and_grade(db):
    seed_demo()
    courses = defaultdict(list)
    rows = Enrollment.objects.filter(active=True).values_list(
        "student_id",
        "student__school_id",
        "student__grade",
        "section__school_id",
        "section__grade",
        "section__course_name",
        "section__school_year__is_current",
    )
    for student_id, school, grade, section_school, section_grade, course, current in rows:
        assert (section_school, section_grade, current) == (school, grade, True)
        courses[student_id].append(course)
    students = dict(Student.objects.values_list("id", "grade"))
    assert set(courses) == set(students)
    for student_id, grade in students.items():
        if grade <= 5:
            label = "Kindergarten" if grade == 0 else f"Grade {grade}"
            assert courses[student_id] == [f"{label} homeroom"]
        else:
            assert sorted(courses[student_id]) == [f"Grade {grade} ELA", f"Grade {grade} Math"]
    # Every section has a teacher.
    assert not Section.objects.filter(teachers=None).exists()


def test_it_keeps_elementary_homerooms_between_22_and_26_students(db):
    seed_demo(students=3000)
    sizes = [
        s.enrollments.count() for s in Section.objects.filter(course_name__endswith="homeroom")
    ]
    assert len(sizes) == 83  # 2000 students / 24 a class
    assert min(sizes) >= 22 and max(sizes) <= 26


def test_it_draws_realistic_demographics(db):
    seed_demo(students=3000)
    n = 3000
    race = Counter(Student.objects.values_list("race_ethnicity", flat=True))
    expected_race = {
        "white": (0.45, 0.03),
        "hispanic_latino": (0.28, 0.03),
        "black": (0.15, 0.025),
        "asian": (0.05, 0.015),
        "two_or_more": (0.05, 0.015),
        "american_indian": (0.01, 0.008),
        "pacific_islander": (0.005, 0.006),
    }
    for group, (share, tolerance) in expected_race.items():
        assert abs(race[group] / n - share) <= tolerance, (group, race[group])

    sex = Counter(Student.objects.values_list("sex", flat=True))
    assert abs(sex["M"] / n - 0.51) <= 0.03
    assert abs(sex["F"] / n - 0.49) <= 0.03
    assert 0 < sex["X"] <= 0.01 * n

    def share(**flag: bool) -> float:
        return Student.objects.filter(**flag).count() / n

    assert abs(share(english_learner=True) - 0.10) <= 0.025
    assert abs(share(iep=True) - 0.15) <= 0.025
    assert abs(share(section_504=True) - 0.03) <= 0.012
    assert abs(share(economically_disadvantaged=True) - 0.45) <= 0.04
    assert not Student.objects.filter(iep=True, section_504=True).exists()


def test_it_gives_birth_dates_that_fit_the_grade(db):
    seed_demo()
    ages = Counter()
    for grade, born in Student.objects.values_list("grade", "birth_date"):
        # Age on September 1, 2026; kindergarteners are 5 then (6 when a year older).
        age = 2026 - born.year - ((born.month, born.day) > (9, 1))
        ages[age - grade] += 1
    assert set(ages) <= {5, 6}
    assert ages[6] <= 0.05 * 600


def dump() -> list:
    """Every row seed_demo writes, minus the timestamps and password hashes."""
    return [
        list(District.objects.values_list("id", "name", "sourced_id")),
        list(School.objects.order_by("id").values_list()),
        list(SchoolYear.objects.values_list()),
        list(
            User.objects.order_by("id").values_list(
                "id", "username", "first_name", "last_name", "title", "email", "sourced_id"
            )
        ),
        list(Membership.objects.order_by("id").values_list()),
        list(
            Student.objects.order_by("id").values_list(
                *[
                    f.attname
                    for f in Student._meta.concrete_fields
                    if f.name not in ("created_at", "updated_at")
                ]
            )
        ),
        list(Section.objects.order_by("id").values_list()),
        list(Section.teachers.through.objects.order_by("id").values_list()),
        list(Enrollment.objects.order_by("id").values_list()),
    ]


def test_it_writes_identical_rows_for_the_same_seed(transactional_db):
    # flush empties the tables and restarts the id sequences: a fresh database, ids included.
    call_command("flush", interactive=False, verbosity=0)
    seed_demo(seed=11)
    first = dump()
    call_command("flush", interactive=False, verbosity=0)
    seed_demo(seed=11)
    assert dump() == first
    call_command("flush", interactive=False, verbosity=0)
    seed_demo(seed=12)
    other = dump()
    assert other[5] != first[5]  # different students
    assert len(other[5]) == len(first[5]) == 600


def test_it_plans_the_same_district_in_another_process(db):
    # Set iteration order changes with PYTHONHASHSEED; a fresh process with another hash
    # seed must still produce the same plan.
    code = textwrap.dedent(
        """
        import hashlib, json, django
        django.setup()
        from students.demo import plan_district
        plan = plan_district(students=900, seed=5)
        rows = [plan.schools, plan.students, plan.student_school,
                [(s.school, s.grade, s.subject, s.teacher, s.students) for s in plan.sections],
                [(p.first_name, p.last_name, p.role, p.school) for p in plan.staff]]
        print(hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest())
        """
    )
    digests = set()
    for hash_seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**_env(), "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    plan = demo.plan_district(students=900, seed=5)
    rows = [
        plan.schools,
        plan.students,
        plan.student_school,
        [(s.school, s.grade, s.subject, s.teacher, s.students) for s in plan.sections],
        [(p.first_name, p.last_name, p.role, p.school) for p in plan.staff],
    ]
    digests.add(hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest())
    assert len(digests) == 1


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "DJANGO_SETTINGS_MODULE": "mtss.settings"}


def test_it_does_nothing_with_if_empty_when_a_district_exists(db):
    DistrictFactory(name="Real District")
    out = seed_demo(600, 7, "--if-empty")
    assert "already has a district" in out
    assert list(District.objects.values_list("name", flat=True)) == ["Real District"]
    assert not Student.objects.exists()


def test_it_loads_with_if_empty_into_an_empty_database(db):
    seed_demo(600, 7, "--if-empty")
    assert Student.objects.count() == 600


def test_it_refuses_a_second_demo_district_and_writes_nothing(db):
    seed_demo()
    with pytest.raises(CommandError, match="demo accounts already exist"):
        seed_demo(600, 8, "--district-name=Second")
    assert District.objects.count() == 1
    assert Student.objects.count() == 600


def test_it_rejects_too_few_students(db):
    with pytest.raises(CommandError, match="at least 100"):
        seed_demo(students=10)
    assert not District.objects.exists()


@pytest.fixture
def demo_steps():
    """Two stand-in apps' demo steps in the demo-loader slot, in place of the real ones."""
    first, second = SimpleNamespace(CALLS=[]), SimpleNamespace(CALLS=[], FAIL=False)

    def seed_first(ctx):
        first.CALLS.append(("first", ctx.district.name, len(ctx.students)))

    def seed_second(ctx):
        second.CALLS.append(("second", ctx.year.name, len(ctx.sections) > 0))
        if second.FAIL:
            raise RuntimeError("step failed")

    with slots.DEMO_LOADERS.replaced(
        [
            slots.DemoLoader(key="probe_second", order=2, seed=seed_second),
            slots.DemoLoader(key="probe_first", order=1, seed=seed_first),
        ]
    ):
        yield first, second


def test_it_runs_each_apps_demo_step_in_order_with_the_roster(db, demo_steps):
    first, second = demo_steps
    seed_demo(students=600)
    assert first.CALLS == [("first", demo.DEFAULT_DISTRICT_NAME, 600)]
    assert second.CALLS == [("second", "2026-2027", True)]


def test_it_writes_nothing_when_a_demo_step_fails(db, demo_steps):
    _, second = demo_steps
    second.FAIL = True
    with pytest.raises(RuntimeError, match="step failed"):
        seed_demo(students=600)
    assert not District.objects.exists()
    assert not User.objects.exists()


def test_it_draws_a_progress_bar_over_its_steps_for_make_run(db):
    out = seed_demo(600, 7, "--progress")
    steps = ["roster", *(step.key for step in slots.DEMO_LOADERS)]
    total = len(steps)
    # Into a file or a pipe (not a terminal): one line per step, then the steps' times.
    for done, step in enumerate(steps):
        assert f"] {done}/{total} {step}\n" in out
    assert f"[{'#' * 24}] {total}/{total} done\n" in out
    assert re.search(r"^  \(plan \d+\.\d s, .*meetings \d+\.\d s\)$", out, re.M)
