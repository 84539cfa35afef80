"""The data version of the dashboards' figures: a value that changes whenever a table they
count from is written, read in one small query before the figures are worked out.

Triggers (migration 0001_data_changes) add a `dashboards_datachange` row for every write
statement, in the writer's transaction. A version is, over the sources a panel reads,
(the sum of the notes' weights, the highest note id), with the database's identity:

- the sum grows with every committed write and nothing else (folding notes together keeps
  it), so two reads that give the same sum saw the same committed data: figures worked out
  after reading a version are at least as new as that version, never older;
- the highest id tells apart a state reached again after a rolled-back write (its ids are
  never handed out again), so figures worked out inside a transaction that was then rolled
  back (a test) are not served afterwards; folding keeps each source's highest id too, so
  a fold changes no version;
- the database's oid tells apart a database created again (a new test run, a restore),
  whose counters start over.

Each panel names the tables it reads (dashboards.panel_reads, checked by
tests/dashboards/test_panel_cache.py), so a flag written by a sweep leaves the tiers alone.
Screening scores and classwide flags are noted per window ("screening_screeningscore:<id>",
"decisions_flag:classwide:<id>"): a panel of a closed window is not worked out again for
every score saved in the open one and the flags its sweep writes. Other flags are noted per
school ("decisions_flag:student:<school id>", migration 0002), read as "windows" by the
equity pipeline's flags part of each school (selectors.pipeline_parts). Other tables are
noted by name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

# Tables of the counted apps that no dashboard figure reads and that are written on nearly
# every request or sweep: no trigger (tests/dashboards/test_panel_cache.py checks that every
# other table of these apps has one).
UNWATCHED = frozenset(
    {
        "decisions_rulerun",
        "decisions_settingspreview",
        "screening_scorechange",
        "students_accesslog",
        "students_apitoken",
        "students_idempotencykey",
        "students_importjob",
        "students_outboxevent",
        "students_user",
        "students_user_groups",
        "students_user_user_permissions",
    }
)
WATCHED_APPS = ("students", "screening", "indicators", "decisions", "interventions", "meetings")
# Notes beyond this many are folded into one row per source by the next reader.
COMPACT_ABOVE = 500

_READ = """
SELECT d.oid, c.source, SUM(c.weight), MAX(c.id), COUNT(c.id)
FROM pg_database d LEFT JOIN dashboards_datachange c ON TRUE
WHERE d.datname = current_database()
GROUP BY d.oid, c.source
"""
# One statement: a reader sees the notes before or after it, with the same sums and the same
# highest id per source (each folded row keeps its source's highest id), so every version is
# kept: a fold used to give every source a new id, and so every cached panel of every
# district was worked out again about once a minute on a morning of score entry.
_COMPACT = """
WITH gone AS (DELETE FROM dashboards_datachange RETURNING id, source, weight)
INSERT INTO dashboards_datachange (id, source, weight)
SELECT MAX(id), source, SUM(weight) FROM gone GROUP BY source
"""
# Any constant: only one reader folds at a time (two deleting the same rows could deadlock).
_COMPACT_LOCK = 7_231_904


Notes = tuple[int, dict[str, tuple[int, int]]]


def read_notes() -> Notes:
    """The database's oid, and per source: (sum of weights, highest note id)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        rows = cursor.fetchall()
    if sum(notes for *_, notes in rows) > COMPACT_ABOVE:
        compact()
    notes = {source: (int(total), int(last)) for _, source, total, last, _ in rows if source}
    return rows[0][0], notes


def compact() -> None:
    """Fold the notes into one row per source (same sums), when no other reader is at it.
    Only housekeeping: a reader that cannot write (a read-only transaction) leaves it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_COMPACT_LOCK])
            if cursor.fetchone()[0]:
                cursor.execute(_COMPACT)
    except DatabaseError:
        logger.warning("dashboards: could not fold the data change notes", exc_info=True)


def version(
    *,
    tables: Iterable[str],
    per_window: Iterable[str] = (),
    windows: Iterable[int] | None,
    notes: Notes | None = None,
) -> str:
    """The data version for figures read from `tables` (whole) and from the rows of `windows`
    noted under `per_window` ("screening_screeningscore", "decisions_flag:classwide": notes
    "<that>:<window id>"; None: every window); from `notes` when given (read earlier in the
    same computation), else read now."""
    database, notes = notes or read_notes()
    whole, windowed = set(tables), set(per_window)
    # A truncate is noted under the bare table name: it concerns every window.
    truncated = {prefix.split(":", 1)[0] for prefix in windowed}
    wanted = None if windows is None else {str(w) for w in windows}
    total = last = 0
    for source, (weight, note) in notes.items():
        if source.split(":", 1)[0] not in whole and source not in truncated:
            prefix, _, window = source.rpartition(":")
            if prefix not in windowed or (wanted is not None and window not in wanted):
                continue
        total += weight
        last = max(last, note)
    return f"{database}.{total}.{last}"
