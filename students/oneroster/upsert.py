"""Set-based writes shared by every record type: insert in batches, update many rows in one
statement per batch. No query per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

BATCH = 2000


def insert_objects(model: type[models.Model], objects: list[models.Model]) -> list[models.Model]:
    """bulk_create in batches; PostgreSQL fills in the primary keys."""
    if not objects:
        return objects
    return model.objects.bulk_create(objects, batch_size=BATCH)


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """UPDATE ... FROM (VALUES ...) for rows of (pk, value per field), BATCH rows a statement.

    Django's bulk_update writes one CASE per field per row, which grows slow past a few
    thousand rows; a VALUES list joined on the primary key stays linear.
    """
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    cast = [f"%s::{f.db_type(connection)}" for f in (pk, *columns)]
    row_sql = "(" + ", ".join(cast) + ")"
    names = ", ".join(f'"{f.column}"' for f in (pk, *columns))
    assignments = ", ".join(f'"{f.column}" = v."{f.column}"' for f in columns)
    total = 0
    batch: list[Sequence[Any]] = []

    def flush() -> None:
        nonlocal total
        params: list[Any] = []
        for row in batch:
            params.append(row[0])
            params.extend(
                f.get_db_prep_value(value, connection)
                for f, value in zip(columns, row[1:], strict=True)
            )
        sql = (
            f'UPDATE "{meta.db_table}" AS t SET {assignments} '
            f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v({names}) "
            f'WHERE t."{pk.column}" = v."{pk.column}"'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            total += cursor.rowcount
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return total
