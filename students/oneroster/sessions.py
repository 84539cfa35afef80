"""OneRoster academicSessions (school years and their terms), the school year classes belong
to, the courses read for class names, and the district's current school year."""

from __future__ import annotations

import datetime as dt
import re

from students.models import SchoolYear
from students.oneroster.codes import (
    CodeError,
    dates_fit_school_year,
    grade_list,
    parse_date,
    school_year_name,
)
from students.oneroster.context import ImportContext, Record
from students.oneroster.upsert import insert_objects, update_rows

SESSION_TYPES = ("schoolyear", "term", "semester", "gradingperiod")


_YEAR = re.compile(r"^\d{4}$")
_YEAR_NAME = re.compile(r"^\d{4}-(\d{4})$")


def import_sessions(ctx: ImportContext) -> None:
    district = ctx.district
    years = list(
        SchoolYear.objects.filter(district=district).values(
            "id", "sourced_id", "name", "start_date", "end_date"
        )
    )
    by_sid = {y["sourced_id"]: y for y in years if y["sourced_id"]}
    by_name = {y["name"]: y for y in years}
    for y in years:
        if y["sourced_id"]:
            ctx.year_by_sid[y["sourced_id"]] = y["id"]
        m = _YEAR_NAME.match(y["name"])
        if m:
            ctx.year_by_end[int(m.group(1))] = y["id"]
    wanted: list[tuple[Record, int, dt.date, dt.date]] = []
    first_row: dict[int, int] = {}
    for r in ctx.records("academicSessions.csv", entity="school years"):
        kind = r.get("type").lower()
        if kind not in SESSION_TYPES:
            ctx.reject(
                r,
                f"type '{r.get('type')}' is not schoolYear, term, semester or gradingPeriod",
                entity="school years",
            )
            continue
        try:
            start = parse_date(r.get("startDate"), column="startDate")
            end = parse_date(r.get("endDate"), column="endDate")
        except CodeError as exc:
            ctx.reject(r, str(exc), entity="school years")
            continue
        if start is None or end is None:
            ctx.reject(r, "startDate and endDate are required", entity="school years")
            continue
        if start >= end:
            ctx.reject(r, f"startDate {start} is not before endDate {end}", entity="school years")
            continue
        year_text = r.get("schoolYear")
        if not _YEAR.match(year_text):
            ctx.reject(
                r, f"schoolYear '{year_text}' is not a year like 2024", entity="school years"
            )
            continue
        end_year = int(year_text)
        ctx.session_year[r.sourced_id] = end_year
        if not r.deleted:
            ctx.session_dates.setdefault(end_year, []).append((start, end))
        if kind != "schoolyear":
            if not r.deleted and not dates_fit_school_year(end_year, start, end):
                # Its classes go to the year its schoolYear names, whose dates then contradict
                # the name (a year called 2022-2023 running into 2024): say so.
                name = school_year_name(end_year)
                ctx.warn(
                    r,
                    f"the {r.get('type')} runs {start} to {end}, outside {name}, the school year "
                    f"its schoolYear {end_year} names (OneRoster's schoolYear is the year a "
                    f"school year ends); its classes were put in {name}: check the schoolYear "
                    "column",
                )
            ctx.report.count("terms and grading periods (not stored)", "skipped")
            continue
        if r.deleted:
            ctx.warn(r, "school years are never deleted by an import (their history stays)")
            ctx.report.count("school years", "skipped")
            continue
        if end_year in first_row:
            ctx.reject(
                r,
                f"a second schoolYear session for {end_year} (the first is on row {first_row[end_year]})",
                entity="school years",
            )
            continue
        first_row[end_year] = r.row
        if end.year != end_year:
            ctx.warn(
                r,
                f"schoolYear {end_year} means {school_year_name(end_year)} in OneRoster, but the "
                f"dates run {start} to {end}; it was imported as {school_year_name(end_year)}",
            )
        wanted.append((r, end_year, start, end))

    creates: list[SchoolYear] = []
    create_keys: list[int] = []
    updates: list[tuple] = []
    for r, end_year, start, end in wanted:
        name = school_year_name(end_year)
        existing = by_sid.get(r.sourced_id)
        if existing is None:
            same = by_name.get(name)
            if same is not None and same["sourced_id"] and same["sourced_id"] != r.sourced_id:
                ctx.reject(
                    r,
                    f"the school year {name} already exists with sourcedId '{same['sourced_id']}'",
                    entity="school years",
                )
                continue
            existing = same
        elif existing["name"] != name and name in by_name:
            ctx.reject(
                r,
                f"cannot rename to {name}: that school year already exists",
                entity="school years",
            )
            continue
        if existing is None:
            creates.append(
                SchoolYear(
                    district=district,
                    name=name,
                    sourced_id=r.sourced_id,
                    start_date=start,
                    end_date=end,
                )
            )
            create_keys.append(end_year)
            continue
        ctx.year_by_end[end_year] = existing["id"]
        ctx.year_by_sid[r.sourced_id] = existing["id"]
        current = (
            existing["name"],
            existing["sourced_id"],
            existing["start_date"],
            existing["end_date"],
        )
        target = (name, r.sourced_id, start, end)
        if current == target:
            ctx.report.count("school years", "unchanged")
        else:
            updates.append((existing["id"], *target))
            ctx.report.count("school years", "updated")
    update_rows(SchoolYear, ["name", "sourced_id", "start_date", "end_date"], updates)
    for year, end_year in zip(insert_objects(SchoolYear, creates), create_keys, strict=True):
        ctx.year_by_end[end_year] = year.pk
        ctx.year_by_sid[year.sourced_id] = year.pk
        ctx.report.count("school years", "created")


