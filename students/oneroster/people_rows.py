"""What the people files hold: the report's entity names, the columns the import writes, and
the rows of roles.csv and demographics.csv (read by students.oneroster.people)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from students.oneroster.codes import (
    RACE_COLUMNS,
    SKIP,
    CodeError,
    map_role,
    parse_bool,
    parse_date,
    parse_sex,
    race_ethnicity,
)
from students.oneroster.context import ImportContext, Record

STUDENTS = "students"
STAFF = "staff accounts"
ROLES = "staff roles"
NOT_IMPORTED = "people not imported (proctors, system administrators)"
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
