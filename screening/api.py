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
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from mtss.lib.vocabulary import Domain, RiskLevel
from screening import selectors
from screening.models import (
    CutScoreSet,
    Measure,
    Referral,
    ScreeningScore,
    ScreeningWindow,
    Season,
)
from screening.services.access import NOT_A_DISTRICT_ADMIN, STUDENT_NOT_FOUND, is_district_admin
from screening.services.cut_scores import (
    cut_score_set_activate,
    cut_score_set_copy,
    cut_score_set_create,
    cut_score_set_revise,
)
from screening.services.measures import measure_create
from screening.services.referrals import REFERRAL_OBJECT, referral_create
from screening.services.score_writes import SCORE_OBJECT
from screening.services.scores import ScoreInput, scores_bulk_record
from screening.services.windows import window_close, window_create, window_open
from students.audit import audit_record, audit_record_many
from students.models import GRADE_MAX, GRADE_MIN, AccessLog, District, SchoolYear
from students.selectors import memberships_of, student_get_for_user

BULK_MAX = 2000

# -- who administers which district ------------------------------------------------------------


def _admin_district(user: Any, requested: int | None) -> District:
    """The district a district administrator acts on: the one asked for, or their only one."""
    if user.is_superuser:
        if requested is None:
            raise serializers.ValidationError({"district": ["Say which district."]})
        return get_object_or_404(District, pk=requested)
    ids = sorted({m.district_id for m in memberships_of(user) if m.role == "district_admin"})
    if not ids:
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    if requested is None:
        if len(ids) > 1:
            raise serializers.ValidationError({"district": ["Say which district."]})
        requested = ids[0]
    if requested not in ids:
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    return District.objects.get(pk=requested)


# -- measures --------------------------------------------------------------------------------


class MeasureOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(
        source="district_id", allow_null=True, help_text="null for shipped reference measures."
    )
    is_reference = serializers.BooleanField()
    code = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    area = serializers.ChoiceField(choices=Measure.Area.choices)
    purpose = serializers.ChoiceField(choices=Measure.Purpose.choices)
    unit = serializers.CharField()
    min_score = serializers.DecimalField(max_digits=8, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2)
    higher_is_better = serializers.BooleanField()
    lowest_grade = serializers.IntegerField()
    highest_grade = serializers.IntegerField()
    slope_tolerance = serializers.DecimalField(max_digits=6, decimal_places=2)
    instrument = serializers.CharField()
    description = serializers.CharField()
    active = serializers.BooleanField()


