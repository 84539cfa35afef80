"""Staff accounts from users.csv and roles.csv: accounts, one membership per role and school,
roles removed by `tobedeleted` rows (see students.oneroster.people)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from students.models import Membership, Role, User
from students.oneroster.codes import (
    SKIP,
    STUDENT,
    CodeError,
    parse_bool,
)
from students.oneroster.context import ImportContext, Record
from students.oneroster.people_rows import ROLES, STAFF, STAFF_FIELDS, RoleRow
from students.oneroster.upsert import insert_objects, update_rows


def existing_staff(ctx: ImportContext) -> dict[str, dict]:
    """The district's staff accounts with a sourcedId (and accounts with no role anywhere,
    left over from an earlier import), by sourcedId."""
    rows = (
        User.objects.exclude(sourced_id="")
        .filter(Q(memberships__district=ctx.district) | Q(memberships__isnull=True))
        .distinct()
        .values("id", *STAFF_FIELDS)
    )
    return {row["sourced_id"]: row for row in rows}


def import_staff(
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


def apply_role_rows_without_user(
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
