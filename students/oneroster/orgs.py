"""orgs.csv, academicSessions.csv and courses.csv: the district, its schools, its years.

- A `district` org is the district being imported into: its sourcedId is recorded the first
  time, and a set describing another district is refused as a whole (ImportRefused),
  even with "keep valid rows": its rows would otherwise deactivate this district's roster.
- A `school` org becomes a School (matched by sourcedId, else by exact name when that school
  has no sourcedId yet, so schools typed in by hand are adopted rather than duplicated).
- A `department` whose parent is a school is folded into that school: its classes and people
  belong to the school. A department with no school above it is imported as a school, with a
  warning (real exports put departments where schools belong).
- `local`, `state` and `national` orgs are read (so they can be parents) and not stored.
- An org whose parent is neither in orgs.csv nor already imported is imported under the
  district being imported into, with a warning ("parent org X not found; school attached to
  district Y"): real exports name parents they leave out.
- A `schoolYear` academic session becomes a SchoolYear named from its schoolYear column
  (OneRoster's ending year: 2024 -> "2023-2024"); terms, semesters and grading periods are
  counted and used only to find the school year of a class.
- Courses are not stored: their titles are copied onto the classes that name them.
"""

from __future__ import annotations

from students.imports import ImportRefused
from students.models import District, School
from students.oneroster.context import ImportContext, Record
from students.oneroster.upsert import insert_objects, update_rows

ORG_TYPES = ("district", "school", "department", "local", "state", "national")
NOT_STORED = "orgs not stored (local, state, national)"


