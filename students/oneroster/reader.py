"""Read manifest.csv and the data files of a OneRoster set by header name.

Row numbers are counted as a spreadsheet shows them: the header is row 1, the first record
row 2, and a quoted value that spans lines is still one row.

File-level problems (not UTF-8, broken quoting, a missing required column, a 0-byte file
the manifest promises) raise ImportRefused: a file that cannot be parsed cannot be trusted
row by row. Row-level problems are returned to the caller, which rejects the row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from students.imports import ImportRefused
from students.oneroster.source import FileSet

SUPPORTED_VERSIONS = ("1.1", "1.2")
MODES = ("bulk", "delta", "absent")

# The files this importer reads, in the order they are processed (parents before children).
FILES = (
    "orgs.csv",
    "academicSessions.csv",
    "courses.csv",
    "classes.csv",
    "roles.csv",
    "users.csv",
    "demographics.csv",
    "enrollments.csv",
)
# Files of the standard that carry nothing the MTSS platform uses; counted, never read.
IGNORED_FILES = (
    "userProfiles.csv",
    "categories.csv",
    "classResources.csv",
    "courseResources.csv",
    "resources.csv",
    "lineItems.csv",
    "results.csv",
    "scoreScales.csv",
    "userResources.csv",
    "lineItemLearningObjectiveIds.csv",
    "lineItemScoreScales.csv",
    "resultLearningObjectiveIds.csv",
    "resultScoreScales.csv",
)

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "orgs.csv": ("sourcedId", "name", "type"),
    "academicSessions.csv": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    "courses.csv": ("sourcedId", "title"),
    "classes.csv": ("sourcedId", "title", "schoolSourcedId", "termSourcedIds"),
    "roles.csv": ("sourcedId", "userSourcedId", "role", "orgSourcedId"),
    "users.csv": ("sourcedId", "givenName", "familyName"),
    "demographics.csv": ("sourcedId",),
    "enrollments.csv": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
}
# 1.1 keeps a user's role and schools in users.csv; 1.2 moved them to roles.csv.
REQUIRED_COLUMNS_11 = {"users.csv": ("role", "orgSourcedIds")}

# Every column name of the files we read, so a header typed "SourcedID" still matches.
KNOWN_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "name",
    "type",
    "identifier",
    "parentSourcedId",
    "title",
    "startDate",
    "endDate",
    "schoolYear",
    "schoolYearSourcedId",
    "courseCode",
    "grades",
    "orgSourcedId",
    "subjects",
    "subjectCodes",
    "courseSourcedId",
    "classCode",
    "classType",
    "location",
    "schoolSourcedId",
    "termSourcedIds",
    "periods",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "roleType",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "password",
    "userMasterIdentifier",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
    "preferredLanguage",
    "metadata.preferredLanguage",
    "userSourcedId",
    "beginDate",
    "classSourcedId",
    "primary",
    "userProfileSourcedId",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
    "propertyName",
    "value",
]
_CANONICAL = {name.lower(): name for name in KNOWN_COLUMNS}


@dataclass
class Manifest:
    version: str
    modes: dict[str, str] = field(default_factory=dict)  # "users.csv" -> bulk / delta / absent
    properties: dict[str, str] = field(default_factory=dict)

    def mode(self, file: str) -> str:
        return self.modes.get(file, "absent")


@dataclass
class Table:
    """One CSV file, checked: header mapped to canonical names, rows counted."""

    name: str
    header: list[str]
    text: str
    total: int  # data rows, blank lines excluded

    def rows(self) -> Iterator[tuple[int, dict[str, str] | str]]:
        """(row number, values by column) for each data row, or (row number, problem)
        when the row has the wrong number of values. Blank lines are skipped."""
        width = len(self.header)
        reader = csv.reader(io.StringIO(self.text, newline=""), strict=True)
        next(reader, None)
        for number, values in enumerate(reader, start=2):
            if not values or values == [""]:
                continue
            if len(values) > width and not any(v.strip() for v in values[width:]):
                values = values[:width]  # a trailing comma is harmless
            if len(values) != width:
                yield (
                    number,
                    f"this row has {len(values)} values but the header has {width} columns "
                    "(a comma inside a value needs quotes around the value)",
                )
                continue
            yield number, {col: v.strip() for col, v in zip(self.header, values, strict=True)}


def decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}). Save or "
            "export it as UTF-8 (in Excel: 'CSV UTF-8').",
            file=name,
            row=line,
        ) from None


# Checked before the CSV parser runs: no OneRoster or student-group file has a header this
# wide, and a NUL byte would only fail later, in the database, without saying where.
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 16 * 1024


def check_shape(name: str, text: str) -> None:
    first_line = text.split("\n", 1)[0]
    columns = first_line.count(",") + 1
    if columns > MAX_COLUMNS:
        raise ImportRefused(
            f"{name}: the header has {columns:,} columns; at most {MAX_COLUMNS} are read. Is "
            "this the right file?",
            file=name,
            row=1,
        )
    if len(first_line) > MAX_HEADER_CHARS:
        raise ImportRefused(
            f"{name}: the header row is {len(first_line):,} characters long, more than the "
            f"{MAX_HEADER_CHARS:,} a header has. Is this the right file?",
            file=name,
            row=1,
        )
    nul = text.find("\0")
    if nul != -1:
        row = text.count("\n", 0, nul) + 1
        raise ImportRefused(
            f"{name} row {row}: the file holds a NUL byte (0x00), which no text file has. "
            "Export it again as CSV.",
            file=name,
            row=row,
        )


def read_table(
    name: str, data: bytes | None, *, required: tuple[str, ...] = (), allow_missing: bool = False
) -> Table | None:
    """Parse and check one file. None when it is not in the set and `allow_missing`."""
    if data is None:
        if allow_missing:
            return None
        raise ImportRefused(f"{name} is missing from the set.", file=name)
    if not data.strip():
        raise ImportRefused(
            f"{name} is empty ({len(data)} bytes): it needs at least its header row.",
            file=name,
            row=1,
        )
    text = decode(name, data)
    check_shape(name, text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    total = 0
    number = 1
    header: list[str] = []
    try:
        header = next(reader)
        for number, values in enumerate(reader, start=2):  # noqa: B007 (number used below)
            if values and values != [""]:
                total += 1
    except csv.Error as exc:
        row = number + 1 if header else 1
        raise ImportRefused(
            f"{name} row {row}: the file cannot be read as CSV ({exc}). Quotes inside a value "
            'must be doubled ("") and a quoted value must be closed.',
            file=name,
            row=row,
        ) from None
    header = [_CANONICAL.get(h.strip().lower(), h.strip()) for h in header]
    seen: set[str] = set()
    for column in header:
        if column in seen and column:
            raise ImportRefused(
                f"{name}: the column '{column}' appears twice in the header.", file=name, row=1
            )
        seen.add(column)
    missing = [c for c in required if c not in seen]
    if missing:
        raise ImportRefused(
            f"{name}: the header has no {', '.join(missing)} column"
            f"{'s' if len(missing) > 1 else ''} (found: {', '.join(header)}).",
            file=name,
            row=1,
        )
    return Table(name=name, header=header, text=text, total=total)


def read_manifest(file_set: FileSet) -> Manifest:
    data = file_set.get("manifest.csv")
    if data is None:
        raise ImportRefused(
            "The set has no manifest.csv, so its OneRoster version and which files are bulk or "
            "delta are unknown. Export the whole set again, manifest included.",
            file="manifest.csv",
        )
    table = read_table("manifest.csv", data, required=("propertyName", "value"))
    assert table is not None
    properties: dict[str, str] = {}
    for number, row in table.rows():
        if isinstance(row, str):
            raise ImportRefused(
                f"manifest.csv row {number}: {row}", file="manifest.csv", row=number
            )
        properties[row["propertyName"]] = row["value"]
    version = properties.get("oneroster.version", "").strip()
    if not version:
        raise ImportRefused(
            "manifest.csv has no oneroster.version; it must say 1.1 or 1.2.", file="manifest.csv"
        )
    if version not in SUPPORTED_VERSIONS:
        raise ImportRefused(
            f"manifest.csv says OneRoster version {version}; this importer reads versions "
            f"{' and '.join(SUPPORTED_VERSIONS)}.",
            file="manifest.csv",
        )
    modes: dict[str, str] = {}
    for key, value in properties.items():
        if not key.startswith("file."):
            continue
        mode = value.strip().lower()
        file = f"{key[len('file.') :]}.csv"
        if mode not in MODES:
            raise ImportRefused(
                f"manifest.csv: {key} is '{value}'; it must be bulk, delta or absent.",
                file="manifest.csv",
            )
        modes[_canonical_file(file)] = mode
    return Manifest(version=version, modes=modes, properties=properties)


def _canonical_file(file: str) -> str:
    for known in FILES + IGNORED_FILES:
        if known.lower() == file.lower():
            return known
    return file
