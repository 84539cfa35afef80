"""Raw SQL reads shared by the apps' set-based selectors."""

from __future__ import annotations

from typing import Any

from django.db import connection


def fetch_dicts(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """One query's rows as dicts, keyed by the names the query gives its columns."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
