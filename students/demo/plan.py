"""The demo district planned as plain values: pure and deterministic (one seeded
`random.Random`, draws in a fixed order)."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from students.demo.data import (
    ASIAN_LAST_NAMES,
    ECON_RATE,
    ECON_SCHOOL_OFFSETS,
    EL_RATE,
    EL_RATE_OTHER,
    ELEMENTARY_GRADES,
    ELEMENTARY_NAME_WORDS,
    FEMALE_NAMES,
    HISPANIC_FEMALE_NAMES,
    HISPANIC_LAST_NAMES,
    HISPANIC_MALE_NAMES,
    HOMEROOM_MAX,
    HOMEROOM_MIN,
    HOMEROOM_TARGET,
    IEP_RATE,
    LAST_NAMES,
    MALE_NAMES,
    MIDDLE_GRADES,
    MIDDLE_NAME_WORDS,
    MIDDLE_SECTION_TARGET,
    MIDDLE_SECTIONS_PER_TEACHER,
    NAME_SUFFIXES,
    NICKNAMES,
    OLDER_RATE,
    RACE_WEIGHTS,
    SECTION_504_RATE,
    SEX_WEIGHTS,
    STUDENTS_PER_ELEMENTARY,
    STUDENTS_PER_MIDDLE,
)
from students.models import (
    RaceEthnicity,
    Role,
    School,
    Sex,
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
