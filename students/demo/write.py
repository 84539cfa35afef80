"""Writing the planned roster: staff and sections with bulk_create, students and enrollments
with PostgreSQL COPY."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from students.demo.context import DEMO_LOGINS, DemoContext, DemoSection, DemoStudent
from students.demo.data import (
    DEFAULT_DISTRICT_NAME,
    DEMO_PASSWORD,
    MIN_STUDENTS,
    YEAR_END,
    YEAR_NAME,
    YEAR_START,
)
from students.demo.plan import _demo_usernames, _SectionPlan, _username, plan_district
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

# --- writing -----------------------------------------------------------------------------------

STUDENT_COLUMNS = (
    "district_id",
    "school_id",
    "local_id",
    "sourced_id",
    "first_name",
    "last_name",
    "preferred_name",
    "grade",
    "birth_date",
    "sex",
    "race_ethnicity",
    "english_learner",
    "iep",
    "section_504",
    "economically_disadvantaged",
    "active",
    "created_at",
    "updated_at",
)


def _copy(model: type, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Bulk insert with PostgreSQL COPY (psycopg 3), an order of magnitude faster than INSERT."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[c]) for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class DemoAccountsExist(Exception):
    """The fixed demo usernames are taken: this database already has a demo district."""


def login_suffix(number: int) -> str:
    """What district `number`'s demo logins add to the fixed names: district 1 keeps
    "teacher", "district"...; district 2 has "teacher-d2", "district-d2"..."""
    return "" if number == 1 else f"-d{number}"


def seed_roster(
    *,
    students: int,
    seed: int,
    district_name: str = DEFAULT_DISTRICT_NAME,
    number: int = 1,
) -> DemoContext:
    """Create the demo district's roster and staff; return what later demo steps need.

    `number` is the district's place in a multi-district demo (students.demo.districts):
    district 1 is the single demo district with the superuser; a later one gets its own
    suffixed demo logins and staff sourcedIds (users are shared by all districts, so a
    roster import of one district never matches another district's staff)."""
    if students < MIN_STUDENTS:
        raise ValueError(f"A demo district needs at least {MIN_STUDENTS} students.")
    suffix = login_suffix(number)
    demo_usernames = [
        d.username + suffix for d in DEMO_LOGINS if number == 1 or d.username != "admin"
    ]
    if User.objects.filter(username__in=demo_usernames).exists():
        raise DemoAccountsExist(
            "The demo accounts already exist in this database. Use --if-empty, or start "
            "from an empty database (python manage.py flush)."
        )
    timings: dict[str, float] = {}
    started = time.perf_counter()
    plan = plan_district(students=students, seed=seed)
    timings["plan"] = time.perf_counter() - started

    started = time.perf_counter()
    district = District.objects.create(
        name=district_name, sourced_id=f"demo-district-{seed}{suffix}"
    )
    year = SchoolYear.objects.create(
        district=district,
        name=YEAR_NAME,
        sourced_id=f"demo-year-{YEAR_NAME}",
        start_date=YEAR_START,
        end_date=YEAR_END,
        is_current=True,
    )
    schools = School.objects.bulk_create(
        School(
            district=district,
            name=name,
            sourced_id=f"demo-school-{i + 1:03d}",
            level=level,
            lowest_grade=low,
            highest_grade=high,
        )
        for i, (name, level, low, high) in enumerate(plan.schools)
    )

    # Staff. Generated accounts cannot log in (unusable password); the demo ones share one
    # hash of DEMO_PASSWORD, since hashing is deliberately slow.
    demo_for = _demo_usernames(plan)
    # A later district's generated names carry its suffix too ("olivia.reyes-d2"), so they
    # depend on its own staff only, never on which districts were loaded before it.
    existing = User.objects.values_list("username", flat=True)
    if suffix:
        existing = existing.filter(username__endswith=suffix)
    taken = {name.removesuffix(suffix) for name in existing} | {d.username for d in DEMO_LOGINS}
    demo_hash = make_password(DEMO_PASSWORD)
    users = []
    for i, person in enumerate(plan.staff):
        username = (
            demo_for.get(i) or _username(person.first_name, person.last_name, taken)
        ) + suffix
        users.append(
            User(
                username=username,
                first_name=person.first_name,
                last_name=person.last_name,
                title=person.title,
                email=f"{username}@example.org",
                password=demo_hash if i in demo_for else "!demo-no-login",
                sourced_id=f"demo-staff{suffix}-{i + 1:05d}",
            )
        )
    if number == 1:
        users.append(
            User(
                username="admin",
                first_name="Platform",
                last_name="Admin",
                email="admin@example.org",
                password=demo_hash,
                is_staff=True,
                is_superuser=True,
            )
        )
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(
            user=users[i],
            role=person.role,
            district=district,
            school=schools[person.school] if person.school is not None else None,
        )
        for i, person in enumerate(plan.staff)
    )
    timings["schools and staff"] = time.perf_counter() - started

    started = time.perf_counter()
    now = timezone.now()
    _copy(
        Student,
        STUDENT_COLUMNS,
        (
            (district.pk, schools[school].pk, *row, True, now, now)
            for row, school in zip(plan.students, plan.student_school, strict=True)
        ),
    )
    id_by_local = dict(
        Student.objects.filter(district=district).values_list("local_id", "id").iterator(10_000)
    )
    student_ids = [id_by_local[row[0]] for row in plan.students]
    timings["students"] = time.perf_counter() - started

    started = time.perf_counter()
    section_rows = Section.objects.bulk_create(
        Section(
            school=schools[s.school],
            school_year=year,
            name=_section_name(s, users[s.teacher]),
            sourced_id=f"demo-section-{n + 1:05d}",
            course_name=s.course_name,
            grade=s.grade,
        )
        for n, s in enumerate(plan.sections)
    )
    Section.teachers.through.objects.bulk_create(
        Section.teachers.through(section_id=row.pk, user_id=users[s.teacher].pk)
        for row, s in zip(section_rows, plan.sections, strict=True)
    )
    _copy(
        Enrollment,
        ("student_id", "section_id", "sourced_id", "start_date", "end_date", "active"),
        (
            (student_ids[i], row.pk, "", YEAR_START, None, True)
            for row, s in zip(section_rows, plan.sections, strict=True)
            for i in s.students
        ),
    )
    # Fresh planner statistics, so the demo steps after this one query a 50,000-row table well.
    with connection.cursor() as cursor:
        cursor.execute(
            f"ANALYZE {Student._meta.db_table}, {Enrollment._meta.db_table}, {Section._meta.db_table}"
        )
    timings["sections and enrollments"] = time.perf_counter() - started

    staff: dict[tuple[int | None, str], list[int]] = {}
    for i, person in enumerate(plan.staff):
        key = (schools[person.school].pk if person.school is not None else None, person.role)
        staff.setdefault(key, []).append(users[i].pk)
    return DemoContext(
        seed=seed,
        district=district,
        year=year,
        elementary_schools=[s for s in schools if s.level == School.Level.ELEMENTARY],
        middle_schools=[s for s in schools if s.level == School.Level.MIDDLE],
        students=[
            DemoStudent(
                id=student_ids[i],
                local_id=row[0],
                school_id=schools[plan.student_school[i]].pk,
                grade=row[5],
                sex=row[7],
                race_ethnicity=row[8],
                english_learner=row[9],
                iep=row[10],
                section_504=row[11],
                economically_disadvantaged=row[12],
            )
            for i, row in enumerate(plan.students)
        ],
        sections=[
            DemoSection(
                id=row.pk,
                school_id=schools[s.school].pk,
                grade=s.grade,
                subject=s.subject,
                teacher_ids=(users[s.teacher].pk,),
                student_ids=tuple(student_ids[i] for i in s.students),
            )
            for row, s in zip(section_rows, plan.sections, strict=True)
        ],
        staff=staff,
        # Keyed by the fixed names ("teacher", ...) whatever the district's suffix.
        logins={
            u.username.removesuffix(suffix): u.pk for u in users if u.username in demo_usernames
        },
        timings=timings,
    )


def _section_name(section: _SectionPlan, teacher: User) -> str:
    if section.subject == "homeroom":
        label = "Kindergarten" if section.grade == 0 else f"Grade {section.grade}"
        return f"{label} - {teacher.display_name()}"
    return f"{section.course_name} - {teacher.display_name()}, period {section.period}"
