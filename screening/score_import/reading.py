"""Bytes of an uploaded score file -> its header and rows.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first data row row 2;
a blank line still counts as a row and a quoted value spanning lines is still one row.

Decisions (docs/score-import.md):
- encodings: UTF-8 with or without BOM; UTF-16 with a BOM (Excel's "Unicode text"); else
  Windows-1252 (Excel's plain "CSV" on Windows) with a note, since what we read (IDs, codes,
  numbers, season names) is ASCII in practice and only names could come out wrong. Bytes that
  are not even Windows-1252 are refused with the line they are on.
- delimiter: sniffed from the header line among comma, semicolon, tab and pipe (European
  Excel writes semicolons); the preview says which one was used.
- a workbook (.xlsx, .xls), a PDF or any file with NUL bytes is refused by name, so the user
  knows to save as CSV instead of reading a parser error.
- broken quoting or a value longer than the csv module's field limit refuses the file: a file
  that cannot be parsed cannot be trusted row by row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from students.imports import ImportRefused

# A 150,000-row export is about 10 MB; anything far larger is not a score export.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}

SAVE_AS_CSV = "In Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)' and upload that."

# Bytes Windows-1252 leaves undefined: a file holding them is not Windows-1252 either.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def max_bytes() -> int:
    return int(getattr(settings, "SCORE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# Checked before any parsing, so a hostile shape (100,000 columns, one endless line, millions
# of rows) is refused in milliseconds instead of holding a web worker. A real score export
# has a dozen columns and lines of a few hundred characters.
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 16 * 1024
DEFAULT_MAX_ROWS = 500_000


def max_rows() -> int:
    return int(getattr(settings, "SCORE_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def check_shape(text: str, first_line: str) -> None:
    """Refuse a file whose header or size no score export has, before the CSV parser runs."""
    columns = max(first_line.count(d) for d in DELIMITERS) + 1
    if columns > MAX_COLUMNS:
        raise ImportRefused(
            f"The first row has {columns:,} columns; at most {MAX_COLUMNS} are read. Keep the "
            "student ID, the measure and score columns, and remove the rest.",
            row=1,
        )
    if len(first_line) > MAX_HEADER_CHARS:
        raise ImportRefused(
            f"The first row is {len(first_line):,} characters long; a header row of a score "
            f"export is under {MAX_HEADER_CHARS:,}. Is this the right file?",
            row=1,
        )
    rows = text.count("\n")
    if rows > max_rows():
        raise ImportRefused(
            f"The file has {rows:,} rows; at most {max_rows():,} are imported at once. Split "
            "it, for example by school."
        )


@dataclass
class ScoreFile:
    """A decoded, parsable file: its header and where its rows start."""

    text: str
    header: list[str]
    delimiter: str
    encoding: str  # "UTF-8", "UTF-16" or "Windows-1252"
    notes: list[str]

    @property
    def delimiter_name(self) -> str:
        return DELIMITERS[self.delimiter]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, values) for every non-blank data row; ImportRefused on broken CSV."""
        records = _records(self.text, self.delimiter)
        next(records, None)  # the header: the first non-blank row
        yield from records


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _kind_of_binary(data: bytes) -> str | None:
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "an Excel workbook (.xlsx) or another zip file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel workbook (.xls)"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    return None


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding name, notes) or ImportRefused with the reason in plain words."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError:
            raise ImportRefused(
                "The file says it is UTF-16 text but it is damaged. " + SAVE_AS_CSV
            ) from None
    kind = _kind_of_binary(data)
    if kind:
        raise ImportRefused(f"This is {kind}, not a CSV file. {SAVE_AS_CSV}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ImportRefused(
            f"This is not a text file (it holds a NUL byte on line {_line_of(data, nul)}). "
            f"{SAVE_AS_CSV}"
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    undefined = next((i for i, b in enumerate(data) if b in _CP1252_UNDEFINED), None)
    if undefined is not None:
        raise ImportRefused(
            f"The file is not UTF-8 text (byte 0x{data[first_bad]:02x} on line "
            f"{_line_of(data, first_bad)}) and not Windows-1252 either (byte "
            f"0x{data[undefined]:02x} on line {_line_of(data, undefined)}). {SAVE_AS_CSV}"
        )
    note = (
        "The file is not UTF-8, so it was read as Windows-1252 (what Excel's plain 'CSV' "
        f"writes; first non-UTF-8 byte on line {_line_of(data, first_bad)}). IDs, numbers and "
        "season names read the same either way; save as 'CSV UTF-8' to be sure."
    )
    return data.decode("cp1252"), "Windows-1252", [note]


def sniff_delimiter(first_line: str) -> str:
    """The candidate that splits the header line into the most columns (comma on a tie)."""
    best, best_count = ",", 1
    for candidate in DELIMITERS:
        try:
            count = len(next(csv.reader([first_line], delimiter=candidate), []))
        except csv.Error:
            continue
        if count > best_count:
            best, best_count = candidate, count
    return best


def _csv_problem(exc: csv.Error, row: int) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"Row {row}: a value is longer than {csv.field_size_limit():,} characters. This "
            'is not a score export, or a double quote (") is missing.'
        )
    if "unexpected end of data" in text or "EOF" in text:
        return (
            f'Row {row}: a quoted value is never closed (a double quote " is missing), so the '
            "rest of the file cannot be read."
        )
    if "expected after" in text:
        return (
            f'Row {row}: a double quote (") sits inside a value. Put the whole value in '
            'quotes and double the quote inside it ("").'
        )
    return f"Row {row}: the file cannot be read as CSV ({text})."


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRefused(_csv_problem(exc, number), row=number) from None
        if not values or all(not v.strip() for v in values):
            continue
        yield number, values


def read_score_file(data: bytes) -> ScoreFile:
    """Decode and check the header; rows are read later, as often as needed."""
    if len(data) == 0:
        raise ImportRefused("The file is empty (0 bytes). Export the scores again and upload.")
    if len(data) > max_bytes():
        raise ImportRefused(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes() / 1024 / 1024:.0f} MB. Split it, for example by school."
        )
    text, encoding, notes = decode(data)
    if not text.strip():
        raise ImportRefused("The file holds only blank space: it needs a header row and scores.")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    check_shape(text, first_line)
    delimiter = sniff_delimiter(first_line)
    if delimiter != ",":
        notes.append(f"Columns are separated by a {DELIMITERS[delimiter]}, not a comma.")
    header: list[str] | None = None
    for _number, values in _records(text, delimiter):
        header = [v.strip() for v in values]
        break
    if header is None:
        raise ImportRefused("The file has no header row.")
    named = [h for h in header if h]
    if len(named) < 2:
        raise ImportRefused(
            "The first row should name the columns (for example Student ID, Score), but it "
            f"has {len(named)} named column{'s' if len(named) != 1 else ''}. "
            "Is the header row missing, or is the file not a CSV?"
        )
    return ScoreFile(text=text, header=header, delimiter=delimiter, encoding=encoding, notes=notes)
