"""Meetings endpoints: list, read, schedule and edit a meeting; prepare its agenda, close it,
read its minutes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from meetings import selectors
from meetings.api.agenda_items import AgendaItemOutputSerializer
from meetings.api.conflicts import CONFLICT_RESPONSE, conflict_response
from meetings.api.read_log import log_reads
from meetings.models import Meeting, MeetingKind
from meetings.services.agenda import meeting_prepare_agenda
from meetings.services.closing import meeting_close, minutes_for
from meetings.services.guards import NOT_ON_THE_TEAM, EditConflict
from meetings.services.scheduling import meeting_create, meeting_update
from screening.models import ScreeningWindow
from students.audit import AuditContext
from students.models import School, User


@extend_schema_field(OpenApiTypes.STR)
class MeetingKindField(serializers.ChoiceField):
    """A meeting type: a plain string in the schema, its values in the description (an enum
    named `kind` would clash with the other apps' `kind` enums in the schema's names)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "One of: " + ", ".join(MeetingKind.values))
        super().__init__(choices=MeetingKind.choices, **kwargs)


class MeetingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    school = serializers.IntegerField(source="school_id")
    kind = MeetingKindField()
    title = serializers.CharField()
    grade = serializers.IntegerField(allow_null=True)
    window = serializers.IntegerField(source="window_id", allow_null=True)
    scheduled_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    location = serializers.CharField()
    facilitator = serializers.IntegerField(source="facilitator_id", allow_null=True)
    note_taker = serializers.IntegerField(source="note_taker_id", allow_null=True)
    timekeeper = serializers.IntegerField(source="timekeeper_id", allow_null=True)
    attendees = serializers.SerializerMethodField()
    status = serializers.CharField()
    notes = serializers.CharField()
    version = serializers.IntegerField()
    series = serializers.IntegerField(source="series_id", allow_null=True)
    prepared_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_attendees(self, meeting: Meeting) -> list[int]:
        return sorted(u.pk for u in meeting.attendees.all())


class MeetingCreateSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    kind = MeetingKindField()
    scheduled_at = serializers.DateTimeField()
    grade = serializers.IntegerField(required=False, allow_null=True)
    window = serializers.PrimaryKeyRelatedField(
        queryset=ScreeningWindow.objects.select_related("school_year"),
        required=False,
        allow_null=True,
    )
    duration_minutes = serializers.IntegerField(required=False, default=60)
    location = serializers.CharField(required=False, allow_blank=True, default="")
    facilitator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    note_taker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    timekeeper = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False
    )


class MeetingUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you read; a stale one gets 409.")
    scheduled_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False)
    location = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    facilitator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    note_taker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    timekeeper = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False
    )


@extend_schema_view(
    list=extend_schema(
        summary="Meetings of your schools", responses=MeetingOutputSerializer(many=True)
    ),
    retrieve=extend_schema(summary="One meeting", responses=MeetingOutputSerializer),
    create=extend_schema(request=MeetingCreateSerializer, responses={201: MeetingOutputSerializer}),
    partial_update=extend_schema(
        request=MeetingUpdateSerializer,
        responses={200: MeetingOutputSerializer, 409: CONFLICT_RESPONSE},
    ),
)
class MeetingViewSet(viewsets.GenericViewSet):
    queryset = Meeting.objects.none()
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Meeting]:
        qs = (
            selectors.meetings_visible_to(self.request.user)
            .select_related("school", "window")
            .prefetch_related("attendees")
            .order_by("-scheduled_at", "-id")
        )
        school = self.request.query_params.get("school", "")
        if school.isdigit():
            qs = qs.filter(school_id=int(school))
        state = self.request.query_params.get("status", "")
        if state:
            qs = qs.filter(status=state)
        return qs

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MeetingOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MeetingOutputSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def create(self, request: Request) -> Response:
        payload = MeetingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        if d["school"].pk not in selectors.meeting_school_ids(request.user):
            raise PermissionDenied(NOT_ON_THE_TEAM)
        meeting = meeting_create(
            school=d["school"],
            kind=d["kind"],
            scheduled_at=d["scheduled_at"],
            grade=d.get("grade"),
            window=d.get("window"),
            duration_minutes=d["duration_minutes"],
            location=d["location"],
            facilitator=d.get("facilitator"),
            note_taker=d.get("note_taker"),
            timekeeper=d.get("timekeeper"),
            attendees=d.get("attendees", []),
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingOutputSerializer(meeting).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(self.get_queryset(), pk=pk)
        payload = MeetingUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        version = changes.pop("version")
        attendees = changes.pop("attendees", None)
        try:
            meeting_update(
                meeting=meeting,
                version=version,
                changes=changes,
                attendees=attendees,
                actor=request.user,
                audit=AuditContext.from_request(request, via="api"),
            )
        except EditConflict as exc:
            return conflict_response(exc)
        return Response(MeetingOutputSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=None, responses=AgendaItemOutputSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None)
    def prepare(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(self.get_queryset(), pk=pk)
        meeting_prepare_agenda(
            meeting=meeting, actor=request.user, audit=AuditContext.from_request(request, via="api")
        )
        items = selectors.agenda_items(meeting)
        return Response(AgendaItemOutputSerializer(items, many=True).data)

    @extend_schema(request=None, responses=MeetingOutputSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(self.get_queryset(), pk=pk)
        meeting_close(
            meeting=meeting, actor=request.user, audit=AuditContext.from_request(request, via="api")
        )
        return Response(MeetingOutputSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def minutes(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(
            self.get_queryset().select_related("facilitator", "note_taker", "timekeeper"), pk=pk
        )
        data = minutes_for(meeting)
        log_reads(
            request,
            "meeting_minutes",
            list(meeting.decisions.values_list("student_id", flat=True)),
        )
        return Response({**data, "final": meeting.is_closed, "text": meeting.minutes_text})
