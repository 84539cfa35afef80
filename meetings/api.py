"""REST API of the meetings app (docs/meetings.md has examples).

- `meetings`: list / retrieve / create / partial update (send the `version` you read: a stale
  one answers 409 with both texts); `POST /meetings/{id}/prepare/` proposes the agenda,
  `POST /meetings/{id}/close/` closes it and freezes the minutes, `GET /meetings/{id}/minutes/`.
  Only the school's team members and administrators (and district administrators).
- `agenda-items`: list `?meeting=`, create `{meeting, student}`, partial update of `notes`
  with `version` (409 on conflict), `POST /agenda-items/{id}/move/ {"direction": "up"|"down"}`,
  delete (takes the item off the agenda; its flags reopen).
- `decisions`: list (filters `meeting`, `student`), retrieve, create: creating one applies its
  effects (plan, tier, flags) in one transaction. Team members see their schools' decisions;
  a teacher sees the decisions about their own students only.
- `action-items`: list (`?mine=true` for your own), create, partial update of `status` (the
  owner or the team).
- `concerns`: list, create `{student, note}` (for a student you see), `POST
  /concerns/{id}/withdraw/`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from decisions.models import Flag
from interventions.models import Intervention, InterventionPlan
from meetings import selectors, services
from meetings.models import (
    ActionItem,
    AgendaItem,
    Concern,
    Decision,
    DecisionType,
    Meeting,
    MeetingKind,
)
from mtss.lib.vocabulary import Domain
from screening.models import Measure, ScreeningWindow
from students.audit import audit_record_many
from students.models import AccessLog, School, User
from students.selectors import students_visible_to

CONFLICT_RESPONSE = OpenApiResponse(
    description="Someone saved first: `saved` (stored now) and `yours` (sent) are both returned."
)


@extend_schema_field(OpenApiTypes.STR)
class MeetingKindField(serializers.ChoiceField):
    """A meeting type: a plain string in the schema, its values in the description (an enum
    named `kind` would clash with the other apps' `kind` enums in the schema's names)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "One of: " + ", ".join(MeetingKind.values))
        super().__init__(choices=MeetingKind.choices, **kwargs)


def _conflict(exc: services.EditConflict) -> Response:
    return Response({"detail": exc.message, **exc.extra}, status=status.HTTP_409_CONFLICT)


def _log_reads(request: Request, object_type: str, student_ids: list[int]) -> None:
    ids = sorted({sid for sid in student_ids if sid})
    if ids:
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=object_type,
            student_ids=ids,
            request=request,
            purpose=request.query_params.get("purpose", "")[:200],
        )


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


