"""`/cut-score-sets/`: every version with its rows; district administrators create, copy, revise.

Every version made here is a draft (`is_active: false`), the district's first set of a measure
too: it is switched on only by `POST /cut-score-sets/{id}/activate/ {"preview": id}`, which
names the what-if preview its administrator ran and read. That endpoint lives in the decisions
app (decisions/api_settings.py), which owns the preview. Reference sets are read-only:
revising one answers 400 with the reason (copy it first).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from screening import selectors
from screening.api.districts import _admin_district, _int_or_none
from screening.models.cut_scores import CutScoreSet
from screening.models.values import Season
from screening.services.access import NOT_A_DISTRICT_ADMIN, is_district_admin
from screening.services.cut_scores import (
    cut_score_set_copy,
    cut_score_set_create,
    cut_score_set_revise,
)
from students.audit import AuditContext
from students.models import GRADE_MAX, GRADE_MIN


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
    # Required as on the settings page: it becomes the new version's notes, the record of why
    # the district changed its cut scores.
    reason = serializers.CharField(
        error_messages={
            "required": gettext_lazy("Say why the cut scores change."),
            "blank": gettext_lazy("Say why the cut scores change."),
            "null": gettext_lazy("Say why the cut scores change."),
        },
    )
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
        summary="A new set for your district, saved as a draft (switch it on after its preview)",
        request=CutScoreSetInputSerializer,
        responses={
            201: CutScoreSetOutputSerializer,
            400: OpenApiResponse(),
            403: OpenApiResponse(),
        },
    ),
    copy=extend_schema(
        summary="Copy a set (a reference set, say) into your district as a draft version",
        request=CutScoreSetCopySerializer,
        responses={201: CutScoreSetOutputSerializer, 403: OpenApiResponse()},
    ),
    revise=extend_schema(
        summary="Edit a set: saves version + 1 as a draft; the old version stays in use",
        request=CutScoreSetReviseSerializer,
        responses={
            201: CutScoreSetOutputSerializer,
            400: OpenApiResponse(
                description=(
                    "Field errors (`reason` is required), or: reference sets are "
                    "read-only, or: the rows are this version's already."
                )
            ),
            403: OpenApiResponse(),
        },
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
            raise serializers.ValidationError({"measure": [_("There is no such measure.")]})
        cut_set = cut_score_set_create(
            district=district,
            measure=measure,
            actor=request.user,
            rows=_row_dicts(data.pop("rows")),
            activate=False,
            audit=AuditContext.from_request(request, via="api"),
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
            activate=False,
            audit=AuditContext.from_request(request, via="api"),
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
            activate=False,
            audit=AuditContext.from_request(request, via="api"),
            **data,
        )
        return self._fresh(new)
