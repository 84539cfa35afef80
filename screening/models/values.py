"""What every screening model shares: the score decimal and the three seasons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_DIGITS = 8
SCORE_PLACES = 2


def _score_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES, **kwargs)


class Season(models.TextChoices):
    FALL = "fall", _("Fall")
    WINTER = "winter", _("Winter")
    SPRING = "spring", _("Spring")


SEASON_ORDER = {Season.FALL: 0, Season.WINTER: 1, Season.SPRING: 2}
