"""Set-based writes shared by the indicator importers: a temporary table filled by COPY,
then one upsert that counts created / updated / unchanged rows."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from django.db import connection


def temp_table(name: str, columns: str) -> None:
    """A temporary table dropped at the end of the import's transaction."""
    with connection.cursor() as cursor:
        # Dropped first too: an import inside a caller's transaction (tests, the demo) may
        # run twice before anything commits.
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns}) ON COMMIT DROP")


def copy_frame(table: str, frame: pd.DataFrame, columns: Sequence[str]) -> None:
    """Stream the frame's columns into the table as COPY text (tab-separated, \\N for none)."""
    if frame.empty:
        return
    buffer = io.StringIO()
    frame[list(columns)].to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N")
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(buffer.getvalue())


def delete_rows(table: str, rows: list[int]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE row = ANY(%s)", [rows])


def scalar_rows(sql: str, params: dict | None = None) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchone()


def execute(sql: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


def analyze(table: str) -> None:
    """Fresh planner statistics. A temporary table never gets any (autovacuum skips it), and a
    table an import just filled has none until autovacuum passes: without them PostgreSQL
    expects one row and picks nested loops that take minutes on a year of attendance."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
