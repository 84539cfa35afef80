"""The plan endpoints: `plans/` and each plan's `progress/`, `sessions/` and `analysis/`.

A user with no role that ever writes plans gets 403 before the payload is read; the services
decide the rest (who may write which plan).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from interventions.api.plan_serializers import (
    AnalysisOutputSerializer,
    PlanCreateSerializer,
    PlanFilterSerializer,
    PlanOutputSerializer,
    PlanUpdateSerializer,
    ProgressInputSerializer,
    ProgressOutputSerializer,
    SessionInputSerializer,
    SessionOutputSerializer,
)
from interventions.models import (
    InterventionGroup,
    InterventionPlan,
    InterventionSession,
    PlanPhase,
    ProgressScore,
)
from interventions.selectors.plan_analysis import plan_view
from interventions.selectors.visibility import (
    PLAN_RELATED,
    interventions_visible_to,
    plans_visible_to,
)
from interventions.services.phases import plan_change_phase
from interventions.services.plans import plan_close, plan_start, plan_update
from interventions.services.progress import progress_record
from interventions.services.sessions import session_log
from mtss.errors import CONFLICT_RESPONSE
from screening.models import Measure
from students import access, idempotency
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import AccessLog, User
from students.selectors import students_visible_to

PLAN_WRITER_ROLES = access.PLAN_WRITER_ROLES
NO_PLAN_ROLE = (
    "Only school team members, administrators and interventionists can change intervention plans."
)


def _may_ever_write(user: User) -> bool:
    return access.may_ever_write_plans(user)


def _invalid(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


def _lookup(qs: QuerySet, pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise _invalid(field, message)
    return found


# The current phase's number, the version a phase change names (0: no phase row yet).
PHASE_VERSION = Coalesce(
    Subquery(
        PlanPhase.objects.filter(plan=OuterRef("pk")).order_by("-number").values("number")[:1]
    ),
    Value(0),
)


@extend_schema_view(
    list=extend_schema(
        summary="Intervention plans you may see",
        parameters=[PlanFilterSerializer],
        responses=PlanOutputSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One plan",
        responses={200: PlanOutputSerializer, 404: OpenApiResponse(description="Not yours.")},
    ),
    create=extend_schema(
        summary="Start a plan",
        description="Checks the intervention's entry criteria against the student's latest "
        "screening risk in the domain; a student who does not meet them needs "
        "`entry_override_reason`. Records the student's tier placement in the domain.",
        request=PlanCreateSerializer,
        responses={201: PlanOutputSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    ),
    update=extend_schema(
        summary="Change a plan",
        request=PlanUpdateSerializer,
        parameters=[idempotency.HEADER_PARAMETER],
        responses={
            200: PlanOutputSerializer,
            400: OpenApiResponse(),
            403: OpenApiResponse(),
            409: CONFLICT_RESPONSE,
        },
    ),
    partial_update=extend_schema(
        summary="Change a plan",
        request=PlanUpdateSerializer,
        parameters=[idempotency.HEADER_PARAMETER],
        responses={
            200: PlanOutputSerializer,
            400: OpenApiResponse(),
            403: OpenApiResponse(),
            409: CONFLICT_RESPONSE,
        },
    ),
)
class PlanViewSet(viewsets.GenericViewSet):
    queryset = InterventionPlan.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[InterventionPlan]:
        return (
            plans_visible_to(self.request.user)
            .select_related(*PLAN_RELATED)
            .annotate(phase_version=PHASE_VERSION)
        )

    def _plan(self, pk: str) -> InterventionPlan:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def _audit_view(self, request: Request, plan: InterventionPlan, what: str) -> None:
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type="intervention_plan",
            object_id=plan.pk,
            student=plan.student_id,
            request=request,
            detail={"via": "api", "what": what},
        )

    def list(self, request: Request) -> Response:
        filters = PlanFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        qs = self.get_queryset()
        if "student" in data:
            qs = qs.filter(student_id=data["student"])
        if "school" in data:
            qs = qs.filter(student__school_id=data["school"])
        if "status" in data:
            qs = qs.filter(status=data["status"])
        if "domain" in data:
            qs = qs.filter(domain=data["domain"])
        page = self.paginate_queryset(qs.order_by("-start_date", "-pk"))
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type="intervention_plan",
            student_ids=[p.student_id for p in page],
            request=request,
            detail={"via": "api", "list": True},
        )
        return self.get_paginated_response(PlanOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        plan = self._plan(pk)
        self._audit_view(request, plan, "plan")
        return Response(PlanOutputSerializer(plan).data)

    def create(self, request: Request) -> Response:
        user: User = request.user
        if not _may_ever_write(user):
            raise PermissionDenied(NO_PLAN_ROLE)
        payload = PlanCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        student = _lookup(
            students_visible_to(user).select_related("school"),
            data["student"],
            "student",
            "There is no such student among yours.",
        )
        intervention = _lookup(
            interventions_visible_to(user),
            data["intervention"],
            "intervention",
            "There is no such intervention in your catalog.",
        )
        measure = _lookup(
            Measure.objects.all(), data["measure"], "measure", "There is no such measure."
        )
        interventionist = _lookup(
            User.objects.all(),
            data.get("interventionist", user.pk),
            "interventionist",
            "There is no such user.",
        )
        group = _lookup(
            InterventionGroup.objects.all(), data["group"], "group", "There is no such group."
        )
        plan = plan_start(
            student=student,
            intervention=intervention,
            tier=data["tier"],
            domain=data["domain"],
            measure=measure,
            interventionist=interventionist,
            start_date=data["start_date"],
            baseline=data["baseline"],
            goal=data["goal"],
            goal_date=data["goal_date"],
            sessions_per_week=data["sessions_per_week"],
            minutes_per_session=data["minutes_per_session"],
            group=group,
            planned_weeks=data["planned_weeks"],
            entry_override_reason=data["entry_override_reason"],
            override_reason=data["override_reason"],
            actor=user,
            audit=AuditContext.from_request(request, via="api"),
            outside_meeting=True,
        )
        return Response(
            PlanOutputSerializer(self._plan(plan.pk)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request: Request, pk: str, partial: bool = True) -> Response:
        user: User = request.user
        plan = self._plan(pk)  # 404 before 403
        if not _may_ever_write(user):
            raise PermissionDenied(NO_PLAN_ROLE)
        payload = PlanUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        schedule: dict[str, Any] = {}
        if "interventionist" in data:
            schedule["interventionist"] = _lookup(
                User.objects.all(), data["interventionist"], "interventionist", "No such user."
            )
        if "group" in data:
            schedule["group"] = _lookup(
                InterventionGroup.objects.all(), data["group"], "group", "No such group."
            )
        for name in ("planned_weeks", "sessions_per_week", "minutes_per_session"):
            if name in data:
                schedule[name] = data[name]
        phase_fields = {"intervention", "goal", "goal_date", "baseline"} & set(data)
        key = idempotency.key_from_header(request)
        with transaction.atomic():
            if schedule:
                plan_update(
                    plan=plan,
                    actor=user,
                    audit=AuditContext.from_request(request, via="api"),
                    override_reason=data["override_reason"],
                    **schedule,
                )
            if phase_fields:
                plan_change_phase(
                    plan=plan,
                    intervention=_lookup(
                        interventions_visible_to(user),
                        data.get("intervention"),
                        "intervention",
                        "There is no such intervention in your catalog.",
                    ),
                    goal=data.get("goal"),
                    goal_date=data.get("goal_date"),
                    baseline=data.get("baseline"),
                    start_date=data.get("phase_start_date"),
                    reason=data.get("phase_reason", ""),
                    override_reason=data["override_reason"],
                    actor=user,
                    audit=AuditContext.from_request(request, via="api"),
                    version=data.get("phase_version"),
                    idempotency_key=key,
                )
            if "status" in data:
                plan_close(
                    plan=plan,
                    status=data["status"],
                    exit_reason=data.get("exit_reason", ""),
                    next_tier=data.get("next_tier"),
                    override_reason=data["override_reason"],
                    actor=user,
                    audit=AuditContext.from_request(request, via="api"),
                    idempotency_key=key,
                )
        return Response(PlanOutputSerializer(self._plan(plan.pk)).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(
        methods=["GET"],
        summary="The plan's progress scores, oldest first",
        responses=ProgressOutputSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a progress score (one per day: a second one that day replaces it)",
        request=ProgressInputSerializer,
        responses={201: ProgressOutputSerializer, 400: OpenApiResponse(), 409: CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["get", "post"])
    def progress(self, request: Request, pk: str) -> Response:
        plan = self._plan(pk)
        if request.method == "GET":
            self._audit_view(request, plan, "progress")
            page = self.paginate_queryset(
                ProgressScore.objects.filter(plan=plan).order_by("date", "pk")
            )
            return self.get_paginated_response(ProgressOutputSerializer(page, many=True).data)
        payload = ProgressInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        point = progress_record(
            plan=plan,
            date=payload.validated_data["date"],
            score=payload.validated_data["score"],
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
            version=payload.validated_data.get("version"),
        )
        return Response(ProgressOutputSerializer(point).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The plan's logged sessions, oldest first",
        responses=SessionOutputSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Log a session (one per day: a second one that day replaces it)",
        request=SessionInputSerializer,
        responses={201: SessionOutputSerializer, 400: OpenApiResponse()},
    )
    @action(detail=True, methods=["get", "post"])
    def sessions(self, request: Request, pk: str) -> Response:
        plan = self._plan(pk)
        if request.method == "GET":
            self._audit_view(request, plan, "sessions")
            page = self.paginate_queryset(
                InterventionSession.objects.filter(plan=plan).order_by("date", "pk")
            )
            return self.get_paginated_response(SessionOutputSerializer(page, many=True).data)
        payload = SessionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        [session] = session_log(
            plan=plan,
            date=payload.validated_data["date"],
            minutes=payload.validated_data["minutes"],
            attended=payload.validated_data["attended"],
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(SessionOutputSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The decision rules' reading of the plan's current phase",
        responses=AnalysisOutputSerializer,
    )
    @action(detail=True, methods=["get"])
    def analysis(self, request: Request, pk: str) -> Response:
        plan = self._plan(pk)
        self._audit_view(request, plan, "analysis")
        view = plan_view(plan, as_of=timezone.localdate())
        if view.analysis is None:
            return Response(
                {"detail": "This plan has no progress measure, goal or goal date to analyse."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = {**view.analysis.api_fields(), "reconciled": view.reconciled.as_json()}
        return Response(AnalysisOutputSerializer(data).data)
