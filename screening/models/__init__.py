"""Universal screening: measures, windows, versioned cut scores, scores, behavior data.

The rules (domain.md sections 1-2) live in `screening/risk.py` as pure functions; writes go
through `screening/services/`. Integrity is kept by the database: one score per student,
measure and window; one active cut-score set per district and measure; ranges checked.

Reference data (district = NULL) is shipped by a data migration and is read-only: a district
copies a reference set into its own and edits the copy (a new version each time).

One module per model family; this package re-exports them (Django finds the models here).
"""

# isort: off
# In the order the models were declared in one module, so the app registry lists them as before.
from screening.models.values import SCORE_DIGITS, SCORE_PLACES, SEASON_ORDER, Season
from screening.models.measures import Measure
from screening.models.windows import SchoolWindowDates, ScreeningWindow
from screening.models.cut_scores import CutScore, CutScoreSet
from screening.models.scores import BehaviorRating, ScoreChange, ScreeningScore
from screening.models.referrals import Referral

# isort: on

__all__ = [
    "SCORE_DIGITS",
    "SCORE_PLACES",
    "SEASON_ORDER",
    "BehaviorRating",
    "CutScore",
    "CutScoreSet",
    "Measure",
    "Referral",
    "SchoolWindowDates",
    "ScoreChange",
    "ScreeningScore",
    "ScreeningWindow",
    "Season",
]
