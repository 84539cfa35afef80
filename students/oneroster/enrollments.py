"""enrollments.csv -> Enrollment (students) and Section.teachers (teachers and aides).

A student enrollment is keyed by (student, section), which the database keeps unique; its
sourcedId is stored with it. `tobedeleted`, and in a bulk file absence, sets active = False
(the history of who was in which class stays). A teacher enrollment adds the teacher to the
section; `tobedeleted`, and in a bulk file absence, takes them off it, which is what ends
their access to the class's students (domain.md section 7).
"""

from __future__ import annotations

from students.models import Enrollment, Section
from students.oneroster.codes import CodeError, map_role, parse_date
from students.oneroster.context import ImportContext, Record
from students.oneroster.upsert import copy_insert, update_rows

ENTITY = "enrollments"
TEACHING = "teacher assignments"
FIELDS = ["sourced_id", "start_date", "end_date", "active"]
TEACHER_ROLES = ("teacher", "aide")


def import_enrollments(ctx: ImportContext) -> None:
    if not ctx.has("enrollments.csv"):
        return
    existing: dict[tuple[int, int], tuple] = {
        (row[1], row[2]): (row[0], *row[3:])
        for row in Enrollment.objects.filter(section__school__district=ctx.district).values_list(
            "id", "student_id", "section_id", *FIELDS
        )
    }
    Teaching = Section.teachers.through
    managed_sections = set(ctx.section_by_class.values())
    teaching_ids = {
        (section_id, user_id): pk
        for pk, section_id, user_id in Teaching.objects.filter(
            section_id__in=managed_sections
        ).values_list("id", "section_id", "user_id")
    }
    teaching = set(teaching_ids)
    creates: list[tuple] = []
    updates: list[tuple] = []
    pair_row: dict[tuple[int, int], int] = {}
    seen_enrollments: set[int] = set()
    teach_add: set[tuple[int, int]] = set()
    teach_remove: set[tuple[int, int]] = set()
    teach_seen: set[tuple[int, int]] = set()

    for r in ctx.records("enrollments.csv", entity=ENTITY):
        try:
            role = map_role(r.get("role"))
        except CodeError as exc:
            ctx.reject(r, str(exc), entity=ENTITY)
            continue
        is_student = role == "student"
        is_teacher = r.get("role").lower() in TEACHER_ROLES
        if not is_student and not is_teacher:
            ctx.report.count(ENTITY, "skipped")  # administrators, proctors ...: no class access
            continue
        section_id = _section(ctx, r)
        if section_id is None:
            continue
        user = r.get("userSourcedId")
        if is_student:
            person = ctx.student_by_user.get(user)
            if person is None:
                _missing_user(ctx, r, user, "student")
                continue
        else:
            person = ctx.staff_by_user.get(user)
            if person is None:
                _missing_user(ctx, r, user, "teacher")
                continue
            pair = (section_id, person)
            teach_seen.add(pair)
            if r.deleted:
                if pair in teaching:
                    teach_remove.add(pair)
                else:
                    ctx.report.count(TEACHING, "unchanged")
            elif pair in teaching or pair in teach_add:
                ctx.report.count(TEACHING, "unchanged")
            else:
                teach_add.add(pair)
            continue
        try:
            start = parse_date(r.get("beginDate"), column="beginDate")
            end = parse_date(r.get("endDate"), column="endDate")
        except CodeError as exc:
            ctx.reject(r, str(exc), entity=ENTITY)
            continue
        if start and end and end < start:
            ctx.reject(r, f"endDate {end} is before beginDate {start}", entity=ENTITY)
            continue
        key = (person, section_id)
        if key in pair_row:
            ctx.reject(
                r,
                f"the student is already enrolled in this class on row {pair_row[key]}",
                entity=ENTITY,
            )
            continue
        pair_row[key] = r.row
        old = existing.get(key)
        target = (r.sourced_id, start, end, not r.deleted)
        if old is None:
            if r.deleted:
                ctx.report.count(ENTITY, "skipped")
                continue
            creates.append((person, section_id, r.sourced_id, start, end, True))
            continue
        seen_enrollments.add(old[0])
        if tuple(old[1:]) == target:
            ctx.report.count(ENTITY, "unchanged")
        else:
            updates.append((old[0], *target))
            ctx.report.count(ENTITY, "deactivated" if old[4] and r.deleted else "updated")

    if ctx.mode("enrollments.csv") == "bulk":
        # Absent from a bulk file = ended; only rows that came from OneRoster (sourcedId).
        for old in existing.values():
            if old[0] not in seen_enrollments and old[4] and old[1]:
                updates.append((old[0], *old[1:4], False))
                ctx.report.count(ENTITY, "deactivated")
        teach_remove |= {pair for pair in teaching if pair not in teach_seen}
    update_rows(Enrollment, FIELDS, updates)
    copy_insert(
        Enrollment,
        creates,
        columns=["student_id", "section_id", "sourced_id", "start_date", "end_date", "active"],
    )
    ctx.report.count(ENTITY, "created", len(creates))
    Teaching.objects.bulk_create(
        [Teaching(section_id=s, user_id=u) for s, u in teach_add],
        batch_size=2000,
        ignore_conflicts=True,
    )
    ctx.report.count(TEACHING, "created", len(teach_add))
    Teaching.objects.filter(pk__in=[teaching_ids[pair] for pair in teach_remove]).delete()
    ctx.report.count(TEACHING, "deactivated", len(teach_remove))


def _section(ctx: ImportContext, r: Record) -> int | None:
    cls = r.get("classSourcedId")
    section_id = ctx.section_by_class.get(cls)
    if section_id is not None:
        return section_id
    if ctx.was_deleted("classes.csv", cls):
        ctx.report.count(ENTITY, "skipped")  # the class is being deleted and was never imported
    else:
        ctx.reject(r, ctx.why_missing("classes.csv", cls, "class", "classSourcedId"), entity=ENTITY)
    return None


def _missing_user(ctx: ImportContext, r: Record, user: str, as_what: str) -> None:
    rejected_row = ctx.rejected.get("users.csv", {}).get(user)
    if ctx.was_deleted("users.csv", user):
        ctx.report.count(ENTITY, "skipped")
    elif rejected_row is not None:
        ctx.reject(
            r,
            f"userSourcedId '{user}': that user was rejected (users.csv row {rejected_row})",
            entity=ENTITY,
        )
    elif user in ctx.skipped_users:
        ctx.reject(
            r,
            f"userSourcedId '{user}' is a {ctx.skipped_users[user]} in users.csv, not a {as_what}",
            entity=ENTITY,
        )
    elif as_what == "student" and user in ctx.staff_by_user:
        ctx.reject(
            r,
            f"userSourcedId '{user}' is staff in users.csv but is enrolled as a student",
            entity=ENTITY,
        )
    elif as_what == "teacher" and user in ctx.student_by_user:
        ctx.reject(
            r,
            f"userSourcedId '{user}' is a student in users.csv but is enrolled as a {r.get('role')}",
            entity=ENTITY,
        )
    else:
        ctx.reject(r, ctx.why_missing("users.csv", user, as_what, "userSourcedId"), entity=ENTITY)
