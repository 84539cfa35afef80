"""Demo SRSS-IE ratings in the fall window, with their two screening scores each."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal

import numpy as np

from screening import reference_data, risk
from screening.demo.shared import MISSING_SHARE, _copy, _local_ranks
from screening.models.cut_scores import CutScoreSet
from screening.models.scores import BehaviorRating, ScreeningScore
from screening.models.windows import ScreeningWindow


def _seed_srss(
    rng: np.random.Generator,
    window: ScreeningWindow,
    sets: dict[str, CutScoreSet],
    students: list,
    grades: np.ndarray,
    in_middle: np.ndarray,
    behavior: np.ndarray,
    internal: np.ndarray,
    teacher_of: np.ndarray,
) -> None:
    """SRSS-IE ratings in the fall window (6-8 weeks in), with their two screening scores."""
    n = len(students)
    rated = (grades >= 0) & (grades <= 8) & (rng.random(n) >= MISSING_SHARE)
    e_keys = [k for k, _ in reference_data.SRSS_EXTERNALIZING_ITEMS]
    i_keys = [k for k, _ in reference_data.SRSS_INTERNALIZING_ITEMS]
    # Each item is 0-3: a binomial(3, p) with p rising with the student's propensity.
    p_e = 1 / (1 + np.exp(-(1.3 * behavior - 2.9)))
    p_i = 1 / (1 + np.exp(-(1.3 * internal - 3.4)))
    e_items = rng.binomial(3, np.repeat(p_e[:, None], len(e_keys), axis=1))
    i_items = rng.binomial(3, np.repeat(p_i[:, None], len(i_keys), axis=1))
    peer_rejection = e_items[:, e_keys.index(reference_data.SRSS_SECONDARY_EXTRA_INTERNALIZING)]
    e_total = e_items.sum(axis=1)
    i_total = i_items.sum(axis=1) + np.where(in_middle, peer_rejection, 0)
    when = dt.datetime.combine(window.end_date, dt.time(16, 0), tzinfo=dt.UTC)

    def rating_rows() -> Iterable[tuple]:
        for i in np.flatnonzero(rated):
            items = dict(zip(e_keys, (int(v) for v in e_items[i]), strict=True))
            items.update(zip(i_keys, (int(v) for v in i_items[i]), strict=True))
            yield (
                students[i].id,
                window.pk,
                int(teacher_of[i]) or None,
                reference_data.SRSS_INSTRUMENT,
                "secondary" if in_middle[i] else "elementary",
                json.dumps(items),
                int(e_total[i]),
                int(i_total[i]),
                when,
                when,
            )

    _copy(
        BehaviorRating,
        (
            "student_id",
            "window_id",
            "rater_id",
            "instrument_version",
            "school_level",
            "items",
            "externalizing_total",
            "internalizing_total",
            "created_at",
            "updated_at",
        ),
        rating_rows(),
    )
    rating_id = dict(BehaviorRating.objects.filter(window=window).values_list("student_id", "id"))
    e7 = sets[reference_data.SRSS_E7_CODE]
    i5 = sets[reference_data.SRSS_I5_CODE]
    i6 = sets[reference_data.SRSS_I6_CODE]
    rows_of = {s.pk: {(r.grade, r.season): r for r in s.rows.all()} for s in (e7, i5, i6)}

    taken = np.flatnonzero(rated)
    e_ranks = dict(zip(taken, _local_ranks(e_total[taken], grades[taken], False), strict=True))
    # I5 and I6 are separate measures, so separate norm groups (grade keeps them apart too,
    # except in grades where both are used; the level is folded into the group key).
    level_key = grades[taken] + 100 * in_middle[taken]
    i_ranks = dict(zip(taken, _local_ranks(i_total[taken], level_key, False), strict=True))

    def score_rows() -> Iterable[tuple]:
        for i in taken:
            grade = int(grades[i])
            for cut_set, value, pr in (
                (e7, int(e_total[i]), e_ranks[i]),
                (i6 if in_middle[i] else i5, int(i_total[i]), i_ranks[i]),
            ):
                row = rows_of[cut_set.pk].get((grade, window.season))
                level = (
                    risk.classify_criterion(value, row.benchmark, row.high_risk_cut, False).value
                    if row
                    else None
                )
                yield (
                    students[i].id,
                    cut_set.measure_id,
                    window.pk,
                    grade,
                    Decimal(value),
                    level,
                    int(pr),
                    cut_set.pk if row else None,
                    rating_id[students[i].id],
                    ScreeningScore.Source.RATING,
                    int(teacher_of[i]) or None,
                    when,
                    when,
                )

    _copy(
        ScreeningScore,
        (
            "student_id",
            "measure_id",
            "window_id",
            "grade",
            "score",
            "risk_level",
            "percentile_rank",
            "cut_score_set_id",
            "behavior_rating_id",
            "source",
            "entered_by_id",
            "entered_at",
            "updated_at",
        ),
        score_rows(),
    )
