"""users.csv (with roles.csv in 1.2 and demographics.csv) -> students and staff accounts.

Students
- matched by sourcedId in the district, else by student ID when the student was typed in by
  hand (no sourcedId yet): adopted, not duplicated;
- student ID (`local_id`) = `identifier`, else 1.2's `userMasterIdentifier`, else `username`,
  else the sourcedId (the report counts which one was used);
- grade from `grades` (one code; several -> the first, with a warning); a blank grade is
  inferred from the student's classes, school or birth date (grade_inference.py, with a
  warning), and the row is rejected only when none of them gives one; school from the first
  of the user's orgs that is a school (1.2: `primaryOrgSourcedId`, then the roles, primary
  role first);
- demographics.csv (keyed by the user's sourcedId) gives birth date, sex and the federal
  race/ethnicity category (codes.race_ethnicity);
- `tobedeleted` (and, in a bulk file, absence) sets active = False; nothing is deleted.

Staff (teacher, aide -> teacher; administrator -> school or district administrator by org;
principal, siteAdministrator -> school administrator; districtAdministrator -> district
administrator; counselor -> school team member)
- an account with an unusable password (they sign in by whatever the district sets up; no
  OneRoster password is ever read), matched by sourcedId among the district's staff;
- one membership per role and school; imports add roles and never remove one given by
  hand, except that a `tobedeleted` user or role row removes its roles in this district, and
  a user left without any role is deactivated.

Parents, guardians and relatives become the students' family contacts (people_guardians.py);
proctors and system administrators are counted, not imported.
"""

from __future__ import annotations

from django.utils import timezone

from students import slots
from students.audit import AuditContext
from students.models import Guardian, Student
from students.oneroster.codes import (
    SKIP,
    STUDENT,
    CodeError,
    map_role,
    split_list,
)
from students.oneroster.context import ImportContext, Record
from students.oneroster.people_guardians import import_guardians, is_family_role
from students.oneroster.people_rows import (
    NOT_IMPORTED,
    STUDENT_FIELDS,
    STUDENTS,
    Demographics,
    RoleRow,
    read_demographics,
    read_roles,
)
from students.oneroster.people_staff import (
    apply_role_rows_without_user,
    existing_staff,
    import_staff,
)
from students.oneroster.people_students import (
    GradeSources,
    apply_leftover_demographics,
    student_values,
)
from students.oneroster.upsert import copy_insert, update_rows

__all__ = ["Demographics", "RoleRow", "import_users", "read_demographics", "read_roles"]


