"""What every rule module of the sweep shares: the scope it judges and how it reads rows.

The sweep (decisions/sweep.py) runs the rule modules (sweep_screening, sweep_progress); the
modules import only this, so neither imports the sweep back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from django.db import connection

from decisions.reconcile import WANTED
from mtss.lib.thresholds import Thresholds


@dataclass
class SweepScope:
    """What every rule module needs to know about the sweep it is part of."""

    district_id: int
    school_id: int | None
    as_of: date
    school_year_id: int
    year_start: date
    year_end: date
    thresholds: Thresholds
    # Existing flags of the scope (decisions.reconcile.EXISTING columns): a module that only
    # reports some students (ODR) adds rows for those with a live flag so those can resolve.
    existing: pd.DataFrame = field(default_factory=pd.DataFrame)

    def student_filter(self, alias: str = "st") -> tuple[str, dict[str, Any]]:
        """SQL condition and parameters restricting students of alias to the scope."""
        sql = f"{alias}.district_id = %(district_id)s AND {alias}.active"
        params: dict[str, Any] = {"district_id": self.district_id}
        if self.school_id is not None:
            sql += f" AND {alias}.school_id = %(school_id)s"
            params["school_id"] = self.school_id
        return sql, params


@dataclass(frozen=True)
class RuleModule:
    name: str
    kinds: tuple[str, ...]
    load: Callable[[SweepScope], Any]
    apply: Callable[[SweepScope, Any], pd.DataFrame]


def read_frame(sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """One query into a DataFrame, columns named as the query names them."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=columns)


def empty_wanted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in WANTED})
