"""Raw SQL reads shared by the apps' set-based selectors."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db import connection


def fetch_dicts(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """One query's rows as dicts, keyed by the names the query gives its columns."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def fetch_frame(sql: str, params: dict[str, Any], columns: list[str]) -> pd.DataFrame:
    """One query's rows as a DataFrame with `columns` (the query's columns, in its order),
    built from the row tuples: for reads of thousands of rows, a dict per row cost more
    than the query (the caseload's growth norms: 7,000 peers' rates)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=columns)
