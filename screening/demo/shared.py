"""What the screening demo's steps share: COPY inserts, local percentile ranks, absences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection

from screening import risk

MISSING_SHARE = 0.03  # absent on screening day, never made up


def _copy(model: type, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Bulk insert with PostgreSQL COPY (psycopg 3)."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[c]) for c in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _local_ranks(values: np.ndarray, groups: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Percentile ranks within each group (grade): the same rule as the services' refresh."""
    frame = pd.DataFrame({"value": values, "group": groups})
    ranks = frame.groupby("group")["value"].transform(
        lambda column: risk.percentile_ranks(column, higher_is_better=higher_is_better)
    )
    return ranks.to_numpy(dtype=np.int64)
