"""Screening pages: score entry, SRSS-IE class rating, completion, referrals.

Function views, one per action: a selector reads (screening/page_selectors/), a service
writes (screening/services/), a template renders. htmx fragments come from `{% partialdef %}`
blocks of the page's own template. A section, window or student outside the user's scope is a
404, never a hint that it exists.

One module per page (`entry`, `ratings`, `completion_pages`, `referrals`); this package
re-exports their public names. The profile card's data is in screening.cards.
"""

from screening.views.completion_pages import completion, completion_missing
from screening.views.entry import (
    BLANK_KEEPS_SCORE,
    GRID_VIEW_OBJECT,
    score_entry,
    score_entry_cell,
    score_entry_save,
)
from screening.views.ratings import RATING_VIEW_OBJECT, behavior_rating, behavior_rating_save
from screening.views.referrals import REFERRAL_VIEW_OBJECT, referral_list, referral_new

__all__ = [
    "BLANK_KEEPS_SCORE",
    "GRID_VIEW_OBJECT",
    "RATING_VIEW_OBJECT",
    "REFERRAL_VIEW_OBJECT",
    "behavior_rating",
    "behavior_rating_save",
    "completion",
    "completion_missing",
    "referral_list",
    "referral_new",
    "score_entry",
    "score_entry_cell",
    "score_entry_save",
]
