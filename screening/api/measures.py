"""`/measures/`: reference measures and the districts' own; district administrators add more."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from mtss.lib.vocabulary import Domain
from screening import selectors
from screening.api.districts import _admin_district, _int_or_none
from screening.models.measures import Measure
from screening.services.measures import measure_create
from students.models import GRADE_MAX, GRADE_MIN


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
