"""REST API of the screening app: measures, windows, cut-score sets, scores and referrals.

Thin views (docs/api.md): an input serializer checks shapes, a selector reads (scoped through
`students_visible_to` for anything about students), a service writes and raises field errors,
an output serializer answers.

- `measures`, `windows`, `cut-score-sets`: everyone signed in reads the reference data and
  their own districts' setup; district administrators create and change it. Reference sets are
  read-only: revising one answers 400 with the reason (copy it first).
- `screening-scores`: list / retrieve what you may see (404 otherwise); create one, or a list
  at `POST /screening-scores/bulk/`, for students you may see: a student you cannot see is a
  field error, worded exactly like a student that does not exist. Every score answers with
  `risk_level`, `percentile_rank` and `cut_score_version`.
- `referrals`: office discipline referrals, scoped the same way.

One module per resource (`measures`, `windows`, `cut_scores`, `scores`, `referrals`);
`register` adds their viewsets to the /api/v1/ router. This package re-exports their public names.
"""

from rest_framework.routers import DefaultRouter

from screening.api.cut_scores import (
    CutScoreRowChangeSerializer,
    CutScoreRowSerializer,
    CutScoreSetCopySerializer,
    CutScoreSetFilterSerializer,
    CutScoreSetInputSerializer,
    CutScoreSetOutputSerializer,
    CutScoreSetReviseSerializer,
    CutScoreSetViewSet,
)
from screening.api.measures import (
    MeasureFilterSerializer,
    MeasureInputSerializer,
    MeasureOutputSerializer,
    MeasureViewSet,
)
from screening.api.referrals import (
    ReferralFilterSerializer,
    ReferralInputSerializer,
    ReferralOutputSerializer,
    ReferralViewSet,
)
from screening.api.scores import (
    BULK_MAX,
    BulkResultSerializer,
    ScoreFilterSerializer,
    ScoreInputSerializer,
    ScoreOutputSerializer,
    ScreeningScoreViewSet,
)
from screening.api.windows import (
    WindowFilterSerializer,
    WindowInputSerializer,
    WindowOutputSerializer,
    WindowViewSet,
)

__all__ = [
    "BULK_MAX",
    "BulkResultSerializer",
    "CutScoreRowChangeSerializer",
    "CutScoreRowSerializer",
    "CutScoreSetCopySerializer",
    "CutScoreSetFilterSerializer",
    "CutScoreSetInputSerializer",
    "CutScoreSetOutputSerializer",
    "CutScoreSetReviseSerializer",
    "CutScoreSetViewSet",
    "MeasureFilterSerializer",
    "MeasureInputSerializer",
    "MeasureOutputSerializer",
    "MeasureViewSet",
    "ReferralFilterSerializer",
    "ReferralInputSerializer",
    "ReferralOutputSerializer",
    "ReferralViewSet",
    "ScoreFilterSerializer",
    "ScoreInputSerializer",
    "ScoreOutputSerializer",
    "ScreeningScoreViewSet",
    "WindowFilterSerializer",
    "WindowInputSerializer",
    "WindowOutputSerializer",
    "WindowViewSet",
    "register",
]


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("measures", MeasureViewSet, basename="measure")
    router.register("windows", WindowViewSet, basename="window")
    router.register("cut-score-sets", CutScoreSetViewSet, basename="cut-score-set")
    router.register("screening-scores", ScreeningScoreViewSet, basename="screening-score")
    router.register("referrals", ReferralViewSet, basename="referral")
