"""Agenda item endpoints: list, add a student, save notes, move, take off the agenda."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from meetings import selectors
from meetings.api.conflicts import CONFLICT_RESPONSE, conflict_response
from meetings.api.read_log import log_reads
from meetings.models import AgendaItem
from meetings.services.agenda_items import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_save_notes,
)
from meetings.services.guards import EditConflict
from students.audit import AuditContext
from students.selectors import students_visible_to


class AgendaItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    kind = serializers.CharField()
    position = serializers.IntegerField()
    priority = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id", allow_null=True)
    section = serializers.IntegerField(source="section_id", allow_null=True)
    label = serializers.CharField()
    reason = serializers.CharField()
    data = serializers.JSONField()
    flags = serializers.SerializerMethodField()
    target_minutes = serializers.IntegerField()
    notes = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()

    def get_flags(self, item: AgendaItem) -> list[int]:
        return sorted(f.pk for f in item.flags.all())


class AgendaItemCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    student = serializers.IntegerField()


class AgendaItemUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    notes = serializers.CharField(allow_blank=True, max_length=20000)


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


@extend_schema_view(
    list=extend_schema(responses=AgendaItemOutputSerializer(many=True)),
    retrieve=extend_schema(responses=AgendaItemOutputSerializer),
    create=extend_schema(
        request=AgendaItemCreateSerializer, responses={201: AgendaItemOutputSerializer}
    ),
    partial_update=extend_schema(
        request=AgendaItemUpdateSerializer,
        responses={200: AgendaItemOutputSerializer, 409: CONFLICT_RESPONSE},
    ),
    destroy=extend_schema(responses={204: None}),
)
class AgendaItemViewSet(viewsets.GenericViewSet):
    queryset = AgendaItem.objects.none()
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[AgendaItem]:
        qs = (
            AgendaItem.objects.filter(meeting__in=selectors.meetings_visible_to(self.request.user))
            .select_related("meeting", "meeting__school", "student", "section")
            .prefetch_related("flags")
            .order_by("meeting_id", "position", "id")
        )
        meeting = self.request.query_params.get("meeting", "")
        if meeting.isdigit():
            qs = qs.filter(meeting_id=int(meeting))
        return qs

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        log_reads(request, "agenda_item", [i.student_id for i in page])
        return self.get_paginated_response(AgendaItemOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        log_reads(request, "agenda_item", [item.student_id])
        return Response(AgendaItemOutputSerializer(item).data)

    def create(self, request: Request) -> Response:
        payload = AgendaItemCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        meeting = selectors.meeting_get_for_user(
            user=request.user, pk=payload.validated_data["meeting"]
        )
        student = get_object_or_404(
            students_visible_to(request.user), pk=payload.validated_data["student"]
        )
        item = agenda_item_add(
            meeting=meeting,
            student=student,
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        item = self.get_queryset().get(pk=item.pk)
        return Response(AgendaItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        payload = AgendaItemUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            agenda_item_save_notes(
                item=item,
                version=payload.validated_data["version"],
                notes=payload.validated_data["notes"],
                actor=request.user,
                audit=AuditContext.from_request(request, via="api"),
            )
        except EditConflict as exc:
            return conflict_response(exc)
        return Response(AgendaItemOutputSerializer(self.get_queryset().get(pk=item.pk)).data)

    def destroy(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        agenda_item_remove(
            item=item, actor=request.user, audit=AuditContext.from_request(request, via="api")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses=AgendaItemOutputSerializer(many=True))
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        agenda_item_move(
            item=item, direction=payload.validated_data["direction"], actor=request.user
        )
        items = self.get_queryset().filter(meeting_id=item.meeting_id)
        return Response(AgendaItemOutputSerializer(items, many=True).data)
