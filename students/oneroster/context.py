"""The state one import carries from file to file: what each sourcedId became.

Each step (orgs.py, sections.py, people.py, enrollments.py) reads its file through
`ImportContext.records`, which does the checks every OneRoster file shares (row shape,
sourcedId present and unique, status) and reports progress, then records the database ids
it produced so the next file can resolve its references without a query per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from students.imports import ImportReport, Progress
from students.models import District
from students.oneroster.codes import TOBEDELETED, CodeError, check_datetime, parse_status
from students.oneroster.reader import Manifest, Table

PROGRESS_EVERY = 1000


@dataclass
class Record:
    file: str
    row: int
    sourced_id: str
    status: str
    values: dict[str, str]

    @property
    def deleted(self) -> bool:
        return self.status == TOBEDELETED

    def get(self, column: str) -> str:
        return self.values.get(column, "") or ""


@dataclass
class ImportContext:
    district: District
    manifest: Manifest
    tables: dict[str, Table]
    report: ImportReport
    progress: Progress

    # orgs: sourcedId -> school id; the district's own org ids; rejected rows per file
    school_by_org: dict[str, int] = field(default_factory=dict)
    district_orgs: set[str] = field(default_factory=set)
    rejected: dict[str, dict[str, int]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)  # tobedeleted, never imported
    # academic sessions: sourcedId -> schoolYear (the ending year); end year -> SchoolYear id
    session_year: dict[str, int] = field(default_factory=dict)
    session_dates: dict[int, list] = field(default_factory=dict)
    year_by_end: dict[int, int] = field(default_factory=dict)
    year_by_sid: dict[str, int] = field(default_factory=dict)  # stored schoolYear sessions
    course_title: dict[str, str] = field(default_factory=dict)
    section_by_class: dict[str, int] = field(default_factory=dict)
    # What a student's blank grade can be inferred from (grade_inference.py): the grades of
    # each class (its course's when it lists none), its title and its SchoolYear id.
    course_grades: dict[str, tuple[int, ...]] = field(default_factory=dict)
    class_grades: dict[str, tuple[int, ...]] = field(default_factory=dict)
    class_names: dict[str, str] = field(default_factory=dict)
    class_year: dict[str, int] = field(default_factory=dict)
    today: dt.date | None = None
    student_by_user: dict[str, int] = field(default_factory=dict)
    staff_by_user: dict[str, int] = field(default_factory=dict)
    skipped_users: dict[str, str] = field(default_factory=dict)  # sourcedId -> role (parents)
    # Family contacts (people_guardians.py): parent/guardian/relative rows of users.csv, and
    # each student's agentSourcedIds, kept for after the students are written.
    family_rows: list[tuple[Record, str]] = field(default_factory=list)
    agents_of_student: dict[str, list[str]] = field(default_factory=dict)
    known_guardians: dict[str, str] = field(default_factory=dict)  # sourcedId -> relationship
    # school id -> grades of its students in this import (sets the span of new schools)
    grades_by_school: dict[int, set[int]] = field(default_factory=dict)
    created_school_ids: set[int] = field(default_factory=set)

    def mode(self, file: str) -> str:
        return self.manifest.mode(file)

    def has(self, file: str) -> bool:
        return file in self.tables

    def reject(
        self,
        record: Record | None,
        reason: str,
        *,
        entity: str,
        file: str = "",
        row: int | None = None,
    ) -> None:
        if record is not None:
            file, row = record.file, record.row
            self.rejected.setdefault(file, {}).setdefault(record.sourced_id, record.row)
        self.report.reject(file, row, reason, entity=entity)

    def warn(
        self, record: Record | None, message: str, *, file: str = "", row: int | None = None
    ) -> None:
        if record is not None:
            file, row = record.file, record.row
        self.report.warn(file, row, message)

    def why_missing(self, file: str, sourced_id: str, what: str, column: str) -> str:
        """The reason a reference does not resolve: rejected earlier, or unknown."""
        row = self.rejected.get(file, {}).get(sourced_id)
        if row is not None:
            return f"{column} '{sourced_id}': that {what} was rejected ({file} row {row})"
        return f"{column} '{sourced_id}' is not a {what} in {file} or already imported"

    def records(self, file: str, *, entity: str) -> Iterator[Record]:
        """The usable rows of a file; rows failing the shared checks are rejected here."""
        table = self.tables.get(file)
        if table is None:
            return
        mode = self.mode(file)
        total = table.total
        seen: dict[str, int] = {}
        done = 0
        self.progress(file, 0, total)
        for number, row in table.rows():
            done += 1
            if done % PROGRESS_EVERY == 0:
                self.progress(file, min(done, total), total)
            if isinstance(row, str):
                self.report.reject(file, number, row, entity=entity)
                continue
            sourced_id = row.get("sourcedId", "")
            if not sourced_id:
                self.report.reject(file, number, "sourcedId is blank", entity=entity)
                continue
            if len(sourced_id) > 255:
                self.report.reject(
                    file, number, "sourcedId is longer than 255 characters", entity=entity
                )
                continue
            if sourced_id in seen:
                self.report.reject(
                    file,
                    number,
                    f"sourcedId '{sourced_id}' appears twice in {file} (first on row "
                    f"{seen[sourced_id]})",
                    entity=entity,
                )
                continue
            seen[sourced_id] = number
            try:
                status, note = parse_status(row.get("status", ""), mode=mode)
            except CodeError as exc:
                self.reject(Record(file, number, sourced_id, "", row), str(exc), entity=entity)
                continue
            record = Record(file, number, sourced_id, status, row)
            if note:
                self.warn(record, note)
            if not check_datetime(row.get("dateLastModified", "")):
                self.warn(
                    record,
                    f"dateLastModified '{row['dateLastModified']}' is not a date-time; ignored",
                )
            yield record
        self.progress(file, total, total)

    def mark_deleted(self, record: Record) -> None:
        self.deleted.setdefault(record.file, set()).add(record.sourced_id)

    def was_deleted(self, file: str, sourced_id: str) -> bool:
        return sourced_id in self.deleted.get(file, set())
