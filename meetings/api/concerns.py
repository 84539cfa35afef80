"""Concern endpoints: list, raise one about a student you see, withdraw one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from meetings import selectors
from meetings.api.read_log import log_reads
from meetings.models import Concern
from meetings.services.concerns import concern_submit, concern_withdraw
from students.audit import AuditContext
from students.selectors import students_visible_to


class ConcernOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    school = serializers.IntegerField(source="school_id")
    student = serializers.IntegerField(source="student_id")
    submitted_by = serializers.IntegerField(source="submitted_by_id", allow_null=True)
    note = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ConcernCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    note = serializers.CharField(max_length=5000)


@extend_schema_view(
    list=extend_schema(responses=ConcernOutputSerializer(many=True)),
    retrieve=extend_schema(responses=ConcernOutputSerializer),
    create=extend_schema(request=ConcernCreateSerializer, responses={201: ConcernOutputSerializer}),
)
class ConcernViewSet(viewsets.GenericViewSet):
    queryset = Concern.objects.none()
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Concern]:
        return (
            selectors.concerns_visible_to(self.request.user)
            .filter(student__in=students_visible_to(self.request.user).values("pk"))
            .order_by("-created_at", "-id")
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        log_reads(request, "concern", [c.student_id for c in page])
        return self.get_paginated_response(ConcernOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        concern = get_object_or_404(self.get_queryset(), pk=pk)
        log_reads(request, "concern", [concern.student_id])
        return Response(ConcernOutputSerializer(concern).data)

    def create(self, request: Request) -> Response:
        payload = ConcernCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        student = get_object_or_404(
            students_visible_to(request.user), pk=payload.validated_data["student"]
        )
        concern = concern_submit(
            student=student,
            note=payload.validated_data["note"],
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(ConcernOutputSerializer(concern).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ConcernOutputSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        concern = get_object_or_404(self.get_queryset(), pk=pk)
        concern = concern_withdraw(
            concern=concern, actor=request.user, audit=AuditContext.from_request(request, via="api")
        )
        return Response(ConcernOutputSerializer(concern).data)
