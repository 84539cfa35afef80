"""Decision endpoints: list, read, and record one (its effects applied in one transaction)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from decisions.models import Flag
from interventions.models import Intervention, InterventionPlan
from meetings import selectors
from meetings.api.lookup import lookup
from meetings.api.read_log import log_reads
from meetings.classwide import meeting_record_classwide_decision
from meetings.models import (
    AgendaItem,
    ClasswideDecision,
    ClasswideDecisionType,
    Decision,
    DecisionType,
)
from meetings.services.decisions import meeting_record_decision
from mtss.lib.vocabulary import Domain
from screening.models import Measure
from students import idempotency
from students.audit import AuditContext
from students.selectors import students_visible_to


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
    judged_basis = serializers.CharField(
        help_text="What the decision was judged against: plan (its current analysis), flags, "
        "fidelity_gate, not_enough_data or none."
    )
    judged_rule = serializers.CharField(help_text="The rule it was judged against.")
    judged_evidence = serializers.JSONField(
        help_text="The evidence: plan id, analysis, points, fidelity (and minimum), or the "
        "governing flag's kind and recommended tier."
    )
    details = serializers.JSONField()
    recorded_by = serializers.IntegerField(source="recorded_by_id", allow_null=True)
    created_at = serializers.DateTimeField()

    def get_flags(self, decision: Decision) -> list[int]:
        return sorted(f.pk for f in decision.flags.all())


class ClasswideDecisionOutputSerializer(serializers.Serializer):
    """A classwide agenda item's decision (meetings.classwide): no student, a section."""

    id = serializers.IntegerField()
    kind = serializers.CharField(default="classwide")
    meeting = serializers.IntegerField(source="meeting_id")
    item = serializers.IntegerField(source="item_id", allow_null=True)
    section = serializers.IntegerField(source="section_id")
    type = serializers.ChoiceField(choices=ClasswideDecisionType.choices)
    classwide_plan = serializers.IntegerField(source="plan_id", allow_null=True)
    rationale = serializers.CharField()
    follows_rule = serializers.BooleanField(allow_null=True)
    is_override = serializers.BooleanField()
    recommendation = serializers.CharField()


class DecisionCreateSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    item = serializers.IntegerField(required=False, allow_null=True)
    student = serializers.IntegerField(
        required=False, allow_null=True, help_text="Needed only without an agenda item."
    )
    type = serializers.ChoiceField(
        choices=[*DecisionType.choices, *ClasswideDecisionType.choices],
        help_text="start_classwide and continue_core decide a classwide agenda item (item "
        "required); the answer is then the classwide decision (meetings.classwide).",
    )
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


@extend_schema_view(
    list=extend_schema(responses=DecisionOutputSerializer(many=True)),
    retrieve=extend_schema(responses=DecisionOutputSerializer),
    create=extend_schema(
        summary="Record a decision and apply its effects (plan, tier, flags) in one transaction",
        request=DecisionCreateSerializer,
        parameters=[idempotency.HEADER_PARAMETER],
        responses={
            201: PolymorphicProxySerializer(
                component_name="DecisionRecorded",
                serializers=[DecisionOutputSerializer, ClasswideDecisionOutputSerializer],
                resource_type_field_name=None,
            )
        },
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
        log_reads(request, "meeting_decision", [d.student_id for d in page])
        return self.get_paginated_response(DecisionOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        decision = get_object_or_404(self.get_queryset(), pk=pk)
        log_reads(request, "meeting_decision", [decision.student_id])
        return Response(DecisionOutputSerializer(decision).data)

    def create(self, request: Request) -> Response:
        payload = DecisionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        key = idempotency.key_from_header(request)
        user = request.user
        meeting = selectors.meeting_get_for_user(user=user, pk=d["meeting"])
        item = lookup(AgendaItem.objects.filter(meeting=meeting), d.get("item"), "item")
        if d["type"] in ClasswideDecisionType.values:
            return self._create_classwide(request, meeting=meeting, item=item, data=d, key=key)
        student = None
        if item is None:
            student = lookup(students_visible_to(user), d.get("student"), "student")
        district = meeting.school.district_id
        flags = None
        if d.get("flags"):
            flags = list(Flag.objects.filter(pk__in=d["flags"], school_id=meeting.school_id))
            if len(flags) != len(set(d["flags"])):
                raise serializers.ValidationError({"flags": [_("Choose flags of this school.")]})
        decision = meeting_record_decision(
            meeting=meeting,
            item=item,
            student=student,
            type=d["type"],
            actor=user,
            rationale=d.get("rationale", ""),
            domain=d.get("domain", ""),
            flags=flags,
            intervention=lookup(
                Intervention.objects.filter(Q(district__isnull=True) | Q(district_id=district)),
                d.get("intervention"),
                "intervention",
            ),
            plan=lookup(
                InterventionPlan.objects.filter(student__school_id=meeting.school_id),
                d.get("plan"),
                "plan",
            ),
            interventionist=lookup(
                selectors.staff_of_school(meeting.school),
                d.get("interventionist"),
                "interventionist",
            ),
            measure=lookup(
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
            audit=AuditContext.from_request(request, via="api"),
            idempotency_key=key,
        )
        headers = idempotency.replay_headers(decision)
        decision = self.get_queryset().get(pk=decision.pk)
        return Response(
            DecisionOutputSerializer(decision).data, status=status.HTTP_201_CREATED, headers=headers
        )

    def _create_classwide(
        self, request: Request, *, meeting: Any, item: AgendaItem | None, data: dict, key: str
    ) -> Response:
        """A classwide agenda item's decision (no student): its own small answer."""
        if item is None:
            raise serializers.ValidationError({"item": [_("Name the classwide agenda item.")]})
        cw: ClasswideDecision = meeting_record_classwide_decision(
            meeting=meeting,
            item=item,
            type=data["type"],
            actor=request.user,
            rationale=data.get("rationale", ""),
            start_date=data.get("start_date"),
            audit=AuditContext.from_request(request, via="api"),
            idempotency_key=key,
        )
        return Response(
            ClasswideDecisionOutputSerializer(cw).data,
            status=status.HTTP_201_CREATED,
            headers=idempotency.replay_headers(cw),
        )
