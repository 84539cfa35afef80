"""Students from users.csv: the values of each row, the grade sources when users.csv gives
none, and demographics of students whose row did not change (see students.oneroster.people)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from students.models import School, SchoolYear, Student
from students.oneroster.codes import (
    STUDENT,
    TOBEDELETED,
    CodeError,
    split_list,
    student_grade,
)
from students.oneroster.context import ImportContext, Record
from students.oneroster.grade_inference import NO_GRADE, InferredGrade, infer_grade
from students.oneroster.people_rows import DEMOGRAPHICS, STUDENTS, Demographics
from students.oneroster.upsert import update_rows


def student_values(
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


def apply_leftover_demographics(
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
