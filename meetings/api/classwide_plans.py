"""Classwide plan endpoints: list and read the class-level plans of the user's team schools,
and record a short-cycle check of the class (decisions.classwide_plans)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from decisions.classwide_plans import classwide_plan_record_check
from decisions.models import ClasswidePlan
from meetings import selectors
from students.audit import AuditContext


class ClasswidePlanOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    school = serializers.IntegerField(source="school_id")
    section = serializers.IntegerField(source="section_id")
    measure = serializers.IntegerField(source="measure_id")
    domain = serializers.CharField()
    benchmark = serializers.FloatField()
    higher_is_better = serializers.BooleanField()
    start_date = serializers.DateField()
    check_every_days = serializers.IntegerField()
    exit_checks = serializers.IntegerField()
    checks = serializers.ListField(child=serializers.DictField())
    status = serializers.CharField()
    ended_on = serializers.DateField(allow_null=True)


class CheckScoreSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2)


class CheckInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    scores = serializers.ListField(child=CheckScoreSerializer(), min_length=1, max_length=200)

    def validate_scores(self, value: list[dict]) -> list[dict]:
        ids = [row["student"] for row in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("One score per student."))
        return value


@extend_schema_view(
    list=extend_schema(responses=ClasswidePlanOutputSerializer(many=True)),
    retrieve=extend_schema(responses=ClasswidePlanOutputSerializer),
    checks=extend_schema(
        summary="Record one check of the class: the median is stored, the exit rule applied",
        request=CheckInputSerializer,
        responses={201: ClasswidePlanOutputSerializer},
    ),
)
class ClasswidePlanViewSet(viewsets.GenericViewSet):
    queryset = ClasswidePlan.objects.none()
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[ClasswidePlan]:
        schools = selectors.meeting_school_ids(self.request.user)
        qs = ClasswidePlan.objects.filter(school_id__in=schools).order_by("-start_date", "-id")
        section = self.request.query_params.get("section", "")
        if section.isdigit():
            qs = qs.filter(section_id=int(section))
        return qs

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ClasswidePlanOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        plan = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(ClasswidePlanOutputSerializer(plan).data)

    @action(detail=True, methods=["post"])
    def checks(self, request: Request, pk: str) -> Response:
        plan = get_object_or_404(self.get_queryset(), pk=pk)
        payload = CheckInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        plan = classwide_plan_record_check(
            plan=plan,
            date=d["date"],
            scores={row["student"]: float(row["score"]) for row in d["scores"]},
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(ClasswidePlanOutputSerializer(plan).data, status=status.HTTP_201_CREATED)