def import_users(
    ctx: ImportContext, *, roles: dict[str, list[RoleRow]], demographics: dict[str, Demographics]
) -> None:
    district = ctx.district
    students = {
        row[0]: row[1:]
        for row in Student.objects.filter(district=district).values_list(
            "sourced_id", "id", *STUDENT_FIELDS
        )
    }
    by_local = {row[2]: sid for sid, row in students.items()}  # local_id -> sourced_id ("" too)
    hand_made = {row[2]: row for sid, row in students.items() if not sid}
    students = {sid: row for sid, row in students.items() if sid}
    for sid, row in students.items():
        ctx.student_by_user[sid] = row[0]
    staff = existing_staff(ctx)
    ctx.known_guardians = dict(
        Guardian.objects.filter(district=district)
        .exclude(sourced_id="")
        .values_list("sourced_id", "relationship")
    )
    for sid, row in staff.items():
        ctx.staff_by_user[sid] = row["id"]

    table = ctx.tables.get("users.csv")
    role_column = table is not None and "role" in table.header
    creates: list[tuple] = []
    create_ids: list[str] = []
    updates: list[tuple] = []
    moves: list[slots.SchoolMove] = []
    local_seen: dict[str, int] = {}
    in_file: set[str] = set()
    staff_rows: list[tuple[Record, list[tuple[str, str]]]] = []
    id_sources: dict[str, int] = {}
    grade_sources = GradeSources(ctx)

    for r in ctx.records("users.csv", entity="users"):
        in_file.add(r.sourced_id)
        kind, staff_roles, orgs, problem = _kind_of(
            ctx, r, role_column, roles.get(r.sourced_id, []), students, staff
        )
        if problem:
            ctx.reject(r, problem, entity="users")
            continue
        if kind == SKIP:
            raw_role = staff_roles[0][0] if staff_roles else "parent"
            ctx.skipped_users[r.sourced_id] = raw_role
            if is_family_role(raw_role):
                ctx.family_rows.append((r, raw_role))
            else:
                ctx.report.count(NOT_IMPORTED, "skipped")
            continue
        if kind != STUDENT:
            staff_rows.append((r, staff_roles))
            continue
        old = students.get(r.sourced_id)
        if r.deleted:
            if old is None:
                ctx.mark_deleted(r)
                ctx.report.count(STUDENTS, "skipped")
            elif old[8]:
                updates.append((old[0], *old[1:8], False, *old[9:]))
                ctx.report.count(STUDENTS, "deactivated")
            else:
                ctx.report.count(STUDENTS, "unchanged")
            continue
        agents = split_list(r.get("agentSourcedIds"))
        if agents:
            ctx.agents_of_student[r.sourced_id] = agents
        target = student_values(
            ctx, r, orgs, old, demographics, local_seen, id_sources, grade_sources
        )
        if isinstance(target, str):
            ctx.reject(r, target, entity=STUDENTS)
            continue
        local_id = target[1]
        holder = by_local.get(local_id)
        if holder is not None and holder != r.sourced_id:
            if holder == "" and old is None:
                old = hand_made[local_id]  # typed in by hand, now known to the SIS: adopt
            else:
                ctx.reject(
                    r,
                    f"student ID '{local_id}' already belongs to another student"
                    + (f" (sourcedId '{holder}')" if holder else ""),
                    entity=STUDENTS,
                )
                continue
        ctx.grades_by_school.setdefault(target[0], set()).add(target[6])
        if old is None:
            creates.append((district.pk, *target))
            create_ids.append(r.sourced_id)
            continue
        ctx.student_by_user[r.sourced_id] = old[0]
        if tuple(old[1:]) == target:
            ctx.report.count(STUDENTS, "unchanged")
        else:
            updates.append((old[0], *target))
            ctx.report.count(STUDENTS, "updated")
            if old[1] != target[0]:  # STUDENT_FIELDS starts with school_id
                moves.append(
                    slots.SchoolMove(
                        student_id=old[0],
                        from_school_id=old[1],
                        to_school_id=target[0],
                        on=ctx.today or timezone.localdate(),
                    )
                )

    if ctx.mode("users.csv") == "bulk":
        # A bulk file lists every student: one it no longer names has left the district.
        for sid, old in students.items():
            if sid not in in_file and old[8]:
                updates.append((old[0], *old[1:8], False, *old[9:]))
                ctx.report.count(STUDENTS, "deactivated")
    now = timezone.now()
    update_rows(Student, [*STUDENT_FIELDS, "updated_at"], [(*u, now) for u in updates])
    # Their live flags at the old school close in this same transaction (decisions).
    slots.students_moved(moves, audit=AuditContext.system(via="roster import"))
    if creates:
        # COPY, then the new ids in one query: 50,000 model instances cost more than the insert.
        copy_insert(Student, creates, columns=["district_id", *STUDENT_FIELDS])
        new_ids = set(create_ids)
        rows = Student.objects.filter(district=district).exclude(sourced_id="")
        for sid, pk in rows.values_list("sourced_id", "id"):
            if sid in new_ids:
                ctx.student_by_user[sid] = pk
        ctx.report.count(STUDENTS, "created", len(creates))
    if id_sources:
        ctx.report.meta["student_id_taken_from"] = id_sources

    apply_leftover_demographics(ctx, demographics, in_file)
    import_staff(ctx, staff_rows, staff, students)
    apply_role_rows_without_user(ctx, roles, in_file)
    import_guardians(ctx, in_file=in_file)


def _kind_of(
    ctx: ImportContext,
    r: Record,
    role_column: bool,
    role_rows: list[RoleRow],
    students: dict,
    staff: dict,
) -> tuple[str, list[tuple[str, str]], list[str], str]:
    """(student | staff | skip, [(role, org)] for staff, the user's orgs (students), problem)."""
    if role_column and r.get("role"):
        try:
            role = map_role(r.get("role"))
        except CodeError as exc:
            return "", [], [], str(exc)
        orgs = split_list(r.get("orgSourcedIds"))
        if role == STUDENT:
            return STUDENT, [], orgs, ""
        if role == SKIP:
            return SKIP, [(r.get("role"), "")], [], ""
        return "staff", [(role, org) for org in orgs], orgs, ""
    active_rows = [row for row in role_rows if not row.record.deleted]
    active_rows.sort(key=lambda row: not row.primary)
    if not active_rows:
        if r.sourced_id in students:
            orgs = [r.get("primaryOrgSourcedId")] if r.get("primaryOrgSourcedId") else []
            return STUDENT, [], orgs, ""
        if r.sourced_id in staff:
            return "staff", [], [], ""
        if r.sourced_id in ctx.known_guardians:
            # A family contact from an earlier import, in a 1.2 delta without roles.csv.
            return SKIP, [(ctx.known_guardians[r.sourced_id], "")], [], ""
        if r.deleted:
            return STUDENT, [], [], ""  # unknown and being deleted: skipped below
        where = "roles.csv" if ctx.has("roles.csv") else "users.csv (no role column) or roles.csv"
        return "", [], [], f"no role for this user in {where}"
    if any(row.role == STUDENT for row in active_rows):
        orgs = [r.get("primaryOrgSourcedId")] if r.get("primaryOrgSourcedId") else []
        orgs += [row.org for row in active_rows if row.role == STUDENT]
        return STUDENT, [], orgs, ""
    staff_roles = [(row.role, row.org) for row in active_rows if row.role != SKIP]
    if not staff_roles:
        return SKIP, [(active_rows[0].raw, "")], [], ""
    return "staff", staff_roles, [org for _, org in staff_roles], ""
