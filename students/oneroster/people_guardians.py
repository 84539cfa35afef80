"""Family contacts from users.csv: parents, guardians and relatives, and who they belong to.

OneRoster names a family in two places, and sets in the field use either or both:
- the parent's row lists their children in `agentSourcedIds`;
- the student's row lists their parents in `agentSourcedIds`.
A link is made when either side names the other; an agent that is not a family contact (a
teacher, an unknown id) is reported as a warning and skipped, since students' agents are
also used for other adults.

Guardians are matched by sourcedId in the district; `preferredLanguage` (or
`metadata.preferredLanguage`, the standard's extension form) gives the language letters are
written in. `tobedeleted` (and, in a bulk users.csv, absence) deactivates a guardian; in a
bulk file the roster's links of the students it lists are replaced by the file's, while
links typed in by staff stay. Set-based: a few queries whatever the number of families.
"""

from __future__ import annotations

from students.models import Guardian, StudentGuardian
from students.oneroster.codes import FAMILY_ROLES, CodeError, parse_language, split_list
from students.oneroster.context import ImportContext, Record
from students.oneroster.upsert import update_rows

GUARDIANS = "family contacts"
LINKS = "family links"
GUARDIAN_FIELDS = [
    "first_name",
    "last_name",
    "relationship",
    "email",
    "phone",
    "preferred_language",
    "active",
]


def is_family_role(raw_role: str) -> bool:
    return raw_role.strip().lower() in FAMILY_ROLES


def _has_language_column(r: Record) -> bool:
    return "preferredLanguage" in r.values or "metadata.preferredLanguage" in r.values


def _language(ctx: ImportContext, r: Record) -> str:
    raw = r.get("preferredLanguage") or r.get("metadata.preferredLanguage")
    try:
        return parse_language(raw)
    except CodeError as exc:
        ctx.warn(r, f"{exc}; the contact was imported without a preferred language")
        return ""


def _values(ctx: ImportContext, r: Record, raw_role: str) -> tuple | str:
    first, last = r.get("givenName")[:100], r.get("familyName")[:100]
    if not first and not last:
        return "givenName or familyName is required for a family contact"
    return (
        first,
        last,
        raw_role.strip().lower(),
        r.get("email")[:254],
        (r.get("phone") or r.get("sms"))[:40],
        _language(ctx, r),
        True,
    )


def import_guardians(ctx: ImportContext, *, in_file: set[str]) -> None:
    district = ctx.district
    existing = {
        row[0]: row[1:]
        for row in Guardian.objects.filter(district=district)
        .exclude(sourced_id="")
        .values_list("sourced_id", "id", *GUARDIAN_FIELDS)
    }
    creates: list[Guardian] = []
    updates: list[tuple] = []
    children: dict[str, list[str]] = {}
    for r, raw_role in ctx.family_rows:
        old = existing.get(r.sourced_id)
        if r.deleted:
            if old is not None and old[-1]:
                updates.append((old[0], *old[1:-1], False))
                ctx.report.count(GUARDIANS, "deactivated")
            else:
                ctx.report.count(GUARDIANS, "skipped")
            continue
        target = _values(ctx, r, raw_role)
        if isinstance(target, str):
            ctx.reject(r, target, entity=GUARDIANS)
            continue
        if old is not None and not _has_language_column(r):
            # A file without the (optional) language column says nothing about it: keep ours.
            target = (*target[:5], old[6], *target[6:])
        children[r.sourced_id] = split_list(r.get("agentSourcedIds"))
        if old is None:
            creates.append(
                Guardian(
                    district=district,
                    sourced_id=r.sourced_id,
                    **dict(zip(GUARDIAN_FIELDS, target, strict=True)),
                )
            )
            ctx.report.count(GUARDIANS, "created")
        elif tuple(old[1:]) == target:
            ctx.report.count(GUARDIANS, "unchanged")
        else:
            updates.append((old[0], *target))
            ctx.report.count(GUARDIANS, "updated")
    # Deleted in a 1.2 set (the role rows gone too) or absent from a bulk file.
    deleted = ctx.deleted.get("users.csv", set())
    bulk = ctx.mode("users.csv") == "bulk"
    for sid, old in existing.items():
        gone = sid in deleted or (bulk and sid not in in_file)
        if gone and old[-1]:
            updates.append((old[0], *old[1:-1], False))
            ctx.report.count(GUARDIANS, "deactivated")
    update_rows(Guardian, GUARDIAN_FIELDS, updates)
    if creates:
        Guardian.objects.bulk_create(creates, batch_size=2000)
    guardian_ids = dict(
        Guardian.objects.filter(district=district, sourced_id__in=list(children)).values_list(
            "sourced_id", "id"
        )
    )
    _link(ctx, children, guardian_ids, in_file=in_file)


def _link(
    ctx: ImportContext,
    children: dict[str, list[str]],
    guardian_ids: dict[str, int],
    *,
    in_file: set[str],
) -> None:
    """Links named on either side, checked, then written: new ones added, and in a bulk file
    the roster's old links of the listed students that the file no longer names removed."""
    wanted: set[tuple[int, int]] = set()
    unknown_children: list[tuple[str, str]] = []
    not_family: list[tuple[str, str]] = []
    for gsid, kids in children.items():
        for kid in kids:
            student_id = ctx.student_by_user.get(kid)
            if student_id is None:
                unknown_children.append((gsid, kid))
            else:
                wanted.add((student_id, guardian_ids[gsid]))
    for ssid, agents in ctx.agents_of_student.items():
        student_id = ctx.student_by_user.get(ssid)
        for agent in agents:
            gid = guardian_ids.get(agent)
            if gid is None:
                if agent not in children:
                    not_family.append((ssid, agent))
            elif student_id is not None:
                wanted.add((student_id, gid))
    # One warning per kind, not per row: a SIS that lists teachers as students' agents
    # would otherwise bury the report under thousands of identical lines.
    if unknown_children:
        g, kid = unknown_children[0]
        ctx.report.warn(
            "users.csv",
            None,
            f"{len(unknown_children)} agent(s) of family contacts are not students in this "
            f"set or already imported (first: contact '{g}' lists '{kid}'); no link made",
        )
    if not_family:
        s, agent = not_family[0]
        ctx.report.warn(
            "users.csv",
            None,
            f"{len(not_family)} agent(s) of students are not parents, guardians or relatives "
            f"(first: student '{s}' lists '{agent}'); no family link made for them",
        )
    bulk = ctx.mode("users.csv") == "bulk"
    # A bulk file speaks for every student it lists; a delta only for the links it names.
    student_ids = {s for s, _ in wanted}
    if bulk:
        student_ids |= {ctx.student_by_user[s] for s in in_file if s in ctx.student_by_user}
    rows = list(
        StudentGuardian.objects.filter(student_id__in=student_ids).values_list(
            "pk", "student_id", "guardian_id", "from_roster"
        )
    )
    have = {(s, g) for _, s, g, _ in rows}
    new = [
        StudentGuardian(student_id=s, guardian_id=g, from_roster=True)
        for s, g in sorted(wanted - have)
    ]
    StudentGuardian.objects.bulk_create(new, batch_size=2000)
    if new:
        ctx.report.count(LINKS, "created", len(new))
    if bulk:
        stale = [pk for pk, s, g, roster in rows if roster and (s, g) not in wanted]
        if stale:
            StudentGuardian.objects.filter(pk__in=stale).delete()
            ctx.report.count(LINKS, "deactivated", len(stale))
