"""Reading an indicator CSV (calendar, attendance, marks) in chunks of pandas frames, and
the per-row checks every one of them shares, vectorised.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first data row row 2.
A file is read in chunks (CHUNK_ROWS) so a year of a district's attendance (~9 million rows)
never sits in memory whole. Every value is read as text; the checks turn bad values into
per-row reasons (`Rejects`), never into an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from students.imports import ImportRefused, ImportReport

CHUNK_ROWS = 500_000
EPOCH = np.datetime64("1970-01-01", "D")


def _normal(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read_chunks(
    path: str | Path,
    *,
    file: str,
    required: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[pd.DataFrame]:
    """Chunks with the canonical column names and a `row` column.

    `required` / `optional` map a canonical name to the header spellings accepted for it
    (compared lower-case, spaces and dashes as underscores). A missing required column, a
    file that is not UTF-8 or a broken CSV refuses the whole file."""
    optional = optional or {}
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportRefused(f"{file} could not be read as a CSV file in UTF-8 ({exc}).") from exc
    names = {_normal(c): c for c in header}
    rename: dict[str, str] = {}
    missing = []
    for canonical, spellings in {**required, **optional}.items():
        found = next((names[s] for s in (canonical, *spellings) if s in names), None)
        if found is not None:
            rename[found] = canonical
        elif canonical in required:
            missing.append(canonical)
    if missing:
        raise ImportRefused(
            f"{file} has no column {', '.join(repr(m) for m in missing)} "
            f"(its columns: {', '.join(header)}).",
            file=file,
            row=1,
        )
    try:
        reader = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            usecols=list(rename),
            chunksize=chunk_rows,
            skip_blank_lines=True,
        )
        first = 2
        for chunk in reader:
            chunk = chunk.rename(columns=rename)
            for canonical in optional:
                if canonical not in chunk:
                    chunk[canonical] = ""
            # The spreadsheet row of each line (blank lines are skipped by the parser, so
            # a file with blank lines reports the rows as counted without them).
            chunk["row"] = np.arange(first, first + len(chunk), dtype="int64")
            first += len(chunk)
            yield chunk.reset_index(drop=True)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ImportRefused(f"{file} could not be read as a CSV file in UTF-8 ({exc}).") from exc


def parse_dates(values: pd.Series) -> np.ndarray:
    """ISO dates (YYYY-MM-DD) as days since 1970 (int64); -1 where a value is not a date."""
    parsed = pd.to_datetime(values.str.strip(), format="%Y-%m-%d", errors="coerce")
    days = parsed.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = (days - EPOCH).astype("int64")
    out[pd.isna(parsed).to_numpy()] = -1
    return out


def days_to_dates(days: np.ndarray) -> np.ndarray:
    return EPOCH + days.astype("timedelta64[D]")


@dataclass
class Rejects:
    """Rows of the chunk found bad so far: the first reason per row wins."""

    size: int
    bad: np.ndarray = field(init=False)
    reasons: list[tuple[np.ndarray, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bad = np.zeros(self.size, dtype=bool)

    def add(self, mask: np.ndarray, reason) -> None:
        """`reason`: a text, or a function of the row's position giving the text."""
        new = mask & ~self.bad
        if new.any():
            self.bad |= new
            self.reasons.append((np.flatnonzero(new), reason))

    @property
    def good(self) -> np.ndarray:
        return ~self.bad

    def report(self, report: ImportReport, *, file: str, rows: np.ndarray, entity: str) -> None:
        listed = []
        for positions, reason in self.reasons:
            for p in positions.tolist():
                text = reason(p) if callable(reason) else reason
                listed.append((int(rows[p]), text))
        for row, text in sorted(listed):
            report.reject(file, row, text, entity=entity)


def duplicate_positions(keys: np.ndarray) -> np.ndarray:
    """Positions (in `keys`' order) of every repeat of a key after its first occurrence."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    repeat = np.zeros(len(keys), dtype=bool)
    repeat[1:] = ordered[1:] == ordered[:-1]
    return np.sort(order[repeat])