def year_for_classes(ctx: ImportContext, end_year: int, record: Record) -> int | None:
    """The SchoolYear of a class's term: from a schoolYear session, the database, or built
    from the dates of that year's terms when the set has no schoolYear session."""
    if end_year in ctx.year_by_end:
        return ctx.year_by_end[end_year]
    dates = ctx.session_dates.get(end_year)
    if not dates:
        return None
    start = min(d[0] for d in dates)
    end = max(d[1] for d in dates)
    name = school_year_name(end_year)
    # No clash on the name: year_by_end already holds every year named "YYYY-YYYY".
    year = SchoolYear.objects.create(
        district=ctx.district, name=name, start_date=start, end_date=end
    )
    ctx.year_by_end[end_year] = year.pk
    ctx.report.count("school years", "created")
    ctx.warn(
        record,
        f"academicSessions.csv has no schoolYear session for {end_year}: the school year {name} "
        f"was created from its terms ({start} to {end})",
    )
    return year.pk


def read_courses(ctx: ImportContext) -> None:
    for r in ctx.records("courses.csv", entity="courses (titles copied to classes)"):
        if r.deleted:
            ctx.report.count("courses (titles copied to classes)", "skipped")
            continue
        title = r.get("title")
        if not title:
            ctx.reject(r, "title is blank", entity="courses (titles copied to classes)")
            continue
        ctx.course_title[r.sourced_id] = title[:200]
        ctx.course_grades[r.sourced_id] = grade_list(r.get("grades"))
        ctx.report.count("courses (titles copied to classes)", "skipped")


def set_current_year(ctx: ImportContext, today: dt.date) -> None:
    """A district with no current school year gets one: the imported year containing today,
    else the latest. A district that already has one keeps it (that is an admin's choice)."""
    if (
        not ctx.year_by_end
        or SchoolYear.objects.filter(district=ctx.district, is_current=True).exists()
    ):
        return
    years = list(SchoolYear.objects.filter(pk__in=ctx.year_by_end.values()))
    containing = [y for y in years if y.start_date <= today <= y.end_date]
    chosen = containing[0] if containing else max(years, key=lambda y: y.end_date)
    SchoolYear.objects.filter(pk=chosen.pk).update(is_current=True)
    ctx.warn(
        None,
        f"{chosen.name} was made the district's current school year (it had none)",
        file="academicSessions.csv",
    )
