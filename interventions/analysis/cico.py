"""CICO's arithmetic and decision rule, pure (no ORM, no clock).

The card: each period's teacher rates each expectation 0..max. The day's percentage is the
points earned over the points possible on the cells that were rated (a period the student
missed is left blank and does not count against them); nothing rated -> no percentage.

The rule (Crone, Hawken & Horner; CICO-SWIS): over the last 14 days up to the as-of date,
a day is at goal when its card earned at least the goal (80%). With at least
`cico_min_days` cards, the student at goal on at least `cico_fade_share` of them -> fade
(start moving toward self-monitoring); below -> adjust (check the card, the mentor, the
function of the behavior); fewer cards -> insufficient data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from mtss.lib import wording

WINDOW_DAYS = 14
MIN_DAYS = 5
FADE_SHARE = 0.8


def is_cico(intervention_name: str) -> bool:
    """A plan is a CICO plan when its intervention is the catalog's check-in/check-out."""
    return "check-in/check-out" in intervention_name.lower()


def card_percent(points: Sequence[Sequence[int | None]], max_points: int) -> Decimal | None:
    """Earned / possible over the rated cells, as a percentage with two decimals."""
    rated = [p for row in points for p in row if p is not None]
    if not rated:
        return None
    earned = Decimal(sum(rated)) * 100 / Decimal(len(rated) * max_points)
    return earned.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CicoJudgement:
    recommendation: str  # "fade", "adjust" or "insufficient_data"
    days_recorded: int
    days_at_goal: int
    share: float | None
    since: date
    as_of: date
    goal_percent: float

    def sentence(self) -> str:
        """The judgement in words, in the active language."""
        values = {
            "since": wording.short_day(self.since, with_year=False),
            "until": wording.short_day(self.as_of, with_year=False),
            "recorded": self.days_recorded,
            "at_goal": self.days_at_goal,
            "minimum": MIN_DAYS,
            "goal": wording.percent(wording.localized(f"{self.goal_percent:g}")),
        }
        if self.recommendation == "insufficient_data":
            return (
                _(
                    "%(recorded)s card(s) from %(since)s to %(until)s: at least %(minimum)s are "
                    "needed before the CICO rule judges."
                )
                % values
            )
        if self.recommendation == "fade":
            return (
                _(
                    "At goal (%(goal)s of points) on %(at_goal)s of %(recorded)s days from %(since)s "
                    "to %(until)s: fade CICO (move toward self-monitoring)."
                )
                % values
            )
        return (
            _(
                "At goal (%(goal)s of points) on %(at_goal)s of %(recorded)s days from %(since)s to "
                "%(until)s: adjust CICO (check the card, the check-ins and why the behavior happens)."
            )
            % values
        )


def cico_judgement(
    days: Sequence[tuple[date, float | Decimal | None]],
    *,
    as_of: date,
    goal_percent: float = 80,
    min_days: int = MIN_DAYS,
    fade_share: float = FADE_SHARE,
) -> CicoJudgement:
    since = as_of - timedelta(days=WINDOW_DAYS - 1)
    recent = [float(p) for d, p in days if since <= d <= as_of and p is not None]
    at_goal = sum(1 for p in recent if p >= goal_percent - 1e-9)
    n = len(recent)
    share = at_goal / n if n else None
    if n < min_days:
        rec = "insufficient_data"
    elif share is not None and share >= fade_share - 1e-9:
        rec = "fade"
    else:
        rec = "adjust"
    return CicoJudgement(rec, n, at_goal, share, since, as_of, float(goal_percent))
