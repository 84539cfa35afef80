"""Set-based writes shared by every record type: insert in batches, update many rows in one
statement per batch. No query per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

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


def copy_insert(
    model: type[models.Model], rows: Iterable[Sequence[Any]], *, columns: Sequence[str]
) -> int:
    """Insert with PostgreSQL COPY (psycopg 3): no model instances, one stream.

    `rows` are tuples in the order of `columns` (attnames); every other concrete column is
    written too: its default, or the current time for `auto_now`/`auto_now_add` fields
    (the database has no defaults of its own). Tuples, not dicts or model instances: a
    quarter of a million enrollments should cost tens of megabytes, not hundreds.
    Returns the rows written; the caller reads new primary keys back in one query.
    """
    now = timezone.now()
    by_name = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    given = [by_name[c] for c in columns]
    rest = [f for name, f in by_name.items() if name not in columns]
    extra: list[Any] = []
    for f in rest:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            extra.append(now)
        elif f.has_default():
            extra.append(f.get_default())
        else:
            extra.append(None)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in (*given, *rest))
    count = 0
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    # psycopg raises its own errors from COPY; callers catch Django's (IntegrityError...).
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((*row, *extra))
            count += 1
    return count
