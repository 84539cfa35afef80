"""New scores and their access-log rows, written through the ORM or, for big batches, COPY."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from screening.models.scores import ScreeningScore
from students.audit import AuditContext, actor_name, audit_detail, audit_record_many
from students.models import AccessLog, User

SCORE_OBJECT = "screening_score"

# From this many rows on, new scores and their access-log rows go in with COPY: INSERT through
# the ORM costs a model instance and a parameter set per row, which dominated big imports. A
# page's class (tens of rows) keeps the ORM path and its pinned query count.
COPY_MIN_ROWS = 2000

# The columns of a new score, in the order of the tuples `scores_bulk_record` builds.
_NEW_SCORE_COLUMNS = (
    "student_id",
    "measure_id",
    "window_id",
    "grade",
    "score",
    "risk_level",
    "cut_score_set_id",
    "behavior_rating_id",
    "source",
    "entered_by_id",
)

_NEXT_SCORE_IDS_SQL = """
SELECT nextval(pg_get_serial_sequence('screening_screeningscore', 'id'))
FROM generate_series(1, %s)
"""


def copy_min_rows() -> int:
    """Rows from which the score services write with COPY (setting SCORE_COPY_MIN_ROWS)."""
    return int(getattr(settings, "SCORE_COPY_MIN_ROWS", COPY_MIN_ROWS))


def _copy(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows (tuples in `columns` order, attnames) into the model's table.

    Every concrete column but the primary key (an identity column) must be given: the
    database has no other defaults; Django's live in Python. A failure
    is raised as Django's DatabaseError, like any query's: psycopg reports it when the COPY
    block ends, outside the wrapping Django gives cursor calls.
    """
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    missing = set(column_of) - set(columns) - {model._meta.pk.attname}
    if missing:
        raise ValueError(f"COPY into {model.__name__} lacks {sorted(missing)}")
    quote = connection.ops.quote_name
    names = ", ".join(quote(column_of[c]) for c in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _scores_insert(rows: list[tuple[Any, ...]], *, now: dt.datetime) -> list[int]:
    """Insert new scores (tuples in _NEW_SCORE_COLUMNS order); their ids, in the same order.

    Many rows: ids drawn from the table's sequence in one query, then COPY with them (no
    read-back, whose join would grow with the table). Both run in the caller's transaction,
    so a rollback takes the rows away too.
    """
    if not rows:
        return []
    if len(rows) < copy_min_rows():
        made = ScreeningScore.objects.bulk_create(
            [ScreeningScore(**dict(zip(_NEW_SCORE_COLUMNS, row, strict=True))) for row in rows],
            batch_size=2000,
        )
        return [s.pk for s in made]
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SCORE_IDS_SQL, [len(rows)])
        ids = [pk for (pk,) in cursor.fetchall()]
    _copy(
        ScreeningScore,
        ("id", *_NEW_SCORE_COLUMNS, "percentile_rank", "entered_at", "updated_at", "version"),
        ((pk, *row, None, now, now, 1) for pk, row in zip(ids, rows, strict=True)),
    )
    return ids


# What a re-entered score changes (attnames).
_UPDATED_COLUMNS = (
    "score",
    "grade",
    "risk_level",
    "cut_score_set_id",
    "entered_by_id",
    "source",
    "behavior_rating_id",
    "version",
    "updated_at",
)


def _scores_update(scores: list[ScreeningScore]) -> None:
    """Write re-entered scores back in one statement. One score (a grid box) is a plain
    UPDATE by id: bulk_update's CASE expression per column cost more CPU to build than the
    rest of the write."""
    if len(scores) == 1:
        (score,) = scores
        ScreeningScore.objects.filter(pk=score.pk).update(
            **{c: getattr(score, c) for c in _UPDATED_COLUMNS}
        )
    elif scores:
        ScreeningScore.objects.bulk_update(
            scores, [c.removesuffix("_id") for c in _UPDATED_COLUMNS], batch_size=1000
        )


def _log_scores(
    *, user: User | None, action: str, student_ids: list[int], audit: AuditContext | None
) -> None:
    """One access-log row per student whose score was created or changed.

    The same rows `audit_record_many` writes; from copy_min_rows() rows on, with COPY.
    """
    if not student_ids:
        return
    if len(student_ids) < copy_min_rows():
        audit_record_many(
            user=user,
            action=action,
            object_type=SCORE_OBJECT,
            student_ids=student_ids,
            audit=audit,
        )
        return
    ip = audit.ip if audit is not None else None
    uid = user.pk if user is not None and user.is_authenticated else None
    name = actor_name(user)
    detail = json.dumps(audit_detail(None, user, audit))
    now = timezone.now()
    _copy(
        AccessLog,
        (
            "user_id",
            "user_name",
            "at",
            "action",
            "object_type",
            "object_id",
            "student_id",
            "ip",
            "detail",
            "purpose",
        ),
        (
            (uid, name, now, action, SCORE_OBJECT, str(sid), sid, ip, detail, "")
            for sid in student_ids
        ),
    )