def import_orgs(ctx: ImportContext) -> None:
    district = ctx.district
    schools = list(
        School.objects.filter(district=district).values("id", "sourced_id", "name", "active")
    )
    by_sid = {s["sourced_id"]: s for s in schools if s["sourced_id"]}
    by_name = {s["name"]: s for s in schools}
    for sid, s in by_sid.items():
        ctx.school_by_org[sid] = s["id"]
    if district.sourced_id:
        ctx.district_orgs.add(district.sourced_id)
    records = list(ctx.records("orgs.csv", entity="schools"))
    in_file = {r.sourced_id: r for r in records}

    def parent_known(parent: str) -> bool:
        return (
            not parent
            or parent in in_file
            or parent in ctx.school_by_org
            or parent in ctx.district_orgs
        )

    schools_wanted: list[tuple[Record, dict]] = []
    departments: list[Record] = []
    names_in_file: dict[str, int] = {}
    for r in records:
        kind = r.get("type").lower()
        if kind not in ORG_TYPES:
            ctx.reject(
                r,
                f"type '{r.get('type')}' is not a OneRoster org type ({', '.join(ORG_TYPES)})",
                entity="schools",
            )
            continue
        parent = r.get("parentSourcedId")
        # Real exports name parents they do not include (a state, a region, a school left
        # out of the file): the org is imported under the district being imported into, and
        # the report says so. The importer always runs for a district (the command creates
        # one when the platform has none), so a missing parent never rejects a row.
        parent_missing = not parent_known(parent)
        if kind == "district":
            if parent_missing:
                ctx.warn(r, f"parent org '{parent}' not found; the district's parent is not stored")
            _district_row(ctx, r)
        elif kind in ("local", "state", "national"):
            ctx.report.count(NOT_STORED, "skipped")
        elif kind == "department" and (
            parent in ctx.school_by_org
            or (
                parent in in_file
                and in_file[parent].get("type").lower() in ("school", "department")
            )
        ):
            departments.append(r)
        else:
            name = r.get("name")
            if not name:
                ctx.reject(r, "name is blank; a school needs a name", entity="schools")
                continue
            if len(name) > 200:
                ctx.reject(r, "name is longer than 200 characters", entity="schools")
                continue
            if name in names_in_file:
                ctx.reject(
                    r,
                    f"another org in orgs.csv (row {names_in_file[name]}) has the same name '{name}'",
                    entity="schools",
                )
                continue
            names_in_file[name] = r.row
            if parent_missing:
                ctx.warn(
                    r,
                    f"parent org '{parent}' not found; school '{name}' attached to district "
                    f"{district.name}"
                    + (
                        " (a department with no school above it is imported as a school)"
                        if kind == "department"
                        else ""
                    ),
                )
            elif kind == "department":
                ctx.warn(
                    r,
                    f"'{name}' is a department with no school above it; it was imported as a school",
                )
            schools_wanted.append((r, {"name": name}))

    creates: list[School] = []
    create_records: list[Record] = []
    updates: list[tuple] = []
    for r, wanted in schools_wanted:
        existing = by_sid.get(r.sourced_id)
        if existing is None:
            same_name = by_name.get(wanted["name"])
            if same_name is not None and not same_name["sourced_id"]:
                existing = same_name  # a school typed in by hand: adopt it
            elif same_name is not None:
                ctx.reject(
                    r,
                    f"a school named '{wanted['name']}' already exists with sourcedId "
                    f"'{same_name['sourced_id']}'",
                    entity="schools",
                )
                continue
        elif wanted["name"] != existing["name"] and wanted["name"] in by_name:
            ctx.reject(
                r,
                f"cannot rename to '{wanted['name']}': another school has that name",
                entity="schools",
            )
            continue
        if existing is None:
            if r.deleted:
                ctx.mark_deleted(r)
                ctx.report.count("schools", "skipped")
                continue
            creates.append(
                School(district=district, name=wanted["name"], sourced_id=r.sourced_id, active=True)
            )
            create_records.append(r)
            continue
        active = not r.deleted
        current = (existing["name"], existing["sourced_id"], existing["active"])
        target = (wanted["name"], r.sourced_id, active)
        ctx.school_by_org[r.sourced_id] = existing["id"]
        if current == target:
            ctx.report.count("schools", "unchanged")
            continue
        updates.append((existing["id"], *target))
        ctx.report.count(
            "schools", "deactivated" if existing["active"] and not active else "updated"
        )
    update_rows(School, ["name", "sourced_id", "active"], updates)
    for school, r in zip(insert_objects(School, creates), create_records, strict=True):
        ctx.school_by_org[r.sourced_id] = school.pk
        ctx.created_school_ids.add(school.pk)
        ctx.report.count("schools", "created")

    # Departments fold into the school above them; a chain of departments is followed up.
    pending = departments
    while pending:
        unresolved = []
        for r in pending:
            parent = r.get("parentSourcedId")
            if parent in ctx.school_by_org:
                ctx.school_by_org[r.sourced_id] = ctx.school_by_org[parent]
                ctx.report.count("departments (folded into their school)", "skipped")
            else:
                unresolved.append(r)
        if len(unresolved) == len(pending):
            for r in unresolved:
                ctx.reject(
                    r,
                    ctx.why_missing(
                        "orgs.csv", r.get("parentSourcedId"), "school", "parentSourcedId"
                    ),
                    entity="schools",
                )
            break
        pending = unresolved


def _district_row(ctx: ImportContext, r: Record) -> None:
    district = ctx.district
    if r.deleted:
        ctx.reject(r, "the district itself cannot be deleted by an import", entity="district")
        return
    if district.sourced_id == r.sourced_id:
        ctx.report.count("district", "unchanged")
        return
    if district.sourced_id or ctx.district_orgs:
        known = district.sourced_id or next(iter(ctx.district_orgs))
        raise ImportRefused(
            f"orgs.csv describes the district '{r.get('name')}' (sourcedId '{r.sourced_id}'), but "
            f"this import is for {district.name} (sourcedId '{known}'). A set for another "
            "district is refused as a whole, whatever the import options.",
            file=r.file,
            row=r.row,
        )
    if District.objects.filter(sourced_id=r.sourced_id).exclude(pk=district.pk).exists():
        raise ImportRefused(
            f"orgs.csv names the district sourcedId '{r.sourced_id}', which belongs to another "
            "district on this platform. A set for another district is refused as a whole, "
            "whatever the import options.",
            file=r.file,
            row=r.row,
        )
    District.objects.filter(pk=district.pk).update(sourced_id=r.sourced_id)
    district.sourced_id = r.sourced_id
    ctx.district_orgs.add(r.sourced_id)
    ctx.report.count("district", "updated")
