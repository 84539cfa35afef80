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

Parents, guardians, relatives, proctors and system administrators are counted, not imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from students.models import Membership, Role, School, SchoolYear, Student, User
from students.oneroster.codes import (
    RACE_COLUMNS,
    SKIP,
    STUDENT,
    TOBEDELETED,
    CodeError,
    map_role,
    parse_bool,
    parse_date,
    parse_sex,
    race_ethnicity,
    split_list,
    student_grade,
)
from students.oneroster.context import ImportContext, Record
from students.oneroster.grade_inference import NO_GRADE, InferredGrade, infer_grade
from students.oneroster.upsert import copy_insert, insert_objects, update_rows

STUDENTS = "students"
STAFF = "staff accounts"
ROLES = "staff roles"
NOT_IMPORTED = "people not imported (parents, guardians, ...)"
DEMOGRAPHICS = "demographics"

STUDENT_FIELDS = [
    "school_id",
    "local_id",
    "sourced_id",
    "first_name",
    "last_name",
    "preferred_name",
    "grade",
    "active",
    "birth_date",
    "sex",
    "race_ethnicity",
]
STAFF_FIELDS = ["username", "first_name", "last_name", "email", "sourced_id", "is_active"]


@dataclass
class RoleRow:
    record: Record
    role: str  # codes.ROLE_MAP value
    raw: str
    org: str
    primary: bool


@dataclass
class Demographics:
    record: Record
    birth_date: dt.date | None
    sex: str
    race_ethnicity: str


def read_roles(ctx: ImportContext) -> dict[str, list[RoleRow]]:
    by_user: dict[str, list[RoleRow]] = {}
    for r in ctx.records("roles.csv", entity=ROLES):
        user = r.get("userSourcedId")
        org = r.get("orgSourcedId")
        if not user or not org:
            ctx.reject(r, "userSourcedId and orgSourcedId are required", entity=ROLES)
            continue
        try:
            role = map_role(r.get("role"))
        except CodeError as exc:
            ctx.reject(r, str(exc), entity=ROLES)
            continue
        if role != SKIP and org not in ctx.school_by_org and org not in ctx.district_orgs:
            ctx.reject(
                r,
                ctx.why_missing("orgs.csv", org, "school or district", "orgSourcedId"),
                entity=ROLES,
            )
            continue
        primary = r.get("roleType").lower() == "primary"
        by_user.setdefault(user, []).append(RoleRow(r, role, r.get("role"), org, primary))
    return by_user


