"""Local norm groups: their advisory locks, and their percentile ranks recomputed in one UPDATE.

Decided (see docs/screening.md): percentile ranks (local norms: measure, grade, window, hence
district) are recomputed for the whole group on every save, under a transaction-level advisory
lock per group so concurrent saves cannot compute from a stale group or deadlock.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext

from screening.models.measures import Measure
from screening.models.scores import ScreeningScore
from screening.models.windows import ScreeningWindow
from students.models import District


def _group_lock_key(measure_id: int, window_id: int, grade: int) -> int:
    return zlib.crc32(f"screening-norm-group:{measure_id}:{window_id}:{grade}".encode()) - 2**31


def lock_norm_groups(groups: Iterable[tuple[int, int, int]]) -> None:
    """Serialize writers of the same norm groups until commit, in a fixed order (no deadlock).

    Groups are (measure id, window id, grade). Every score writer takes these locks, in one
    statement and sorted, before reading or writing a group; an import takes the locks of its
    whole file up front (taking a lock it already holds again costs nothing but the query).
    """
    keys = sorted({_group_lock_key(*g) for g in groups})
    if not keys:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::integer[]) AS k ORDER BY k", [keys]
        )


_REFRESH_SQL = """
WITH grp AS (
    SELECT s.id,
           s.percentile_rank AS old_pr,
           s.risk_level AS old_risk,
           rank() OVER (PARTITION BY s.measure_id, s.window_id, s.grade
                        ORDER BY CASE WHEN m.higher_is_better THEN s.score ELSE -s.score END)
               - 1 AS worse,
           count(*) OVER (PARTITION BY s.measure_id, s.window_id, s.grade, s.score) AS equal,
           count(*) OVER (PARTITION BY s.measure_id, s.window_id, s.grade) AS total,
           cs.method AS method,
           cs.high_risk_below_pr AS high_edge,
           cs.some_risk_below_pr AS some_edge
    FROM screening_screeningscore s
    JOIN screening_measure m ON m.id = s.measure_id
    LEFT JOIN screening_cutscoreset cs ON cs.id = s.cut_score_set_id
    WHERE s.window_id = ANY(%(windows)s) AND s.measure_id = ANY(%(measures)s)
      AND (s.measure_id, s.window_id, s.grade) IN (
          SELECT * FROM unnest(%(g_measures)s::integer[], %(g_windows)s::integer[],
                               %(g_grades)s::integer[]))
), ranked AS (
    -- PR = 100 (B + E/2) / N rounded half up = floor((200 (2B + E) + 2N) / 4N), clamped 1..99
    SELECT id, old_pr, old_risk, method, high_edge, some_edge,
           LEAST(99, GREATEST(1, (200 * (2 * worse + equal) + 2 * total) / (4 * total)))::int
               AS pr
    FROM grp
), banded AS (
    SELECT id, pr,
           CASE WHEN method = 'percentile' THEN
                CASE WHEN pr < high_edge THEN 'high_risk'
                     WHEN pr < some_edge THEN 'some_risk'
                     ELSE 'at_or_above' END
                ELSE old_risk END AS new_risk,
           old_pr, old_risk
    FROM ranked
)
-- Only the rows whose rank or risk moved are joined back (a save moves a few of a group's
-- thousands; the group's writers hold its lock, so old_pr/old_risk are the rows' values).
UPDATE screening_screeningscore t
SET percentile_rank = b.pr, risk_level = b.new_risk
FROM banded b
WHERE t.id = b.id
  AND (b.old_pr IS DISTINCT FROM b.pr OR b.old_risk IS DISTINCT FROM b.new_risk)
"""


def _refresh_groups(groups: Iterable[tuple[int, int, int]]) -> int:
    """Recompute PR (and percentile-method risk) of every score in these groups, in one UPDATE."""
    groups = sorted(set(groups))
    if not groups:
        return 0
    g_measures = [g[0] for g in groups]
    g_windows = [g[1] for g in groups]
    g_grades = [g[2] for g in groups]
    with connection.cursor() as cursor:
        cursor.execute(
            _REFRESH_SQL,
            {
                "windows": sorted(set(g_windows)),
                "measures": sorted(set(g_measures)),
                "g_measures": g_measures,
                "g_windows": g_windows,
                "g_grades": g_grades,
            },
        )
        return cursor.rowcount


@transaction.atomic
def percentile_ranks_refresh(
    *,
    measure: Measure,
    window: ScreeningWindow,
    district: District | None = None,
    grades: Iterable[int] | None = None,
) -> int:
    """Recompute the percentile ranks of a measure's scores in a window (all grades or some).

    A new score shifts everyone's rank in its norm group, so this runs after every save (the
    score services call it) and can be run by hand or by a sweep. The window fixes the district;
    `district`, when given, must match. Returns the number of scores whose PR or risk changed.
    """
    if district is not None and window.school_year.district_id != district.pk:
        raise ValidationError({"window": gettext("This window belongs to another district.")})
    if grades is None:
        grades = (
            ScreeningScore.objects.filter(measure=measure, window=window)
            .values_list("grade", flat=True)
            .distinct()
        )
    groups = [(measure.pk, window.pk, g) for g in grades]
    lock_norm_groups(groups)
    return _refresh_groups(groups)
