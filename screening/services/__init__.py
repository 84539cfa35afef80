"""Writes of the screening app, one module per sub-domain; this package re-exports them.

Pages, API, imports, admin actions and the demo call these. Every service is keyword-only and
runs in one transaction with its AccessLog rows. Field problems raise Django's ValidationError
keyed by field (the API turns it into 400 with field errors); business refusals raise
ApplicationError; a user who may not act gets PermissionDenied.

- `access`: who may change a district's setup or enter scores in a closed window;
- `values`: a typed score checked against its measure;
- `classification`, `norms`, `score_writes`: the pieces `scores` records scores with (the
  active cut-score sets, the norm groups' locks and percentile ranks, ORM or COPY inserts);
- `scores`: `score_record` and `scores_bulk_record`;
- `windows`, `measures`, `cut_scores`: a district's screening setup;
- `behavior_ratings`: SRSS-IE ratings; `referrals`: office discipline referrals.

Modules of the screening app import from the submodules; other apps use this package.
"""

from screening.services.access import (
    NOT_A_DISTRICT_ADMIN,
    STUDENT_NOT_FOUND,
    WINDOW_CLOSED,
    is_district_admin,
    may_enter_in_closed_window,
)
from screening.services.behavior_ratings import (
    RATING_OBJECT,
    SRSS_ALL_KEYS,
    SRSS_E_KEYS,
    SRSS_I_KEYS,
    behavior_rating_record,
    school_level_for,
    srss_measures,
    srss_totals,
    srss_validate_items,
)
from screening.services.cut_scores import (
    REFERENCE_READ_ONLY,
    ROW_FIELDS,
    cut_score_set_activate,
    cut_score_set_copy,
    cut_score_set_create,
    cut_score_set_next_version,
    cut_score_set_revise,
)
from screening.services.measures import (
    MEASURE_FIELDS,
    REFERENCE_MEASURE_READ_ONLY,
    measure_create,
    measure_update,
)
from screening.services.norms import lock_norm_groups, percentile_ranks_refresh
from screening.services.reclassify import (
    classify_frame,
    reclassify_window,
    window_current,
    window_scores,
)
from screening.services.referrals import REFERRAL_FIELDS, REFERRAL_OBJECT, referral_create
from screening.services.score_writes import COPY_MIN_ROWS, SCORE_OBJECT, copy_min_rows
from screening.services.scores import (
    BulkResult,
    RowError,
    ScoreInput,
    after_scores_saved,
    score_record,
    scores_bulk_record,
)
from screening.services.values import SCORE_QUANTUM, parse_score
from screening.services.windows import (
    may_set_school_dates,
    window_close,
    window_create,
    window_open,
    window_school_dates_set,
    window_update_dates,
)

__all__ = [
    "BulkResult",
    "COPY_MIN_ROWS",
    "MEASURE_FIELDS",
    "NOT_A_DISTRICT_ADMIN",
    "RATING_OBJECT",
    "REFERENCE_MEASURE_READ_ONLY",
    "REFERENCE_READ_ONLY",
    "REFERRAL_FIELDS",
    "REFERRAL_OBJECT",
    "ROW_FIELDS",
    "RowError",
    "SCORE_OBJECT",
    "SCORE_QUANTUM",
    "SRSS_ALL_KEYS",
    "SRSS_E_KEYS",
    "SRSS_I_KEYS",
    "STUDENT_NOT_FOUND",
    "ScoreInput",
    "WINDOW_CLOSED",
    "after_scores_saved",
    "behavior_rating_record",
    "classify_frame",
    "copy_min_rows",
    "cut_score_set_activate",
    "cut_score_set_copy",
    "cut_score_set_create",
    "cut_score_set_next_version",
    "cut_score_set_revise",
    "is_district_admin",
    "lock_norm_groups",
    "may_set_school_dates",
    "may_enter_in_closed_window",
    "measure_create",
    "measure_update",
    "parse_score",
    "percentile_ranks_refresh",
    "reclassify_window",
    "referral_create",
    "school_level_for",
    "score_record",
    "scores_bulk_record",
    "srss_measures",
    "srss_totals",
    "srss_validate_items",
    "window_close",
    "window_create",
    "window_current",
    "window_open",
    "window_school_dates_set",
    "window_scores",
    "window_update_dates",
]
