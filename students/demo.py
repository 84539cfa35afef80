"""The synthetic demo district: schools, a school year, sections, staff for every role, students.

`seed_demo(...)` is what `manage.py seed_demo` runs: `seed_roster(...)` builds the roster and
returns a `DemoContext`; then each later app's demo step (registered in students.slots.
DEMO_LOADERS from its AppConfig.ready()) adds its own demo data (screening scores, plans, flags,
meetings). See docs/demo-data.md.

Everything is synthetic (names are random pairs from small lists) and deterministic: the same
`seed` gives the same rows, because every random draw comes from a `random.Random` seeded
from it, in a fixed order, never from the clock or from dict/set iteration of unordered data.
Students and enrollments are written with PostgreSQL COPY, so 50,000 students take seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from students import slots
from students.models import (
    District,
    Enrollment,
    Membership,
    RaceEthnicity,
    Role,
    School,
    SchoolYear,
    Section,
    Sex,
    Student,
    User,
)

# Demo only: printed by `make run` and in the README. Never use a demo database for real data.
DEMO_PASSWORD = "demo1234!"
DEFAULT_DISTRICT_NAME = "Cedar Valley School District (demo)"
DEFAULT_STUDENTS = 3000
DEFAULT_SEED = 2026
MIN_STUDENTS = 100

YEAR_NAME = "2026-2027"
YEAR_START = dt.date(2026, 8, 17)
YEAR_END = dt.date(2027, 6, 4)

ELEMENTARY_GRADES = (0, 1, 2, 3, 4, 5)
MIDDLE_GRADES = (6, 7, 8)
STUDENTS_PER_ELEMENTARY = 450
STUDENTS_PER_MIDDLE = 700
HOMEROOM_TARGET = 24
HOMEROOM_MIN, HOMEROOM_MAX = 22, 26
MIDDLE_SECTION_TARGET = 26
MIDDLE_SECTIONS_PER_TEACHER = 5

# --- demographic proportions (roughly US public schools, NCES Digest 2021-22) -----------------

RACE_WEIGHTS: tuple[tuple[str, float], ...] = (
    (RaceEthnicity.WHITE, 0.45),
    (RaceEthnicity.HISPANIC_LATINO, 0.28),
    (RaceEthnicity.BLACK, 0.15),
    (RaceEthnicity.ASIAN, 0.05),
    (RaceEthnicity.TWO_OR_MORE, 0.05),
    (RaceEthnicity.AMERICAN_INDIAN, 0.01),
    (RaceEthnicity.PACIFIC_ISLANDER, 0.005),
    (RaceEthnicity.UNKNOWN, 0.005),
)
SEX_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Sex.MALE, 0.508),
    (Sex.FEMALE, 0.488),
    (Sex.NONBINARY, 0.004),
)
# English learners are concentrated among Hispanic and Asian students; these rates give ~10.5%.
EL_RATE = {
    RaceEthnicity.HISPANIC_LATINO: 0.28,
    RaceEthnicity.ASIAN: 0.25,
    RaceEthnicity.PACIFIC_ISLANDER: 0.15,
    RaceEthnicity.TWO_OR_MORE: 0.04,
}
EL_RATE_OTHER = 0.02
# Boys are identified for special education about twice as often; these rates give ~15%.
IEP_RATE = {Sex.MALE: 0.19, Sex.FEMALE: 0.105, Sex.NONBINARY: 0.15}
# A 504 plan is for students without an IEP: 3.5% of the 85% without one is ~3%.
SECTION_504_RATE = 0.035
ECON_RATE = 0.45
# Schools differ in poverty; the offsets cancel in pairs so the district stays near 45%.
ECON_SCHOOL_OFFSETS = (0.10, -0.10, 0.05, -0.05, 0.0, 0.08, -0.08, 0.03, -0.03)
# Students a year older than their grade (retained or started late).
OLDER_RATE = 0.02

# --- synthetic names ---------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FEMALE_NAMES = _words(
    "Olivia Emma Ava Sophia Isabella Mia Amelia Harper Evelyn Abigail Emily Ella Elizabeth "
    "Camila Luna Sofia Avery Mila Aria Scarlett Penelope Layla Chloe Victoria Madison Eleanor "
    "Grace Nora Riley Zoey Hannah Hazel Lily Ellie Violet Lillian Zoe Stella Aurora Natalie "
    "Emilia Everly Leah Aubrey Willow Addison Lucy Audrey Bella Nevaeh Claire Skylar Maya "
    "Naomi Jasmine Valentina Ximena Aaliyah Imani Mei Priya Ananya Keira Tala"
)
MALE_NAMES = _words(
    "Liam Noah Oliver Elijah James William Benjamin Lucas Henry Theodore Jack Levi Alexander "
    "Jackson Mateo Daniel Michael Mason Sebastian Ethan Logan Owen Samuel Jacob Asher Aiden "
    "John Joseph Wyatt David Leo Luke Julian Hudson Grayson Matthew Ezra Gabriel Carter "
    "Isaac Jayden Luca Anthony Dylan Lincoln Thomas Maverick Elias Josiah Charles Caleb "
    "Christopher Ezekiel Miles Jaxon Isaiah Andrew Joshua Nathan Santiago Diego Malik "
    "Jamal Kenji Arjun Rohan Kai"
)
HISPANIC_FEMALE_NAMES = _words(
    "Sofia Valentina Camila Ximena Lucia Mariana Daniela Gabriela Isabella Renata Paola Andrea"
)
HISPANIC_MALE_NAMES = _words(
    "Mateo Santiago Diego Sebastian Leonardo Emiliano Alejandro Adrian Angel Carlos Miguel Luis"
)
NICKNAMES = {
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Christopher": "Chris",
    "Daniel": "Danny",
    "Elizabeth": "Liz",
    "Gabriela": "Gaby",
    "Joshua": "Josh",
    "Matthew": "Matt",
    "Nathan": "Nate",
    "Samuel": "Sam",
    "Theodore": "Theo",
    "Valentina": "Vale",
    "Victoria": "Tori",
    "William": "Will",
}
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
    "Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips "
    "Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper "
    "Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks Wood James Bennett "
    "Gray Hughes Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan "
    "Bell Coleman Butler Henderson Barnes Fisher Washington Simmons Patterson Jordan Reynolds "
    "Hamilton Graham Wallace Cole West Owens Ellis Harrison Gibson Marshall"
)
HISPANIC_LAST_NAMES = _words(
    "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores "
    "Rivera Gomez Diaz Reyes Cruz Morales Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza "
    "Castillo Jimenez Vasquez Romero Herrera Medina Aguilar Vargas Castro Guzman Munoz "
    "Salazar Delgado Soto Contreras Pena"
)
ASIAN_LAST_NAMES = _words(
    "Nguyen Kim Patel Chen Wang Li Zhang Liu Tran Le Pham Park Choi Singh Shah Huang Lin "
    "Yang Wu Tanaka Sato Kumar Gupta Cho Vu"
)

ELEMENTARY_NAME_WORDS = _words(
    "Alder Aspen Birch Cedar Chestnut Cottonwood Cypress Dogwood Elm Hawthorn Hazel Hickory "
    "Juniper Laurel Linden Magnolia Maple Mesquite Oak Pecan Pine Poplar Redbud Sequoia "
    "Spruce Sycamore Tamarack Walnut Willow Yarrow"
)
MIDDLE_NAME_WORDS = _words(
    "Riverside Lakeview Hillcrest Northgate Southridge Eastwood Westbrook Fairview Highland "
    "Meadowbrook Brookside Parkview Ridgeway Stonebridge Valley Vista Canyon Prairie Summit "
    "Harbor"
)
NAME_SUFFIXES = ("", " Ridge", " Creek", " Park", " Hills", " Grove", " Springs", " Heights")


# --- what later steps receive ------------------------------------------------------------------


@dataclass(slots=True)
class DemoStudent:
    id: int
    local_id: str
    school_id: int
    grade: int
    sex: str
    race_ethnicity: str
    english_learner: bool
    iep: bool
    section_504: bool
    economically_disadvantaged: bool


@dataclass(slots=True)
class DemoSection:
    id: int
    school_id: int
    grade: int
    subject: str  # "homeroom" (elementary: reading and math), "ela" or "math" (middle)
    teacher_ids: tuple[int, ...]
    student_ids: tuple[int, ...]


@dataclass
class DemoContext:
    """The roster the later demo steps build on; every list is in a deterministic order."""

    seed: int
    district: District
    year: SchoolYear
    elementary_schools: list[School]
    middle_schools: list[School]
    students: list[DemoStudent]
    sections: list[DemoSection]
    # (school id, role) -> staff user ids; district administrators under (None, role).
    staff: dict[tuple[int | None, str], list[int]]
    # Demo username ("teacher", "interventionist", ...) -> user id.
    logins: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def schools(self) -> list[School]:
        return [*self.elementary_schools, *self.middle_schools]

    def rng(self, step: str) -> random.Random:
        """A random stream of its own for one demo step, so steps do not shift each other."""
        return random.Random(f"{self.seed}:{step}")

    def numpy_rng(self, step: str) -> Any:
        import numpy as np

        return np.random.default_rng([self.seed, zlib.crc32(step.encode())])

    def students_frame(self) -> Any:
        """The students as a pandas DataFrame (one row per student, columns as DemoStudent)."""
        import pandas as pd

        columns = [f.name for f in fields(DemoStudent)]
        return pd.DataFrame(
            [[getattr(s, c) for c in columns] for s in self.students], columns=columns
        )


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("teacher", "Teacher (grade 3)", "the students in their own class"),
    DemoLogin("msteacher", "Teacher (grade 7 math)", "the students in their math sections"),
    DemoLogin("interventionist", "Interventionist", "the students on their intervention caseload"),
    DemoLogin("team", "School team member", "every student of their school"),
    DemoLogin("principal", "School administrator", "every student of their school"),
    DemoLogin("district", "District administrator", "every student of the district"),
    DemoLogin("admin", "Superuser (platform operator)", "everything, and /admin/"),
)


# --- the plan: pure, deterministic -------------------------------------------------------------


def _split(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal integers, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _school_names(words: Sequence[str], count: int, kind: str) -> list[str]:
    names = []
    for i in range(count):
        word = words[i % len(words)]
        suffix = NAME_SUFFIXES[(i // len(words)) % len(NAME_SUFFIXES)]
        round_ = i // (len(words) * len(NAME_SUFFIXES))
        names.append(f"{word}{suffix} {kind}" + (f" {round_ + 1}" if round_ else ""))
    return names


@dataclass
class _SectionPlan:
    school: int  # index into the plan's schools
    grade: int
    subject: str
    course_name: str
    size: int  # elementary homerooms only; middle sections get their students by shuffle
    teacher: int = -1  # index into the plan's staff
    period: int = 0  # middle school: the teacher's 1st, 2nd... section of this course
    students: list[int] = field(default_factory=list)  # indexes into the plan's students


@dataclass
class _StaffPlan:
    first_name: str
    last_name: str
    title: str
    role: str
    school: int | None  # index into the plan's schools, None for the district
    username: str = ""


@dataclass
class _Plan:
    schools: list[tuple[str, str, int, int]]  # name, level, lowest grade, highest grade
    sections: list[_SectionPlan]
    staff: list[_StaffPlan]
    students: list[tuple]  # rows in STUDENT_COLUMNS order minus district/school ids
    student_school: list[int]


def _weighted(rng: random.Random, weights: Sequence[tuple[str, float]]) -> str:
    roll = rng.random() * sum(w for _, w in weights)
    for value, weight in weights:
        roll -= weight
        if roll < 0:
            return value
    return weights[-1][0]


def _person_name(rng: random.Random, sex: str, race: str) -> tuple[str, str]:
    if race == RaceEthnicity.HISPANIC_LATINO and rng.random() < 0.75:
        last = rng.choice(HISPANIC_LAST_NAMES)
    elif race == RaceEthnicity.ASIAN and rng.random() < 0.7:
        last = rng.choice(ASIAN_LAST_NAMES)
    elif rng.random() < 0.1:
        last = rng.choice(HISPANIC_LAST_NAMES + ASIAN_LAST_NAMES)
    else:
        last = rng.choice(LAST_NAMES)
    female = sex == Sex.FEMALE or (sex == Sex.NONBINARY and rng.random() < 0.5)
    if race == RaceEthnicity.HISPANIC_LATINO and rng.random() < 0.4:
        first = rng.choice(HISPANIC_FEMALE_NAMES if female else HISPANIC_MALE_NAMES)
    else:
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    return first, last


def _staff(rng: random.Random, role: str, school: int | None, female_share: float) -> _StaffPlan:
    sex = Sex.FEMALE if rng.random() < female_share else Sex.MALE
    first, last = _person_name(rng, sex, _weighted(rng, RACE_WEIGHTS))
    title = "Dr." if rng.random() < 0.04 else ("Ms." if sex == Sex.FEMALE else "Mr.")
    return _StaffPlan(first, last, title, role, school)


def _birth_date(rng: random.Random, grade: int) -> dt.date:
    # Kindergarten in fall 2026 means turning 5 by September 1, 2026.
    cohort_year = 2021 - grade - (1 if rng.random() < OLDER_RATE else 0)
    start = dt.date(cohort_year - 1, 9, 2)
    return start + dt.timedelta(days=rng.randrange(365))


def _student_row(rng: random.Random, index: int, grade: int, econ_rate: float) -> tuple:
    race = _weighted(rng, RACE_WEIGHTS)
    sex = _weighted(rng, SEX_WEIGHTS)
    first, last = _person_name(rng, sex, race)
    preferred = NICKNAMES.get(first, "") if rng.random() < 0.3 else ""
    english_learner = rng.random() < EL_RATE.get(race, EL_RATE_OTHER)
    iep = rng.random() < IEP_RATE[sex]
    section_504 = not iep and rng.random() < SECTION_504_RATE
    econ = rng.random() < econ_rate
    return (
        f"{100001 + index}",
        f"demo-student-{index + 1:06d}",
        first,
        last,
        preferred,
        grade,
        _birth_date(rng, grade),
        sex,
        race,
        english_learner,
        iep,
        section_504,
        econ,
    )


def plan_district(*, students: int, seed: int) -> _Plan:
    """Lay out the district for `students` students, without touching the database."""
    rng = random.Random(f"{seed}:roster")
    elementary_total = round(students * len(ELEMENTARY_GRADES) / 9)
    middle_total = students - elementary_total
    n_elementary = max(1, round(elementary_total / STUDENTS_PER_ELEMENTARY))
    n_middle = max(1, round(middle_total / STUDENTS_PER_MIDDLE))
    schools = [
        (name, School.Level.ELEMENTARY, 0, 5)
        for name in _school_names(ELEMENTARY_NAME_WORDS, n_elementary, "Elementary")
    ] + [
        (name, School.Level.MIDDLE, 6, 8)
        for name in _school_names(MIDDLE_NAME_WORDS, n_middle, "Middle School")
    ]
    econ_rates = [
        ECON_RATE + ECON_SCHOOL_OFFSETS[i % len(ECON_SCHOOL_OFFSETS)] for i in range(len(schools))
    ]
    sections: list[_SectionPlan] = []
    staff: list[_StaffPlan] = []

    # Elementary: homerooms of 22-26. Size the homerooms first, then give each school and
    # grade a whole number of them, so no class is left with 15 or 35 students.
    n_homerooms = max(
        len(ELEMENTARY_GRADES) * n_elementary, round(elementary_total / HOMEROOM_TARGET)
    )
    sizes = _split(elementary_total, n_homerooms)
    for _ in range(n_homerooms):
        i, j = rng.randrange(n_homerooms), rng.randrange(n_homerooms)
        if i != j and sizes[i] > HOMEROOM_MIN and sizes[j] < HOMEROOM_MAX:
            sizes[i] -= 1
            sizes[j] += 1
    homeroom_sizes = iter(sizes)
    for school, school_homerooms in enumerate(_split(n_homerooms, n_elementary)):
        per_grade = _split(school_homerooms, len(ELEMENTARY_GRADES))
        rng.shuffle(per_grade)  # which grades get the extra homeroom varies by school
        for grade, count in zip(ELEMENTARY_GRADES, per_grade, strict=True):
            label = "Kindergarten" if grade == 0 else f"Grade {grade}"
            for _ in range(count):
                teacher = _staff(rng, Role.TEACHER, school, female_share=0.85)
                staff.append(teacher)
                sections.append(
                    _SectionPlan(
                        school,
                        grade,
                        "homeroom",
                        f"{label} homeroom",
                        next(homeroom_sizes),
                        teacher=len(staff) - 1,
                    )
                )

    rows: list[tuple] = []
    student_school: list[int] = []
    for section in sections:
        for _ in range(section.size):
            section.students.append(len(rows))
            rows.append(_student_row(rng, len(rows), section.grade, econ_rates[section.school]))
            student_school.append(section.school)

    # Middle: each student takes one ELA and one math section of their grade; a teacher
    # teaches up to five sections of one subject.
    cells = _split(middle_total, n_middle * len(MIDDLE_GRADES))
    cell = 0
    for m in range(n_middle):
        school = n_elementary + m
        for grade in MIDDLE_GRADES:
            cohort = []
            for _ in range(cells[cell]):
                cohort.append(len(rows))
                rows.append(_student_row(rng, len(rows), grade, econ_rates[school]))
                student_school.append(school)
            cell += 1
            n_sections = max(1, round(len(cohort) / MIDDLE_SECTION_TARGET))
            for subject, course in (("ela", "ELA"), ("math", "Math")):
                teachers = []
                for _ in range(math.ceil(n_sections / MIDDLE_SECTIONS_PER_TEACHER)):
                    staff.append(_staff(rng, Role.TEACHER, school, female_share=0.65))
                    teachers.append(len(staff) - 1)
                order = list(cohort)
                rng.shuffle(order)  # a different mix of classmates in ELA and in math
                for k, chunk in enumerate(_chunks(order, n_sections)):
                    sections.append(
                        _SectionPlan(
                            school,
                            grade,
                            subject,
                            f"Grade {grade} {course}",
                            len(chunk),
                            teacher=teachers[k % len(teachers)],
                            period=k // len(teachers) + 1,
                            students=chunk,
                        )
                    )

    # Everyone else a school needs: a principal, a team (counselor, psychologist) and
    # interventionists; one district administrator.
    for school in range(len(schools)):
        staff.append(_staff(rng, Role.SCHOOL_ADMIN, school, female_share=0.6))
        staff.extend(_staff(rng, Role.TEAM_MEMBER, school, female_share=0.75) for _ in range(2))
        staff.extend(_staff(rng, Role.INTERVENTIONIST, school, female_share=0.85) for _ in range(2))
    staff.append(_staff(rng, Role.DISTRICT_ADMIN, None, female_share=0.6))
    return _Plan(schools, sections, staff, rows, student_school)


def _chunks(items: list[int], parts: int) -> list[list[int]]:
    out, start = [], 0
    for size in _split(len(items), parts):
        out.append(items[start : start + size])
        start += size
    return out


def _demo_usernames(plan: _Plan) -> dict[int, str]:
    """Which planned staff member gets which fixed demo login."""
    first_elementary, first_middle = (
        0,
        next(i for i, s in enumerate(plan.schools) if s[1] == School.Level.MIDDLE),
    )

    def teacher_of(school: int, grade: int, subject: str) -> int:
        return next(
            s.teacher
            for s in plan.sections
            if s.school == school and s.grade == grade and s.subject == subject
        )

    def first_with(role: str, school: int | None) -> int:
        return next(i for i, s in enumerate(plan.staff) if s.role == role and s.school == school)

    return {
        teacher_of(first_elementary, 3, "homeroom"): "teacher",
        teacher_of(first_middle, 7, "math"): "msteacher",
        first_with(Role.INTERVENTIONIST, first_elementary): "interventionist",
        first_with(Role.TEAM_MEMBER, first_elementary): "team",
        first_with(Role.SCHOOL_ADMIN, first_elementary): "principal",
        first_with(Role.DISTRICT_ADMIN, None): "district",
    }


def _username(first: str, last: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9.]", "", f"{first}.{last}".lower())
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


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


def seed_roster(
    *,
    students: int,
    seed: int,
    district_name: str = DEFAULT_DISTRICT_NAME,
) -> DemoContext:
    """Create the demo district's roster and staff; return what later demo steps need."""
    if students < MIN_STUDENTS:
        raise ValueError(f"A demo district needs at least {MIN_STUDENTS} students.")
    demo_usernames = [d.username for d in DEMO_LOGINS]
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
    district = District.objects.create(name=district_name, sourced_id=f"demo-district-{seed}")
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
    taken = set(User.objects.values_list("username", flat=True)) | set(demo_usernames)
    demo_hash = make_password(DEMO_PASSWORD)
    users = []
    for i, person in enumerate(plan.staff):
        username = demo_for.get(i) or _username(person.first_name, person.last_name, taken)
        users.append(
            User(
                username=username,
                first_name=person.first_name,
                last_name=person.last_name,
                title=person.title,
                email=f"{username}@example.org",
                password=demo_hash if i in demo_for else "!demo-no-login",
                sourced_id=f"demo-staff-{i + 1:05d}",
            )
        )
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
        logins={u.username: u.pk for u in users if u.username in demo_usernames},
        timings=timings,
    )


def _section_name(section: _SectionPlan, teacher: User) -> str:
    if section.subject == "homeroom":
        label = "Kindergarten" if section.grade == 0 else f"Grade {section.grade}"
        return f"{label} - {teacher.display_name()}"
    return f"{section.course_name} - {teacher.display_name()}, period {section.period}"


def seed_demo(
    *,
    students: int,
    seed: int,
    district_name: str = DEFAULT_DISTRICT_NAME,
    log: Callable[[str], None] | None = None,
) -> DemoContext:
    """The whole demo: roster, then each app's demo step, in one transaction."""
    say = log or (lambda message: None)
    with transaction.atomic():
        ctx = seed_roster(students=students, seed=seed, district_name=district_name)
        for step, seconds in ctx.timings.items():
            say(f"  {step}: {seconds:.1f} s")
        # Later apps' steps (slots.DEMO_LOADERS), in dependency order: flags need scores,
        # meetings need flags.
        for step in slots.DEMO_LOADERS:
            started = time.perf_counter()
            step.seed(ctx)
            ctx.timings[step.key] = time.perf_counter() - started
            say(f"  {step.key}: {ctx.timings[step.key]:.1f} s")
    return ctx
