"""Demo CICO point cards: each active Check-in/Check-out plan gets a card for every progress
score of its last three weeks, its ratings spread to match the day's percentage (the score
is then set to the card's exact percentage), with check-ins, check-outs and home copies
mostly done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max

from interventions.analysis.cico import card_percent
from interventions.models import CicoCard, CicoSetup, InterventionPlan, ProgressScore
from interventions.models.cico import DEFAULT_EXPECTATIONS, DEFAULT_PERIODS


def _points(percent: float, rng, periods: int, cols: int, top: int) -> list[list[int]]:
    cells = periods * cols
    earned = max(0, min(cells * top, round(float(percent) * cells * top / 100)))
    grid = [0] * cells
    order = list(range(cells))
    rng.shuffle(order)
    for i in range(earned):
        grid[order[i % cells]] += 1
    grid = [min(v, top) for v in grid]
    return [grid[r * cols : (r + 1) * cols] for r in range(periods)]


def seed_cico(ctx: Any) -> None:
    rng = ctx.rng("cico")
    CicoSetup.objects.bulk_create(
        [
            CicoSetup(
                school_id=s.pk,
                periods=list(DEFAULT_PERIODS),
                expectations=list(DEFAULT_EXPECTATIONS),
            )
            for s in ctx.schools
        ],
        ignore_conflicts=True,
    )
    plans = InterventionPlan.objects.filter(
        student__district=ctx.district,
        status=InterventionPlan.Status.ACTIVE,
        intervention__name="Check-in/Check-out",
    )
    latest = dict(
        ProgressScore.objects.filter(plan__in=plans)
        .values("plan_id")
        .annotate(last=Max("date"))
        .values_list("plan_id", "last")
    )
    cards, scores = [], []
    for score in ProgressScore.objects.filter(plan__in=plans).order_by("plan_id", "date"):
        if score.date < latest[score.plan_id] - dt.timedelta(days=21):
            continue
        points = _points(
            float(score.score), rng, len(DEFAULT_PERIODS), len(DEFAULT_EXPECTATIONS), 2
        )
        percent = card_percent(points, 2) or Decimal("0")
        cards.append(
            CicoCard(
                plan_id=score.plan_id,
                date=score.date,
                points=points,
                max_points=2,
                checked_in=rng.random() < 0.95,
                checked_out=rng.random() < 0.9,
                home_copy_returned=rng.random() < 0.75,
                percent=percent,
            )
        )
        score.score = percent
        scores.append(score)
    CicoCard.objects.bulk_create(cards, batch_size=2000)
    ProgressScore.objects.bulk_update(scores, ["score"], batch_size=2000)
