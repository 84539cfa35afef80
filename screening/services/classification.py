"""The active cut-score sets of a batch's districts, and a score's risk level under them.

Decided (see docs/screening.md): the cut-score set used is the district's active set for the
measure, else the active reference set of a reference measure; the version is stored on the
score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from screening import risk
from screening.models.cut_scores import CutScore, CutScoreSet
from screening.models.measures import Measure


@dataclass
class _Rules:
    """The active cut-score sets for some measures in one district, with their rows."""

    sets: dict[int, CutScoreSet]  # measure id -> active set
    rows: dict[tuple[int, int, str], CutScore]  # (set id, grade, season) -> row

    def set_for(self, measure_id: int) -> CutScoreSet | None:
        return self.sets.get(measure_id)

    def row_for(self, cut_set: CutScoreSet, grade: int, season: str) -> CutScore | None:
        return self.rows.get((cut_set.pk, grade, season))


def _load_rules(district_ids: set[int], measure_ids: set[int]) -> dict[int, _Rules]:
    """Per district: the active set per measure (the district's own, else the reference's)."""
    candidates = list(
        CutScoreSet.objects.filter(measure_id__in=measure_ids, is_active=True).filter(
            Q(district_id__in=district_ids) | Q(district__isnull=True)
        )
    )
    rows = {
        (r.cut_score_set_id, r.grade, r.season): r
        for r in CutScore.objects.filter(cut_score_set__in=[s.pk for s in candidates])
    }
    result = {}
    for district_id in district_ids:
        sets: dict[int, CutScoreSet] = {}
        for s in candidates:
            if s.district_id is None:
                sets.setdefault(s.measure_id, s)
        for s in candidates:
            if s.district_id == district_id:
                sets[s.measure_id] = s  # the district's own set wins over the reference
        result[district_id] = _Rules(sets=sets, rows=rows)
    return result


def _classify(
    *, rules: _Rules, measure: Measure, grade: int, season: str, value: Decimal
) -> tuple[str | None, CutScoreSet | None]:
    """Risk level and set for a criterion set; percentile sets are banded after ranking."""
    cut_set = rules.set_for(measure.pk)
    if cut_set is None:
        return None, None
    if cut_set.method == CutScoreSet.Method.PERCENTILE:
        return None, cut_set  # risk follows the PR, set in percentile_ranks_refresh
    row = rules.row_for(cut_set, grade, season)
    if row is None:
        return None, None  # no cut score for this grade and season: "no rule", not "no risk"
    level = risk.classify_criterion(
        value, row.benchmark, row.high_risk_cut, measure.higher_is_better
    )
    return level.value, cut_set
