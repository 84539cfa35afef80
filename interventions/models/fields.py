"""The score field plans, phases and progress scores share."""

from __future__ import annotations

from django.db import models

SCORE_DIGITS = 8
SCORE_PLACES = 2


def _score_field(**kwargs) -> models.DecimalField:
    # Same shape as screening scores: progress measures are screening.Measure rows.
    return models.DecimalField(max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES, **kwargs)
