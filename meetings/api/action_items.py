"""Action item endpoints: list (your own with ?mine=true), create, mark done or reopen."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from meetings import selectors
from meetings.api.conflicts import CONFLICT_RESPONSE, conflict_response
from meetings.api.lookup import lookup
from meetings.models import ActionItem
from meetings.services.action_items import action_item_create, action_item_set_status
from meetings.services.guards import EditConflict
from students.audit import AuditContext
from students.selectors import students_visible_to


class ActionItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    student = serializers.IntegerField(source="student_id", allow_null=True)
    owner = serializers.IntegerField(source="owner_id")
    description = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)

    def get_overdue(self, item: ActionItem) -> bool:
        today = self.context.get("today")
        return bool(today and item.status == ActionItem.Status.OPEN and item.due_date < today)


class ActionItemCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    owner = serializers.IntegerField()
    description = serializers.CharField(max_length=500)
    due_date = serializers.DateField()
    student = serializers.IntegerField(required=False, allow_null=True)


class ActionItemUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    version = serializers.IntegerField(required=False)


@extend_schema_view(
    list=extend_schema(responses=ActionItemOutputSerializer(many=True)),
    retrieve=extend_schema(responses=ActionItemOutputSerializer),
    create=extend_schema(
        request=ActionItemCreateSerializer, responses={201: ActionItemOutputSerializer}
    ),
    partial_update=extend_schema(
        request=ActionItemUpdateSerializer,
        responses={200: ActionItemOutputSerializer, 409: CONFLICT_RESPONSE},
    ),
)
class ActionItemViewSet(viewsets.GenericViewSet):
    queryset = ActionItem.objects.none()
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[ActionItem]:
        qs = selectors.action_items_visible_to(self.request.user).select_related("meeting")
        if self.request.query_params.get("mine") in ("1", "true"):
            qs = qs.filter(owner=self.request.user)
        state = self.request.query_params.get("status", "")
        if state:
            qs = qs.filter(status=state)
        return qs.order_by("due_date", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        from django.utils import timezone

        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = ActionItemOutputSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(data.data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            ActionItemOutputSerializer(item, context=self.get_serializer_context()).data
        )

    def create(self, request: Request) -> Response:
        payload = ActionItemCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        meeting = selectors.meeting_get_for_user(user=request.user, pk=d["meeting"])
        item = action_item_create(
            meeting=meeting,
            owner=lookup(selectors.staff_of_school(meeting.school), d["owner"], "owner"),
            description=d["description"],
            due_date=d["due_date"],
            student=lookup(
                students_visible_to(request.user).filter(school_id=meeting.school_id),
                d.get("student"),
                "student",
            ),
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(
            ActionItemOutputSerializer(item, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        payload = ActionItemUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            item = action_item_set_status(
                item=item,
                status=payload.validated_data["status"],
                version=payload.validated_data.get("version"),
                actor=request.user,
                audit=AuditContext.from_request(request, via="api"),
            )
        except EditConflict as exc:
            return conflict_response(exc)
        return Response(
            ActionItemOutputSerializer(item, context=self.get_serializer_context()).data
        )