def read_demographics(ctx: ImportContext, *, today: dt.date) -> dict[str, Demographics]:
    out: dict[str, Demographics] = {}
    for r in ctx.records("demographics.csv", entity=DEMOGRAPHICS):
        if r.deleted:
            ctx.report.count(DEMOGRAPHICS, "skipped")
            continue
        try:
            birth = parse_date(r.get("birthDate"), column="birthDate")
            sex = parse_sex(r.get("sex"))
            races = [
                cat for column, cat in RACE_COLUMNS if parse_bool(r.get(column), column=column)
            ]
            two = parse_bool(
                r.get("demographicRaceTwoOrMoreRaces"), column="demographicRaceTwoOrMoreRaces"
            )
            hispanic = parse_bool(
                r.get("hispanicOrLatinoEthnicity"), column="hispanicOrLatinoEthnicity"
            )
        except CodeError as exc:
            ctx.reject(r, str(exc), entity=DEMOGRAPHICS)
            continue
        if birth is not None and not (dt.date(1900, 1, 1) <= birth <= today):
            ctx.reject(r, f"birthDate {birth} is not a plausible birth date", entity=DEMOGRAPHICS)
            continue
        out[r.sourced_id] = Demographics(
            r, birth, sex, race_ethnicity(hispanic=hispanic, races=races, two_or_more=two)
        )
    return out


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
    staff = _existing_staff(ctx)
    for sid, row in staff.items():
        ctx.staff_by_user[sid] = row["id"]

    table = ctx.tables.get("users.csv")
    role_column = table is not None and "role" in table.header
    creates: list[tuple] = []
    create_ids: list[str] = []
    updates: list[tuple] = []
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
            ctx.skipped_users[r.sourced_id] = staff_roles[0][0] if staff_roles else "parent"
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
        target = _student_values(
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

    if ctx.mode("users.csv") == "bulk":
        # A bulk file lists every student: one it no longer names has left the district.
        for sid, old in students.items():
            if sid not in in_file and old[8]:
                updates.append((old[0], *old[1:8], False, *old[9:]))
                ctx.report.count(STUDENTS, "deactivated")
    now = timezone.now()
    update_rows(Student, [*STUDENT_FIELDS, "updated_at"], [(*u, now) for u in updates])
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

    _apply_leftover_demographics(ctx, demographics, in_file)
    _import_staff(ctx, staff_rows, staff, students)
    _apply_role_rows_without_user(ctx, roles, in_file)


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


def _student_values(
    ctx: ImportContext,
    r: Record,
    orgs: list[str],
    old: tuple | None,
    demographics: dict[str, Demographics],
    local_seen: dict[str, int],
    id_sources: dict[str, int],
    grade_sources: GradeSources,
) -> tuple | str:
    """The student's field values in STUDENT_FIELDS order, or the reason they are unusable."""
    first, last = r.get("givenName"), r.get("familyName")
    if not first or not last:
        return "givenName and familyName are required for a student"
    preferred = r.get("preferredGivenName")
    if max(len(first), len(last), len(preferred)) > 100:
        return "a name is longer than 100 characters"
    school_id = next((ctx.school_by_org[o] for o in orgs if o in ctx.school_by_org), None)
    if school_id is None:
        if old is not None and not orgs:
            school_id = old[1]
        elif not orgs:
            return "the user has no school (orgSourcedIds is blank)"
        elif all(o in ctx.district_orgs for o in orgs):
            return (
                f"orgSourcedIds '{','.join(orgs)}' is the district; a student belongs to a school"
            )
        else:
            return ctx.why_missing("orgs.csv", orgs[0], "school", "orgSourcedIds")
    notes: list[str] = []
    if split_list(r.get("grades")):
        try:
            grade, note = student_grade(r.get("grades"))
        except CodeError as exc:
            return str(exc)
        if note:
            notes.append(note)
    elif old is not None:
        grade = old[7]  # a delta row without grades keeps the grade we have
    else:
        demo = demographics.get(r.sourced_id)
        inferred = grade_sources.infer(
            r, school_id=school_id, birth_date=demo.birth_date if demo else None
        )
        if inferred is None:
            return NO_GRADE
        grade = inferred.grade
        notes.append(inferred.note)
    for column in ("identifier", "userMasterIdentifier", "username", "sourcedId"):
        local_id = r.get(column)
        if local_id:
            id_sources[column] = id_sources.get(column, 0) + 1
            break
    if len(local_id) > 64:
        return f"the student ID '{local_id[:20]}...' is longer than 64 characters"
    if local_id in local_seen:
        return f"student ID '{local_id}' is also on users.csv row {local_seen[local_id]}"
    local_seen[local_id] = r.row
    demo = demographics.pop(r.sourced_id, None)
    if demo is not None:
        birth, sex, race = demo.birth_date, demo.sex, demo.race_ethnicity
    elif old is not None:
        birth, sex, race = old[9], old[10], old[11]
    else:
        birth, sex, race = None, "U", "unknown"
    for note in notes:
        ctx.warn(r, note)
    return (
        school_id,
        local_id,
        r.sourced_id,
        first,
        last,
        preferred,
        grade,
        True,
        birth,
        sex,
        race,
    )


class GradeSources:
    """What a student's blank grade can be inferred from (grade_inference.py), loaded once,
    on the first student who needs it: a set with every grade filled in pays nothing."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self._classes: dict[str, list[str]] | None = None
        self._spans: dict[int, tuple[int, int]] | None = None
        self._starts: dict[int, dt.date] | None = None
        self._current_start: dt.date | None = None

    def infer(
        self, r: Record, *, school_id: int | None, birth_date: dt.date | None
    ) -> InferredGrade | None:
        classes = [c for c in self.classes_of(r.sourced_id) if c in self.ctx.class_grades]
        return infer_grade(
            class_grades=[self.ctx.class_grades[c] for c in classes],
            class_names=[self.ctx.class_names.get(c, c) for c in classes],
            school_span=self.school_span(school_id),
            birth_date=birth_date,
            year_start=self.year_start(classes) if birth_date else None,
        )

    def classes_of(self, user_sid: str) -> list[str]:
        """The classes enrollments.csv puts this student in (rows still to be imported: the
        enrollments come after the users)."""
        if self._classes is None:
            self._classes = {}
            table = self.ctx.tables.get("enrollments.csv")
            for _, row in table.rows() if table is not None else ():
                if (
                    isinstance(row, dict)
                    and row.get("role", "").lower() == STUDENT
                    and row.get("status", "").lower() not in (TOBEDELETED, "inactive")
                ):
                    self._classes.setdefault(row.get("userSourcedId", ""), []).append(
                        row.get("classSourcedId", "")
                    )
        return self._classes.get(user_sid, [])

    def school_span(self, school_id: int | None) -> tuple[int, int] | None:
        """(lowest, highest) grade of a school set up before this import; a school created
        now has no span of its own yet (it is made from its students)."""
        if school_id is None or school_id in self.ctx.created_school_ids:
            return None
        if self._spans is None:
            self._spans = {
                pk: (low, high)
                for pk, low, high in School.objects.filter(district=self.ctx.district).values_list(
                    "id", "lowest_grade", "highest_grade"
                )
            }
        return self._spans.get(school_id)

    def year_start(self, classes: list[str]) -> dt.date | None:
        """First day of the school year the student's classes belong to, else of the
        district's current year, else today (the birth-date rule needs a school year)."""
        if self._starts is None:
            self._starts = {}
            for pk, start, current in SchoolYear.objects.filter(
                district=self.ctx.district
            ).values_list("id", "start_date", "is_current"):
                self._starts[pk] = start
                if current:
                    self._current_start = start
        for c in classes:
            year_id = self.ctx.class_year.get(c)
            if year_id in self._starts:
                return self._starts[year_id]
        return self._current_start or self.ctx.today or timezone.localdate()


def _apply_leftover_demographics(
    ctx: ImportContext, demographics: dict[str, Demographics], in_file: set[str]
) -> None:
    """Demographics rows for people not in this users.csv (a delta): update stored students."""
    wanted = {sid: d for sid, d in demographics.items() if sid not in in_file}
    rows = {
        row[0]: row[1:]
        for row in Student.objects.filter(
            district=ctx.district, sourced_id__in=list(wanted)
        ).values_list("sourced_id", "id", "birth_date", "sex", "race_ethnicity")
    }
    updates = []
    for sid, d in wanted.items():
        old = rows.get(sid)
        if old is None:
            if sid in ctx.skipped_users or sid in ctx.staff_by_user:
                ctx.report.count(DEMOGRAPHICS, "skipped")  # demographics of staff or parents
            else:
                ctx.reject(
                    d.record,
                    ctx.why_missing("users.csv", sid, "student", "sourcedId"),
                    entity=DEMOGRAPHICS,
                )
            continue
        target = (d.birth_date, d.sex, d.race_ethnicity)
        if tuple(old[1:]) != target:
            updates.append((old[0], *target, timezone.now()))
            ctx.report.count(STUDENTS, "updated")
    update_rows(Student, ["birth_date", "sex", "race_ethnicity", "updated_at"], updates)
    for sid in [s for s in demographics if s in in_file]:
        # users.csv had the person but not as a student (staff, parent) or rejected them.
        d = demographics[sid]
        if sid in ctx.rejected.get("users.csv", {}):
            ctx.reject(
                d.record,
                ctx.why_missing("users.csv", sid, "student", "sourcedId"),
                entity=DEMOGRAPHICS,
            )
        else:
            ctx.report.count(DEMOGRAPHICS, "skipped")


def _existing_staff(ctx: ImportContext) -> dict[str, dict]:
    """The district's staff accounts with a sourcedId (and accounts with no role anywhere,
    left over from an earlier import), by sourcedId."""
    rows = (
        User.objects.exclude(sourced_id="")
        .filter(Q(memberships__district=ctx.district) | Q(memberships__isnull=True))
        .distinct()
        .values("id", *STAFF_FIELDS)
    )
    return {row["sourced_id"]: row for row in rows}


def _import_staff(
    ctx: ImportContext,
    rows: list[tuple[Record, list[tuple[str, str]]]],
    staff: dict,
    students: dict,
) -> None:
    district = ctx.district
    wanted_names = [(r.get("username") or r.sourced_id) for r, _ in rows]
    taken = {
        u["username"]: u
        for u in User.objects.filter(username__in=wanted_names).values(
            "id", "username", "sourced_id"
        )
    }
    hand_made_ids = set(
        Membership.objects.filter(district=district, user__sourced_id="").values_list(
            "user_id", flat=True
        )
    )
    creates: list[User] = []
    create_rows: list[tuple[Record, list[tuple[str, int | None]]]] = []
    updates: list[tuple] = []
    desired: dict[int, set[tuple[str, int | None]]] = {}
    removed_users: list[int] = []
    names_seen: dict[str, int] = {}
    for r, roles in rows:
        old = staff.get(r.sourced_id)
        if old is None and r.sourced_id in students:
            ctx.reject(
                r,
                "this sourcedId is a student already; a student cannot become staff",
                entity=STAFF,
            )
            continue
        if r.deleted:
            if old is None:
                ctx.mark_deleted(r)
                ctx.report.count(STAFF, "skipped")
            else:
                removed_users.append(old["id"])
                ctx.staff_by_user[r.sourced_id] = old["id"]
            continue
        first, last = r.get("givenName"), r.get("familyName")
        if not first or not last:
            ctx.reject(r, "givenName and familyName are required", entity=STAFF)
            continue
        username = r.get("username") or r.sourced_id
        if len(username) > 150 or max(len(first), len(last)) > 150:
            ctx.reject(r, "username or a name is longer than 150 characters", entity=STAFF)
            continue
        if username in names_seen:
            ctx.reject(
                r,
                f"username '{username}' is also on users.csv row {names_seen[username]}",
                entity=STAFF,
            )
            continue
        names_seen[username] = r.row
        holder = taken.get(username)
        if holder is not None and (old is None or holder["id"] != old["id"]):
            if old is None and not holder["sourced_id"] and holder["id"] in hand_made_ids:
                old = {"id": holder["id"], **{f: None for f in STAFF_FIELDS}}  # adopt
            else:
                ctx.reject(
                    r, f"username '{username}' is already used by another account", entity=STAFF
                )
                continue
        problems: list[str] = []
        memberships = _memberships(ctx, r, roles, problems)
        if not memberships and old is None:
            ctx.reject(
                r,
                "; ".join(problems) or "the user has no school (orgSourcedIds is blank)",
                entity=STAFF,
            )
            continue
        for problem in problems:
            ctx.warn(r, problem)
        try:
            enabled = parse_bool(r.get("enabledUser"), column="enabledUser")
        except CodeError as exc:
            ctx.warn(r, f"{exc}; the account was left enabled")
            enabled = None
        email = r.get("email")[:254]
        target = (username, first, last, email, r.sourced_id, enabled is not False)
        if old is None:
            user = User(
                **dict(zip(STAFF_FIELDS, target, strict=True)), password=make_password(None)
            )
            creates.append(user)
            create_rows.append((r, memberships))
            continue
        ctx.staff_by_user[r.sourced_id] = old["id"]
        desired.setdefault(old["id"], set()).update(memberships)
        if tuple(old[f] for f in STAFF_FIELDS) == target:
            ctx.report.count(STAFF, "unchanged")
        else:
            updates.append((old["id"], *target))
            ctx.report.count(STAFF, "updated")
    update_rows(User, STAFF_FIELDS, updates)
    for user, (r, memberships) in zip(insert_objects(User, creates), create_rows, strict=True):
        ctx.staff_by_user[r.sourced_id] = user.pk
        desired[user.pk] = set(memberships)
        ctx.report.count(STAFF, "created")
    _write_memberships(ctx, desired)
    _remove_staff(ctx, removed_users)


def _memberships(
    ctx: ImportContext, r: Record, roles: list[tuple[str, str]], problems: list[str] | None = None
) -> list[tuple[str, int | None]]:
    """(role, school id or None) for each role at an org we know; the others are listed in
    `problems` when given, else reported as warnings."""
    report_to_caller = problems is not None
    problems = problems if problems is not None else []
    out: list[tuple[str, int | None]] = []
    for role, org in roles:
        if org in ctx.district_orgs:
            if role in ("administrator", Role.DISTRICT_ADMIN):
                out.append((Role.DISTRICT_ADMIN, None))
            else:
                problems.append(
                    f"a {role} role at the district org '{org}' gives no school; not imported"
                )
        elif org in ctx.school_by_org:
            school = ctx.school_by_org[org]
            if role == Role.DISTRICT_ADMIN:
                out.append((Role.DISTRICT_ADMIN, None))
            else:
                out.append((Role.SCHOOL_ADMIN if role == "administrator" else role, school))
        else:
            problems.append(ctx.why_missing("orgs.csv", org, "school", "orgSourcedIds"))
    if not report_to_caller:
        for problem in problems:
            ctx.warn(r, problem)
    return sorted(set(out), key=str)


def _write_memberships(ctx: ImportContext, desired: dict[int, set[tuple[str, int | None]]]) -> None:
    existing = set(
        Membership.objects.filter(district=ctx.district, user_id__in=list(desired)).values_list(
            "user_id", "role", "school_id"
        )
    )
    new = []
    for user_id, wanted in desired.items():
        for role, school_id in wanted:
            if (user_id, role, school_id) in existing:
                ctx.report.count(ROLES, "unchanged")
            else:
                new.append(
                    Membership(
                        user_id=user_id, role=role, district=ctx.district, school_id=school_id
                    )
                )
                ctx.report.count(ROLES, "created")
    insert_objects(Membership, new)


def _remove_staff(ctx: ImportContext, user_ids: list[int]) -> None:
    """tobedeleted staff: their roles in this district go; with no role left anywhere, the
    account is switched off. Their sections, notes and plans stay as history."""
    if not user_ids:
        return
    removed, _ = Membership.objects.filter(district=ctx.district, user_id__in=user_ids).delete()
    ctx.report.count(ROLES, "deactivated", removed)
    still_member = set(
        Membership.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    off = [uid for uid in user_ids if uid not in still_member]
    changed = User.objects.filter(pk__in=off, is_active=True).update(is_active=False)
    ctx.report.count(STAFF, "deactivated", changed)
    ctx.report.count(STAFF, "unchanged", len(user_ids) - changed)


def _apply_role_rows_without_user(
    ctx: ImportContext, roles: dict[str, list[RoleRow]], in_file: set[str]
) -> None:
    """1.2 delta: roles.csv may change a person users.csv does not repeat."""
    add: dict[int, set[tuple[str, int | None]]] = {}
    for user_sid, rows in roles.items():
        if user_sid in in_file:
            # Handled with the user; only tobedeleted role rows remain to apply.
            user_id = ctx.staff_by_user.get(user_sid)
            for row in rows:
                if row.record.deleted and user_id is not None:
                    _remove_role(ctx, user_id, row)
            continue
        user_id = ctx.staff_by_user.get(user_sid)
        for row in rows:
            if user_id is None:
                if user_sid in ctx.student_by_user or row.role in (STUDENT, SKIP):
                    ctx.report.count(ROLES, "skipped")
                else:
                    ctx.reject(
                        row.record,
                        f"userSourcedId '{user_sid}' is not in users.csv or already imported",
                        entity=ROLES,
                    )
            elif row.record.deleted:
                _remove_role(ctx, user_id, row)
            else:
                add.setdefault(user_id, set()).update(
                    _memberships(ctx, row.record, [(row.role, row.org)])
                )
    _write_memberships(ctx, add)


def _remove_role(ctx: ImportContext, user_id: int, row: RoleRow) -> None:
    for role, school_id in _memberships(ctx, row.record, [(row.role, row.org)]):
        removed, _ = Membership.objects.filter(
            district=ctx.district, user_id=user_id, role=role, school_id=school_id
        ).delete()
        ctx.report.count(ROLES, "deactivated" if removed else "unchanged")
