"""Switching a district to another cut-score version: the current window's scores of the
measure are classified again under it, with the same pure rule (`risk.classify_under_set`)
the decisions app's what-if preview runs, so the preview and the switch cannot disagree.

Scores of earlier windows keep the version that classified them: a fall flag's evidence stays
the fall numbers. A score re-entered later is classified with the active version anyway.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.db import connection

from screening import risk
from screening.models.cut_scores import CutScore, CutScoreSet
from screening.models.windows import ScreeningWindow
from students.models import SchoolYear

_WINDOW_SCORES_SQL = """
SELECT s.id, s.student_id, s.grade, w.season, s.score::float8 AS score, s.percentile_rank,
       s.risk_level, s.cut_score_set_id
FROM screening_screeningscore s
JOIN students_student st ON st.id = s.student_id
JOIN screening_screeningwindow w ON w.id = s.window_id
WHERE st.district_id = %(district_id)s AND s.measure_id = %(measure_id)s
  AND s.window_id = %(window_id)s
"""

_WRITE_SQL = """
UPDATE screening_screeningscore s
SET risk_level = v.risk_level, cut_score_set_id = v.set_id, updated_at = now()
FROM (SELECT unnest(%(ids)s::bigint[]) AS id, unnest(%(levels)s::text[]) AS risk_level,
             unnest(%(sets)s::bigint[]) AS set_id) v
WHERE s.id = v.id
"""


def window_current(*, district_id: int, as_of: dt.date) -> ScreeningWindow | None:
    """The district's current screening window: the latest one of the school year of `as_of`
    that has started (the decision rules judge each student on their latest window too)."""
    year = (
        SchoolYear.objects.filter(district_id=district_id, start_date__lte=as_of)
        .order_by("-start_date")
        .first()
    )
    if year is None:
        return None
    return (
        ScreeningWindow.objects.filter(school_year=year, start_date__lte=as_of)
        .order_by("-start_date")
        .first()
    )


def set_rows_frame(cut_set: CutScoreSet) -> pd.DataFrame:
    rows = list(
        CutScore.objects.filter(cut_score_set=cut_set).values(
            "grade", "season", "benchmark", "high_risk_cut"
        )
    )
    frame = pd.DataFrame(rows, columns=["grade", "season", "benchmark", "high_risk_cut"])
    for column in ("benchmark", "high_risk_cut"):
        frame[column] = pd.to_numeric(frame[column].astype(object)).astype(float)
    return frame


def classify_frame(scores: pd.DataFrame, cut_set: CutScoreSet) -> pd.DataFrame:
    """`risk.classify_under_set` for `scores` under `cut_set`, with the set's id and version
    (None where the set does not apply)."""
    verdict = risk.classify_under_set(
        scores,
        set_rows_frame(cut_set),
        method=cut_set.method,
        higher_is_better=cut_set.measure.higher_is_better,
        high_risk_below_pr=cut_set.high_risk_below_pr,
        some_risk_below_pr=cut_set.some_risk_below_pr,
    )
    applies = verdict["applies"].to_numpy(bool)
    verdict["cut_score_set_id"] = pd.array([cut_set.pk if a else None for a in applies], "Int64")
    verdict["cut_score_version"] = pd.array(
        [cut_set.version if a else None for a in applies], "Int64"
    )
    return verdict


def window_scores(*, district_id: int, measure_id: int, window_id: int) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(
            _WINDOW_SCORES_SQL,
            {"district_id": district_id, "measure_id": measure_id, "window_id": window_id},
        )
        columns = [c.name for c in cursor.description]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def reclassify_window(*, cut_set: CutScoreSet, window: ScreeningWindow) -> int:
    """Classify the window's scores of the set's measure (in the set's district) under the set
    and write the ones whose risk level or set changed, in one UPDATE. Returns how many.
    Runs in the caller's transaction."""
    scores = window_scores(
        district_id=cut_set.district_id, measure_id=cut_set.measure_id, window_id=window.pk
    )
    if scores.empty:
        return 0
    verdict = classify_frame(scores, cut_set)
    old_level = scores["risk_level"].astype(object).where(scores["risk_level"].notna(), None)
    new_level = verdict["risk_level"]
    old_set = pd.array(scores["cut_score_set_id"].astype(object), "Int64")
    new_set = verdict["cut_score_set_id"].array
    level_changed = old_level.to_numpy(object) != new_level.to_numpy(object)
    set_changed = ~(pd.Series(old_set).fillna(-1) == pd.Series(new_set).fillna(-1)).to_numpy()
    changed = level_changed | set_changed
    if not changed.any():
        return 0
    ids = scores.loc[changed, "id"].astype("int64").tolist()
    levels = new_level.to_numpy(object)[changed].tolist()
    sets = [None if pd.isna(v) else int(v) for v in pd.Series(new_set)[changed]]
    with connection.cursor() as cursor:
        cursor.execute(_WRITE_SQL, {"ids": ids, "levels": levels, "sets": sets})
    return len(ids)