# -- meetings ------------------------------------------------------------------------------------


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
            raise PermissionDenied(services.NOT_ON_THE_TEAM)
        meeting = services.meeting_create(
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
            request=request,
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
            services.meeting_update(
                meeting=meeting,
                version=version,
                changes=changes,
                attendees=attendees,
                actor=request.user,
                request=request,
            )
        except services.EditConflict as exc:
            return _conflict(exc)
        return Response(MeetingOutputSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=None, responses=AgendaItemOutputSerializer(many=True))
    @action(detail=True, methods=["post"])
    def prepare(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(self.get_queryset(), pk=pk)
        services.meeting_prepare_agenda(meeting=meeting, actor=request.user, request=request)
        items = selectors.agenda_items(meeting)
        return Response(AgendaItemOutputSerializer(items, many=True).data)

    @extend_schema(request=None, responses=MeetingOutputSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(self.get_queryset(), pk=pk)
        services.meeting_close(meeting=meeting, actor=request.user, request=request)
        return Response(MeetingOutputSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def minutes(self, request: Request, pk: str) -> Response:
        meeting = get_object_or_404(
            self.get_queryset().select_related("facilitator", "note_taker", "timekeeper"), pk=pk
        )
        data = services.minutes_for(meeting)
        _log_reads(
            request,
            "meeting_minutes",
            list(meeting.decisions.values_list("student_id", flat=True)),
        )
        return Response({**data, "final": meeting.is_closed, "text": meeting.minutes_text})


# -- agenda items --------------------------------------------------------------------------------


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
        _log_reads(request, "agenda_item", [i.student_id for i in page])
        return self.get_paginated_response(AgendaItemOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        _log_reads(request, "agenda_item", [item.student_id])
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
        item = services.agenda_item_add(
            meeting=meeting, student=student, actor=request.user, request=request
        )
        item = self.get_queryset().get(pk=item.pk)
        return Response(AgendaItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        payload = AgendaItemUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            services.agenda_item_save_notes(
                item=item,
                version=payload.validated_data["version"],
                notes=payload.validated_data["notes"],
                actor=request.user,
                request=request,
            )
        except services.EditConflict as exc:
            return _conflict(exc)
        return Response(AgendaItemOutputSerializer(self.get_queryset().get(pk=item.pk)).data)

    def destroy(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        services.agenda_item_remove(item=item, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses=AgendaItemOutputSerializer(many=True))
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.agenda_item_move(
            item=item, direction=payload.validated_data["direction"], actor=request.user
        )
        items = self.get_queryset().filter(meeting_id=item.meeting_id)
        return Response(AgendaItemOutputSerializer(items, many=True).data)


# -- decisions -----------------------------------------------------------------------------------


class DecisionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    item = serializers.IntegerField(source="item_id", allow_null=True)
    student = serializers.IntegerField(source="student_id")
    type = serializers.ChoiceField(choices=DecisionType.choices)
    domain = serializers.CharField()
    tier = serializers.IntegerField(allow_null=True)
    intervention = serializers.IntegerField(source="intervention_id", allow_null=True)
    plan = serializers.IntegerField(source="plan_id", allow_null=True)
    flags = serializers.SerializerMethodField()
    rationale = serializers.CharField()
    follows_rule = serializers.BooleanField(allow_null=True)
    is_override = serializers.BooleanField()
    recommendation = serializers.CharField()
    details = serializers.JSONField()
    recorded_by = serializers.IntegerField(source="recorded_by_id", allow_null=True)
    created_at = serializers.DateTimeField()

    def get_flags(self, decision: Decision) -> list[int]:
        return sorted(f.pk for f in decision.flags.all())


class DecisionCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    item = serializers.IntegerField(required=False, allow_null=True)
    student = serializers.IntegerField(
        required=False, allow_null=True, help_text="Needed only without an agenda item."
    )
    type = serializers.ChoiceField(choices=DecisionType.choices)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    domain = serializers.ChoiceField(choices=Domain.choices, required=False, allow_blank=True)
    flags = serializers.ListField(child=serializers.IntegerField(), required=False)
    intervention = serializers.IntegerField(required=False, allow_null=True)
    plan = serializers.IntegerField(required=False, allow_null=True)
    interventionist = serializers.IntegerField(required=False, allow_null=True)
    measure = serializers.IntegerField(required=False, allow_null=True)
    goal = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    goal_date = serializers.DateField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    review_date = serializers.DateField(required=False, allow_null=True)
    sessions_per_week = serializers.IntegerField(required=False, allow_null=True)
    minutes_per_session = serializers.IntegerField(required=False, allow_null=True)
    tier = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=3)


def _one(qs: QuerySet, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise serializers.ValidationError({field: ["Not found."]})
    return obj


@extend_schema_view(
    list=extend_schema(responses=DecisionOutputSerializer(many=True)),
    retrieve=extend_schema(responses=DecisionOutputSerializer),
    create=extend_schema(
        summary="Record a decision and apply its effects (plan, tier, flags) in one transaction",
        request=DecisionCreateSerializer,
        responses={201: DecisionOutputSerializer},
    ),
)
class DecisionViewSet(viewsets.GenericViewSet):
    queryset = Decision.objects.none()
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Decision]:
        qs = (
            selectors.decisions_visible_to(self.request.user)
            .prefetch_related("flags")
            .order_by("-created_at", "-id")
        )
        for name in ("meeting", "student"):
            value = self.request.query_params.get(name, "")
            if value.isdigit():
                qs = qs.filter(**{f"{name}_id": int(value)})
        return qs

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        _log_reads(request, "meeting_decision", [d.student_id for d in page])
        return self.get_paginated_response(DecisionOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        decision = get_object_or_404(self.get_queryset(), pk=pk)
        _log_reads(request, "meeting_decision", [decision.student_id])
        return Response(DecisionOutputSerializer(decision).data)

    def create(self, request: Request) -> Response:
        payload = DecisionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        user = request.user
        meeting = selectors.meeting_get_for_user(user=user, pk=d["meeting"])
        item = _one(AgendaItem.objects.filter(meeting=meeting), d.get("item"), "item")
        student = None
        if item is None:
            student = _one(students_visible_to(user), d.get("student"), "student")
        district = meeting.school.district_id
        flags = None
        if d.get("flags"):
            flags = list(Flag.objects.filter(pk__in=d["flags"], school_id=meeting.school_id))
            if len(flags) != len(set(d["flags"])):
                raise serializers.ValidationError({"flags": ["Choose flags of this school."]})
        decision = services.meeting_record_decision(
            meeting=meeting,
            item=item,
            student=student,
            type=d["type"],
            actor=user,
            rationale=d.get("rationale", ""),
            domain=d.get("domain", ""),
            flags=flags,
            intervention=_one(
                Intervention.objects.filter(Q(district__isnull=True) | Q(district_id=district)),
                d.get("intervention"),
                "intervention",
            ),
            plan=_one(
                InterventionPlan.objects.filter(student__school_id=meeting.school_id),
                d.get("plan"),
                "plan",
            ),
            interventionist=_one(
                selectors.staff_of_school(meeting.school),
                d.get("interventionist"),
                "interventionist",
            ),
            measure=_one(
                Measure.objects.filter(Q(district__isnull=True) | Q(district_id=district)),
                d.get("measure"),
                "measure",
            ),
            goal=d.get("goal"),
            goal_date=d.get("goal_date"),
            start_date=d.get("start_date"),
            review_date=d.get("review_date"),
            sessions_per_week=d.get("sessions_per_week"),
            minutes_per_session=d.get("minutes_per_session"),
            tier=d.get("tier"),
            request=request,
        )
        decision = self.get_queryset().get(pk=decision.pk)
        return Response(DecisionOutputSerializer(decision).data, status=status.HTTP_201_CREATED)


# -- action items --------------------------------------------------------------------------------


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
        item = services.action_item_create(
            meeting=meeting,
            owner=_one(selectors.staff_of_school(meeting.school), d["owner"], "owner"),
            description=d["description"],
            due_date=d["due_date"],
            student=_one(
                students_visible_to(request.user).filter(school_id=meeting.school_id),
                d.get("student"),
                "student",
            ),
            actor=request.user,
            request=request,
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
            item = services.action_item_set_status(
                item=item,
                status=payload.validated_data["status"],
                version=payload.validated_data.get("version"),
                actor=request.user,
                request=request,
            )
        except services.EditConflict as exc:
            return _conflict(exc)
        return Response(
            ActionItemOutputSerializer(item, context=self.get_serializer_context()).data
        )


# -- concerns ------------------------------------------------------------------------------------


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
        _log_reads(request, "concern", [c.student_id for c in page])
        return self.get_paginated_response(ConcernOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        concern = get_object_or_404(self.get_queryset(), pk=pk)
        _log_reads(request, "concern", [concern.student_id])
        return Response(ConcernOutputSerializer(concern).data)

    def create(self, request: Request) -> Response:
        payload = ConcernCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        student = get_object_or_404(
            students_visible_to(request.user), pk=payload.validated_data["student"]
        )
        concern = services.concern_submit(
            student=student,
            note=payload.validated_data["note"],
            actor=request.user,
            request=request,
        )
        return Response(ConcernOutputSerializer(concern).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ConcernOutputSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        concern = get_object_or_404(self.get_queryset(), pk=pk)
        concern = services.concern_withdraw(concern=concern, actor=request.user, request=request)
        return Response(ConcernOutputSerializer(concern).data)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("action-items", ActionItemViewSet, basename="action-item")
    router.register("concerns", ConcernViewSet, basename="concern")