class MeasureInputSerializer(serializers.Serializer):
    district = serializers.IntegerField(
        required=False, help_text="Only needed when you administer several districts."
    )
    code = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=200)
    domain = serializers.ChoiceField(choices=Domain.choices)
    area = serializers.ChoiceField(choices=Measure.Area.choices, default=Measure.Area.ACADEMIC)
    purpose = serializers.ChoiceField(
        choices=Measure.Purpose.choices, default=Measure.Purpose.SCREENING
    )
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    min_score = serializers.DecimalField(max_digits=8, decimal_places=2, default=0)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2)
    higher_is_better = serializers.BooleanField(default=True)
    lowest_grade = serializers.IntegerField(min_value=GRADE_MIN, max_value=GRADE_MAX)
    highest_grade = serializers.IntegerField(min_value=GRADE_MIN, max_value=GRADE_MAX)
    slope_tolerance = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, default="0.5"
    )
    instrument = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class MeasureFilterSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    purpose = serializers.ChoiceField(choices=Measure.Purpose.choices, required=False)
    active = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Measures",
        description="Shipped reference measures and your districts' own.",
        parameters=[MeasureFilterSerializer],
        responses=MeasureOutputSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One measure", responses=MeasureOutputSerializer),
    create=extend_schema(
        summary="Add a district measure (district administrators)",
        request=MeasureInputSerializer,
        responses={201: MeasureOutputSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    ),
)
class MeasureViewSet(viewsets.GenericViewSet):
    queryset = Measure.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Measure]:
        return selectors.measures_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        filters = MeasureFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        qs = self.get_queryset().filter(**filters.validated_data)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(MeasureOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MeasureOutputSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def create(self, request: Request) -> Response:
        district_id = request.data.get("district") if isinstance(request.data, dict) else None
        district = _admin_district(request.user, _int_or_none(district_id))
        payload = MeasureInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("district", None)
        measure = measure_create(district=district, actor=request.user, **data)
        return Response(MeasureOutputSerializer(measure).data, status=status.HTTP_201_CREATED)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# -- windows -------------------------------------------------------------------------------


class WindowOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    school_year = serializers.IntegerField(source="school_year_id")
    school_year_name = serializers.CharField(source="school_year.name")
    district = serializers.IntegerField(source="school_year.district_id")
    season = serializers.ChoiceField(choices=Season.choices)
    name = serializers.CharField(source="__str__")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    is_open = serializers.BooleanField()


class WindowInputSerializer(serializers.Serializer):
    school_year = serializers.IntegerField(min_value=1)
    season = serializers.ChoiceField(choices=Season.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    is_open = serializers.BooleanField(default=False)


class WindowFilterSerializer(serializers.Serializer):
    school_year = serializers.IntegerField(required=False, min_value=1)
    season = serializers.ChoiceField(choices=Season.choices, required=False)
    is_open = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Screening windows of your districts",
        parameters=[WindowFilterSerializer],
        responses=WindowOutputSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One window", responses=WindowOutputSerializer),
    create=extend_schema(
        summary="Add a window (district administrators)",
        request=WindowInputSerializer,
        responses={201: WindowOutputSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    ),
    open=extend_schema(
        summary="Open the window to score entry", request=None, responses=WindowOutputSerializer
    ),
    close=extend_schema(
        summary="Close the window (teachers can no longer enter scores)",
        request=None,
        responses=WindowOutputSerializer,
    ),
)
class WindowViewSet(viewsets.GenericViewSet):
    queryset = ScreeningWindow.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ScreeningWindow]:
        return selectors.windows_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        filters = WindowFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        if "school_year" in f:
            qs = qs.filter(school_year_id=f["school_year"])
        if "season" in f:
            qs = qs.filter(season=f["season"])
        if "is_open" in f:
            qs = qs.filter(is_open=f["is_open"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(WindowOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(WindowOutputSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def create(self, request: Request) -> Response:
        if not request.user.is_superuser and not any(
            m.role == "district_admin" for m in memberships_of(request.user)
        ):
            raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
        payload = WindowInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        years = SchoolYear.objects.filter(pk=data.pop("school_year"))
        if not request.user.is_superuser:
            years = years.filter(district_id__in=selectors.user_district_ids(request.user))
        year = years.first()
        if year is None:
            raise serializers.ValidationError({"school_year": ["There is no such school year."]})
        window = window_create(school_year=year, actor=request.user, **data)
        return Response(WindowOutputSerializer(window).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        window = get_object_or_404(self.get_queryset(), pk=pk)
        window = window_open(window=window, actor=request.user)
        return Response(WindowOutputSerializer(window).data)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        window = get_object_or_404(self.get_queryset(), pk=pk)
        window = window_close(window=window, actor=request.user)
        return Response(WindowOutputSerializer(window).data)


# -- cut-score sets ----------------------------------------------------------------------------


class CutScoreRowSerializer(serializers.Serializer):
    grade = serializers.IntegerField(min_value=GRADE_MIN, max_value=GRADE_MAX)
    season = serializers.ChoiceField(choices=Season.choices)
    benchmark = serializers.DecimalField(max_digits=8, decimal_places=2)
    high_risk_cut = serializers.DecimalField(max_digits=8, decimal_places=2)
    p10 = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    p25 = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    p50 = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    p75 = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    p90 = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)


class CutScoreRowChangeSerializer(CutScoreRowSerializer):
    """A revision's row: give what changes; `remove: true` drops the grade and season."""

    benchmark = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    high_risk_cut = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    remove = serializers.BooleanField(required=False, default=False)


class CutScoreSetOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(
        source="district_id", allow_null=True, help_text="null for read-only reference sets."
    )
    is_reference = serializers.BooleanField()
    measure = serializers.IntegerField(source="measure_id")
    measure_name = serializers.CharField(source="measure.name")
    higher_is_better = serializers.BooleanField(source="measure.higher_is_better")
    name = serializers.CharField()
    version = serializers.IntegerField()
    method = serializers.ChoiceField(choices=CutScoreSet.Method.choices)
    high_risk_below_pr = serializers.IntegerField()
    some_risk_below_pr = serializers.IntegerField()
    based_on = serializers.IntegerField(source="based_on_id", allow_null=True)
    is_active = serializers.BooleanField()
    source = serializers.CharField()
    notes = serializers.CharField()
    created_at = serializers.DateTimeField()
    rows = CutScoreRowSerializer(many=True, source="rows.all")


class CutScoreSetInputSerializer(serializers.Serializer):
    district = serializers.IntegerField(required=False)
    measure = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(
        choices=CutScoreSet.Method.choices, default=CutScoreSet.Method.CRITERION
    )
    high_risk_below_pr = serializers.IntegerField(min_value=1, max_value=99, default=10)
    some_risk_below_pr = serializers.IntegerField(min_value=1, max_value=99, default=25)
    source = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    rows = CutScoreRowSerializer(many=True, required=False, default=list)


class CutScoreSetReviseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=CutScoreSet.Method.choices, required=False)
    high_risk_below_pr = serializers.IntegerField(min_value=1, max_value=99, required=False)
    some_risk_below_pr = serializers.IntegerField(min_value=1, max_value=99, required=False)
    rows = CutScoreRowChangeSerializer(many=True, required=False, default=list)


class CutScoreSetCopySerializer(serializers.Serializer):
    district = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=200, required=False)


class CutScoreSetFilterSerializer(serializers.Serializer):
    measure = serializers.IntegerField(required=False, min_value=1)
    reference = serializers.BooleanField(required=False, help_text="true: shipped sets only.")
    is_active = serializers.BooleanField(required=False)


def _row_dicts(rows: list[dict]) -> list[dict]:
    return [dict(row) for row in rows]


@extend_schema_view(
    list=extend_schema(
        summary="Cut-score sets (every version), with their rows",
        parameters=[CutScoreSetFilterSerializer],
        responses=CutScoreSetOutputSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One cut-score set", responses=CutScoreSetOutputSerializer),
    create=extend_schema(
        summary="A new set for your district; it becomes the active version",
        request=CutScoreSetInputSerializer,
        responses={
            201: CutScoreSetOutputSerializer,
            400: OpenApiResponse(),
            403: OpenApiResponse(),
        },
    ),
    copy=extend_schema(
        summary="Copy a set (a reference set, say) into your district as its active version",
        request=CutScoreSetCopySerializer,
        responses={201: CutScoreSetOutputSerializer, 403: OpenApiResponse()},
    ),
    revise=extend_schema(
        summary="Edit a set: makes version + 1, active; the old version is kept as it was",
        request=CutScoreSetReviseSerializer,
        responses={
            201: CutScoreSetOutputSerializer,
            400: OpenApiResponse(description="Field errors, or: reference sets are read-only."),
            403: OpenApiResponse(),
        },
    ),
    activate=extend_schema(
        summary="Make this version the active one again",
        request=None,
        responses=CutScoreSetOutputSerializer,
    ),
)
class CutScoreSetViewSet(viewsets.GenericViewSet):
    queryset = CutScoreSet.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[CutScoreSet]:
        return selectors.cut_score_sets_visible_to(self.request.user).prefetch_related("rows")

    def list(self, request: Request) -> Response:
        filters = CutScoreSetFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        if "measure" in f:
            qs = qs.filter(measure_id=f["measure"])
        if "reference" in f:
            qs = qs.filter(district__isnull=f["reference"])
        if "is_active" in f:
            qs = qs.filter(is_active=f["is_active"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CutScoreSetOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        cut_set = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(CutScoreSetOutputSerializer(cut_set).data)

    def _fresh(self, cut_set: CutScoreSet) -> Response:
        cut_set = self.get_queryset().get(pk=cut_set.pk)
        return Response(CutScoreSetOutputSerializer(cut_set).data, status=status.HTTP_201_CREATED)

    def create(self, request: Request) -> Response:
        district_id = request.data.get("district") if isinstance(request.data, dict) else None
        district = _admin_district(request.user, _int_or_none(district_id))
        payload = CutScoreSetInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("district", None)
        measure = (
            selectors.measures_for_district(district.pk, active_only=False)
            .filter(pk=data.pop("measure"))
            .first()
        )
        if measure is None:
            raise serializers.ValidationError({"measure": ["There is no such measure."]})
        cut_set = cut_score_set_create(
            district=district,
            measure=measure,
            actor=request.user,
            rows=_row_dicts(data.pop("rows")),
            **data,
        )
        return self._fresh(cut_set)

    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str) -> Response:
        source = get_object_or_404(self.get_queryset(), pk=pk)
        payload = CutScoreSetCopySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        district = _admin_district(
            request.user, payload.validated_data.get("district", source.district_id)
        )
        cut_set = cut_score_set_copy(
            source=source,
            district=district,
            actor=request.user,
            name=payload.validated_data.get("name"),
        )
        return self._fresh(cut_set)

    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str) -> Response:
        cut_set = get_object_or_404(self.get_queryset(), pk=pk)
        if not cut_set.is_reference and not is_district_admin(request.user, cut_set.district_id):
            raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
        payload = CutScoreSetReviseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        new = cut_score_set_revise(
            cut_score_set=cut_set,
            actor=request.user,
            rows=_row_dicts(data.pop("rows")),
            **data,
        )
        return self._fresh(new)

    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str) -> Response:
        cut_set = get_object_or_404(self.get_queryset(), pk=pk)
        cut_set = cut_score_set_activate(cut_score_set=cut_set, actor=request.user)
        return Response(CutScoreSetOutputSerializer(self.get_queryset().get(pk=cut_set.pk)).data)


# -- scores --------------------------------------------------------------------------------


class ScoreOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id")
    measure = serializers.IntegerField(source="measure_id")
    window = serializers.IntegerField(source="window_id")
    grade = serializers.IntegerField(help_text="The student's grade when screened.")
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices,
        allow_null=True,
        help_text="null when no cut score applies to this grade and season (no rule, not no risk).",
    )
    percentile_rank = serializers.IntegerField(
        allow_null=True, help_text="1-99 among the district's scores of this grade and window."
    )
    cut_score_set = serializers.IntegerField(source="cut_score_set_id", allow_null=True)
    cut_score_version = serializers.IntegerField(allow_null=True)
    source = serializers.ChoiceField(choices=ScreeningScore.Source.choices)
    entered_by = serializers.IntegerField(source="entered_by_id", allow_null=True)
    entered_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ScoreInputSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1)
    measure = serializers.IntegerField(min_value=1)
    window = serializers.IntegerField(min_value=1)
    # A string or a number; the service checks it against the measure's range with a message
    # a teacher can read ("ORF scores go from 0 to 300; 450 is outside that range.").
    score = serializers.CharField(allow_blank=True, allow_null=True, max_length=40)


class ScoreFilterSerializer(serializers.Serializer):
    window = serializers.IntegerField(required=False, min_value=1)
    measure = serializers.IntegerField(required=False, min_value=1)
    school = serializers.IntegerField(required=False, min_value=1)
    student = serializers.IntegerField(required=False, min_value=1)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    purpose = serializers.CharField(required=False, max_length=200)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    scores = ScoreOutputSerializer(many=True)


def _score_input(data: dict) -> ScoreInput:
    return ScoreInput(
        student=data["student"], measure=data["measure"], window=data["window"], value=data["score"]
    )


@extend_schema_view(
    list=extend_schema(
        summary="Screening scores you may see",
        parameters=[ScoreFilterSerializer],
        responses=ScoreOutputSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One score",
        responses={200: ScoreOutputSerializer, 404: OpenApiResponse()},
    ),
    create=extend_schema(
        summary="Record a score (re-entry updates it; the change is kept)",
        request=ScoreInputSerializer,
        responses={201: ScoreOutputSerializer, 400: OpenApiResponse()},
    ),
    bulk=extend_schema(
        summary=f"Record a list of scores (up to {BULK_MAX}); all or nothing",
        request=ScoreInputSerializer(many=True),
        responses={
            201: BulkResultSerializer,
            400: OpenApiResponse(description='{"rows": ["Item 2: ...", ...]}; nothing saved.'),
        },
    ),
)
class ScreeningScoreViewSet(viewsets.GenericViewSet):
    queryset = ScreeningScore.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ScreeningScore]:
        return selectors.scores_visible_to(self.request.user).select_related("cut_score_set")

    def list(self, request: Request) -> Response:
        filters = ScoreFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        for name in ("window", "measure", "student", "risk_level"):
            if name in f:
                qs = qs.filter(**{name: f[name]})
        if "school" in f:
            qs = qs.filter(student__school_id=f["school"])
        page = self.paginate_queryset(qs.order_by("window_id", "measure_id", "student_id"))
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=SCORE_OBJECT,
            student_ids=sorted({s.student_id for s in page}),
            request=request,
            detail={"via": "api", "list": True},
            purpose=f.get("purpose", ""),
        )
        return self.get_paginated_response(ScoreOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        score = get_object_or_404(self.get_queryset(), pk=pk)
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=SCORE_OBJECT,
            object_id=score.pk,
            student=score.student_id,
            request=request,
            detail={"via": "api"},
        )
        return Response(ScoreOutputSerializer(score).data)

    def create(self, request: Request) -> Response:
        payload = ScoreInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = scores_bulk_record(
            rows=[_score_input(payload.validated_data)], entered_by=request.user, request=request
        )
        return Response(ScoreOutputSerializer(result.scores[0]).data, status=201)

    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        if not isinstance(request.data, list):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON list of scores."]})
        if not request.data:
            raise serializers.ValidationError({"non_field_errors": ["The list is empty."]})
        if len(request.data) > BULK_MAX:
            raise serializers.ValidationError(
                {"non_field_errors": [f"Send at most {BULK_MAX} scores at a time."]}
            )
        payload = ScoreInputSerializer(data=request.data, many=True)
        if not payload.is_valid():
            errors = payload.errors
            # DRF gives a list aligned with the input, or (recent versions) a dict by index.
            by_index = errors.items() if isinstance(errors, dict) else enumerate(errors)
            raise serializers.ValidationError(
                {
                    "rows": [
                        f"Item {i + 1}: {field}: {' '.join(str(m) for m in messages)}"
                        for i, item_errors in by_index
                        for field, messages in (item_errors or {}).items()
                    ]
                }
            )
        result = scores_bulk_record(
            rows=[_score_input(row) for row in payload.validated_data],
            entered_by=request.user,
            request=request,
        )
        return Response(
            BulkResultSerializer(
                {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "scores": result.scores,
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )


# -- referrals ------------------------------------------------------------------------------


class ReferralOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id")
    school = serializers.IntegerField(source="school_id")
    school_year = serializers.IntegerField(source="school_year_id")
    date = serializers.DateField()
    time = serializers.TimeField(allow_null=True)
    severity = serializers.ChoiceField(choices=Referral.Severity.choices)
    location = serializers.ChoiceField(choices=Referral.Location.choices)
    problem_behavior = serializers.ChoiceField(choices=Referral.ProblemBehavior.choices)
    perceived_motivation = serializers.ChoiceField(choices=Referral.Motivation.choices)
    others_involved = serializers.ChoiceField(choices=Referral.OthersInvolved.choices)
    action_taken = serializers.ChoiceField(choices=Referral.Action.choices)
    staff = serializers.IntegerField(source="staff_id", allow_null=True)
    staff_name = serializers.CharField()
    notes = serializers.CharField()
    reported_by = serializers.IntegerField(source="reported_by_id", allow_null=True)
    created_at = serializers.DateTimeField()


class ReferralInputSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    time = serializers.TimeField(required=False, allow_null=True, default=None)
    severity = serializers.ChoiceField(
        choices=Referral.Severity.choices, default=Referral.Severity.MAJOR
    )
    location = serializers.ChoiceField(choices=Referral.Location.choices)
    problem_behavior = serializers.ChoiceField(choices=Referral.ProblemBehavior.choices)
    perceived_motivation = serializers.ChoiceField(
        choices=Referral.Motivation.choices, default=Referral.Motivation.UNKNOWN
    )
    others_involved = serializers.ChoiceField(
        choices=Referral.OthersInvolved.choices, default=Referral.OthersInvolved.NONE
    )
    action_taken = serializers.ChoiceField(
        choices=Referral.Action.choices, default=Referral.Action.PENDING
    )
    staff_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1)
    school = serializers.IntegerField(required=False, min_value=1)
    school_year = serializers.IntegerField(required=False, min_value=1)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Office discipline referrals of students you may see",
        parameters=[ReferralFilterSerializer],
        responses=ReferralOutputSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One referral", responses=ReferralOutputSerializer),
    create=extend_schema(
        summary="Record a referral",
        request=ReferralInputSerializer,
        responses={201: ReferralOutputSerializer, 400: OpenApiResponse()},
    ),
)
class ReferralViewSet(viewsets.GenericViewSet):
    queryset = Referral.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.referrals_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        filters = ReferralFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        for name in ("student", "school", "school_year"):
            if name in f:
                qs = qs.filter(**{f"{name}_id": f[name]})
        if "date_from" in f:
            qs = qs.filter(date__gte=f["date_from"])
        if "date_to" in f:
            qs = qs.filter(date__lte=f["date_to"])
        page = self.paginate_queryset(qs)
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=REFERRAL_OBJECT,
            student_ids=sorted({r.student_id for r in page}),
            request=request,
            detail={"via": "api", "list": True},
        )
        return self.get_paginated_response(ReferralOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        referral = get_object_or_404(self.get_queryset(), pk=pk)
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=REFERRAL_OBJECT,
            object_id=referral.pk,
            student=referral.student_id,
            request=request,
            detail={"via": "api"},
        )
        return Response(ReferralOutputSerializer(referral).data)

    def create(self, request: Request) -> Response:
        payload = ReferralInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        student_id = data.pop("student")
        try:
            student = student_get_for_user(user=request.user, pk=student_id)
        except Http404 as exc:  # the same words as for a student that does not exist
            raise serializers.ValidationError({"student": [STUDENT_NOT_FOUND]}) from exc
        referral = referral_create(
            student=student,
            reported_by=request.user,
            # No other name given: the person reporting is the staff member who saw it.
            staff=None if data.get("staff_name") else request.user,
            request=request,
            **data,
        )
        return Response(ReferralOutputSerializer(referral).data, status=status.HTTP_201_CREATED)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("measures", MeasureViewSet, basename="measure")
    router.register("windows", WindowViewSet, basename="window")
    router.register("cut-score-sets", CutScoreSetViewSet, basename="cut-score-set")
    router.register("screening-scores", ScreeningScoreViewSet, basename="screening-score")
    router.register("referrals", ReferralViewSet, basename="referral")
