"""classes.csv -> Section: school, school year (through the class's terms), title, course
title, grade ("09,10,11" spans several grades, so the section gets none)."""

from __future__ import annotations

from students.models import Section
from students.oneroster.codes import class_grade, grade_list, split_list
from students.oneroster.context import ImportContext, Record
from students.oneroster.sessions import year_for_classes
from students.oneroster.upsert import insert_objects, update_rows

ENTITY = "classes"
FIELDS = ["school_id", "school_year_id", "name", "course_name", "grade", "active"]


def import_classes(ctx: ImportContext) -> None:
    existing = {
        row[0]: row[1:]
        for row in Section.objects.filter(school__district=ctx.district)
        .exclude(sourced_id="")
        .values_list("sourced_id", "id", *FIELDS)
    }
    for sid, row in existing.items():
        ctx.section_by_class[sid] = row[0]
        _remember(
            ctx, sid, name=row[3], year_id=row[2], grades=(row[5],) if row[5] is not None else ()
        )
    has_courses = ctx.has("courses.csv")
    if not has_courses and ctx.has("classes.csv"):
        ctx.warn(
            None,
            "courses.csv is not in the set: classes keep their course names as they were",
            file="classes.csv",
        )
    current_year = _current_year_id(ctx)
    creates: list[Section] = []
    create_ids: list[str] = []
    updates: list[tuple] = []
    in_file: set[str] = set()
    for r in ctx.records("classes.csv", entity=ENTITY):
        in_file.add(r.sourced_id)
        old = existing.get(r.sourced_id)
        if r.deleted:
            ctx.class_grades.pop(r.sourced_id, None)  # no grade is inferred from a closed class
            if old is None:
                ctx.mark_deleted(r)
                ctx.report.count(ENTITY, "skipped")
            elif old[6]:
                updates.append((old[0], *old[1:6], False))
                ctx.report.count(ENTITY, "deactivated")
            else:
                ctx.report.count(ENTITY, "unchanged")
            continue
        title = r.get("title")
        if not title:
            ctx.reject(r, "title is blank", entity=ENTITY)
            continue
        org = r.get("schoolSourcedId")
        school_id = ctx.school_by_org.get(org)
        if school_id is None:
            if org in ctx.district_orgs:
                reason = f"schoolSourcedId '{org}' is the district; a class belongs to a school"
            else:
                reason = ctx.why_missing("orgs.csv", org, "school", "schoolSourcedId")
            ctx.reject(r, reason, entity=ENTITY)
            continue
        year_id = _year_of(ctx, r, current_year)
        if year_id is None:
            ctx.reject(
                r,
                f"termSourcedIds '{r.get('termSourcedIds')}' names no academic session in "
                "academicSessions.csv, and the district has no current school year",
                entity=ENTITY,
            )
            continue
        grade, note = class_grade(r.get("grades"))
        if note:
            ctx.warn(r, note)
        course = r.get("courseSourcedId")
        if course in ctx.course_title:
            course_name = ctx.course_title[course]
        else:
            if has_courses and course:
                ctx.warn(
                    r,
                    f"courseSourcedId '{course}' is not in courses.csv; the class has no course name",
                )
            course_name = old[4] if old is not None and not has_courses else ""
        target = (school_id, year_id, title[:200], course_name, grade, True)
        _remember(
            ctx,
            r.sourced_id,
            name=title[:200],
            year_id=year_id,
            grades=grade_list(r.get("grades")) or ctx.course_grades.get(course, ()),
        )
        if old is None:
            creates.append(
                Section(
                    sourced_id=r.sourced_id,
                    school_id=school_id,
                    school_year_id=year_id,
                    name=title[:200],
                    course_name=course_name,
                    grade=grade,
                    active=True,
                )
            )
            create_ids.append(r.sourced_id)
        elif tuple(old[1:]) == target:
            ctx.report.count(ENTITY, "unchanged")
        else:
            updates.append((old[0], *target))
            ctx.report.count(ENTITY, "updated")
    if ctx.mode("classes.csv") == "bulk":
        # A bulk file is the whole list: a class it no longer names has ended.
        for sid, old in existing.items():
            if sid not in in_file and old[6]:
                updates.append((old[0], *old[1:6], False))
                ctx.report.count(ENTITY, "deactivated")
    update_rows(Section, FIELDS, updates)
    for section, sid in zip(insert_objects(Section, creates), create_ids, strict=True):
        ctx.section_by_class[sid] = section.pk
        ctx.report.count(ENTITY, "created")


def _remember(
    ctx: ImportContext, sid: str, *, name: str, year_id: int, grades: tuple[int, ...]
) -> None:
    """What a student's blank grade may be inferred from later (people.py)."""
    ctx.class_grades[sid] = grades
    ctx.class_names[sid] = name
    ctx.class_year[sid] = year_id


def _current_year_id(ctx: ImportContext) -> int | None:
    from students.models import SchoolYear

    return (
        SchoolYear.objects.filter(district=ctx.district, is_current=True)
        .values_list("id", flat=True)
        .first()
    )


def _year_of(ctx: ImportContext, r: Record, current_year: int | None) -> int | None:
    terms = split_list(r.get("termSourcedIds"))
    for term in terms:
        if term in ctx.year_by_sid:
            return ctx.year_by_sid[term]
    for term in terms:
        end_year = ctx.session_year.get(term)
        if end_year is not None:
            year_id = year_for_classes(ctx, end_year, r)
            if year_id is not None:
                return year_id
    if current_year is not None:
        ctx.warn(
            r,
            f"termSourcedIds '{r.get('termSourcedIds')}' is not in academicSessions.csv; the class was put in the current school year",
        )
        return current_year
    return None
