"""`/windows/`: the districts' screening windows; district administrators add, open, close them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from screening import selectors
from screening.models.values import Season
from screening.models.windows import ScreeningWindow
from screening.services.access import NOT_A_DISTRICT_ADMIN
from screening.services.windows import window_close, window_create, window_open
from students import access
from students.models import SchoolYear


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
    name = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="Unique in the year; empty: the season's name. Up to 5 windows a year.",
    )
    season = serializers.ChoiceField(
        choices=Season.choices, help_text="Whose cut scores classify the window's scores."
    )
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
        if not request.user.is_superuser and not access.is_district_admin(request.user):
            raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
        payload = WindowInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        years = SchoolYear.objects.filter(pk=data.pop("school_year"))
        if not request.user.is_superuser:
            years = years.filter(district_id__in=selectors.user_district_ids(request.user))
        year = years.first()
        if year is None:
            raise serializers.ValidationError({"school_year": [_("There is no such school year.")]})
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
