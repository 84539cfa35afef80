"""REST API of the decisions app: flags, rule sets, rule runs.

- `flags`: list (filters school, grade, domain, kind, status, group, student) and retrieve
  with the evidence and the plain-language reason; `POST /flags/{id}/dismiss/ {"reason"}`
  for the school's team members and administrators. Scoped: a student's flag is visible to
  whoever sees the student; a classwide flag to its section's teachers and school team.
- `rule-sets`, `settings-previews` and `cut-score-sets/{id}/activate/`: see
  decisions/api_settings.py (new versions are drafts, switched on naming a preview read).
- `rule-runs`: list / retrieve; `POST /rule-runs/ {"district"} or {"school"}` queues a sweep
  and answers 202 with the run (status "queued"); poll `GET /rule-runs/{id}/`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
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

from decisions import selectors, services
from decisions.api_previews import SettingsPreviewViewSet
from decisions.api_settings import RuleSetViewSet
from decisions.api_settings import extra_urlpatterns as settings_urlpatterns
from decisions.events import rule_run_enqueue
from decisions.forms import STATUS_CHOICES
from decisions.models import Flag, FlagKind, RuleRun
from decisions.views import why
from mtss.lib.vocabulary import Domain
from students import access, idempotency
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import GRADE_MAX, GRADE_MIN, AccessLog, District, School

# -- flags ---------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class FlagKindField(serializers.ChoiceField):
    """A flag kind: a plain string in the schema, its values in the description (an enum
    named `kind` would clash with the import jobs' `kind` enum in the schema's names)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "One of: " + ", ".join(FlagKind.values))
        super().__init__(choices=FlagKind.choices, **kwargs)


class FlagOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id", allow_null=True)
    student_name = serializers.SerializerMethodField()
    section = serializers.IntegerField(source="section_id", allow_null=True)
    school = serializers.IntegerField(source="school_id")
    domain = serializers.ChoiceField(choices=Domain.choices)
    kind = FlagKindField()
    recommended_tier = serializers.IntegerField()
    status = serializers.CharField()
    rule = serializers.CharField()
    rule_set_version = serializers.IntegerField(source="rule_set.version")
    window = serializers.IntegerField(source="window_id", allow_null=True)
    measure = serializers.IntegerField(source="measure_id", allow_null=True)
    plan = serializers.IntegerField(source="plan_id", allow_null=True)
    classwide_context = serializers.BooleanField()
    context_plan = serializers.IntegerField(
        source="context_plan_id",
        allow_null=True,
        help_text="The active plan that already serves this flag (the flag is context on it).",
    )
    why = serializers.SerializerMethodField(help_text="The rule in plain words, with numbers.")
    dismissed_reason = serializers.CharField()
    closed_reason = serializers.CharField(
        help_text='Why the platform closed it, e.g. "Moved to Oak Elementary on 3 December 2026".'
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)

    def get_student_name(self, flag: Flag) -> str | None:
        return flag.student.full_name if flag.student_id else None

    def get_why(self, flag: Flag) -> str:
        return why(flag)


class FlagDetailSerializer(FlagOutputSerializer):
    evidence = serializers.JSONField(help_text="The numbers the rule used (see docs/rules.md).")


class FlagFilterSerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False)
    grade = serializers.IntegerField(required=False, min_value=GRADE_MIN, max_value=GRADE_MAX)
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    kind = FlagKindField(required=False)
    status = serializers.ChoiceField(
        choices=[c for c in STATUS_CHOICES if c[0]],
        required=False,
        help_text='"live" = open or on an agenda. Omit for every status.',
    )
    group = serializers.ChoiceField(choices=selectors.student_group_choices(), required=False)
    served = serializers.ChoiceField(
        choices=selectors.SERVED_CHOICES,
        required=False,
        help_text='"not_served": no active plan at the recommended tier covers the flag; '
        '"served": context on such a plan. Omit for both.',
    )
    student = serializers.IntegerField(required=False)


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


@extend_schema_view(
    list=extend_schema(
        summary="Flags you may see, most intensive first",
        parameters=[FlagFilterSerializer],
        responses=FlagOutputSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One flag with its evidence", responses=FlagDetailSerializer),
    dismiss=extend_schema(
        summary="Dismiss a live flag with a reason (team members and administrators)",
        request=DismissSerializer,
        parameters=[idempotency.HEADER_PARAMETER],
        responses={
            200: FlagDetailSerializer,
            400: OpenApiResponse(description="No reason, or the flag is already closed."),
            403: OpenApiResponse(),
        },
    ),
)
class FlagViewSet(viewsets.GenericViewSet):
    queryset = Flag.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Flag]:
        return selectors.flags_visible_to(self.request.user).select_related(*selectors.FLAG_RELATED)

    def list(self, request: Request) -> Response:
        filters = FlagFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = dict(filters.validated_data)
        student = f.pop("student", None)
        qs = selectors.flags_for_list(request.user, **f)
        if student is not None:
            qs = qs.filter(student_id=student)
        page = self.paginate_queryset(qs)
        student_ids = sorted({flag.student_id for flag in page if flag.student_id})
        if student_ids:
            audit_record_many(
                user=request.user,
                action=AccessLog.Action.VIEW,
                object_type="flag",
                student_ids=student_ids,
                request=request,
                detail={"via": "api", "list": True},
                purpose=request.query_params.get("purpose", "")[:200],
            )
        return self.get_paginated_response(FlagOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        flag = get_object_or_404(self.get_queryset(), pk=pk)
        if flag.student_id:
            audit_record(
                user=request.user,
                action=AccessLog.Action.VIEW,
                object_type="flag",
                object_id=flag.pk,
                student=flag.student_id,
                request=request,
                detail={"via": "api"},
                purpose=request.query_params.get("purpose", "")[:200],
            )
        return Response(FlagDetailSerializer(flag).data)

    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        flag = get_object_or_404(self.get_queryset(), pk=pk)
        if not services.may_act_on_flags(request.user, flag.school_id, flag.district_id):
            raise PermissionDenied(services.NOT_A_TEAM_MEMBER)
        payload = DismissSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        done = services.flag_dismiss(
            flag=flag,
            reason=payload.validated_data["reason"],
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
            idempotency_key=idempotency.key_from_header(request),
        )
        return Response(
            FlagDetailSerializer(self.get_queryset().get(pk=flag.pk)).data,
            headers=idempotency.replay_headers(done),
        )


# -- rule runs -----------------------------------------------------------------------------------


class RuleRunOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(source="district_id")
    school = serializers.IntegerField(source="school_id", allow_null=True)
    status = serializers.ChoiceField(choices=RuleRun.Status.choices)
    triggered_by = serializers.ChoiceField(choices=RuleRun.Trigger.choices)
    as_of = serializers.DateField()
    rule_set_version = serializers.SerializerMethodField()
    counts = serializers.JSONField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    heartbeat_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.FloatField(allow_null=True)

    def get_rule_set_version(self, run: RuleRun) -> int | None:
        return run.rule_set.version if run.rule_set_id else None


class RuleRunInputSerializer(serializers.Serializer):
    district = serializers.IntegerField(required=False)
    school = serializers.IntegerField(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if "district" not in data and "school" not in data:
            raise serializers.ValidationError(_("Say which district or school to sweep."))
        return data


def _known_district_ids(user: Any) -> set[int]:
    return access.district_ids_of(user)


@extend_schema_view(
    list=extend_schema(
        summary="Rule runs you may see", responses=RuleRunOutputSerializer(many=True)
    ),
    retrieve=extend_schema(summary="One rule run (poll it)", responses=RuleRunOutputSerializer),
    create=extend_schema(
        summary="Run the rules now for a district or a school (queued; poll the run)",
        request=RuleRunInputSerializer,
        responses={202: RuleRunOutputSerializer, 403: OpenApiResponse(), 404: OpenApiResponse()},
    ),
)
class RuleRunViewSet(viewsets.GenericViewSet):
    queryset = RuleRun.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[RuleRun]:
        return selectors.rule_runs_visible_to(self.request.user).select_related("rule_set")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RuleRunOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(RuleRunOutputSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def create(self, request: Request) -> Response:
        payload = RuleRunInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request.user
        # Only ids of the user's own districts resolve; any other id is a 404.
        districts = District.objects.all()
        if not user.is_superuser:
            districts = districts.filter(pk__in=_known_district_ids(user))
        school = None
        if "school" in data:
            school = get_object_or_404(
                School.objects.filter(district__in=districts), pk=data["school"]
            )
            district = school.district
            if "district" in data and data["district"] != district.pk:
                raise serializers.ValidationError(
                    {"school": [_("This school belongs to another district.")]}
                )
        else:
            district = get_object_or_404(districts, pk=data["district"])
        with transaction.atomic():
            run = services.rule_run_request(district=district, school=school, actor=user)
            rule_run_enqueue(run)  # sent after commit; with the broker down, once it is back
        run.refresh_from_db()
        return Response(RuleRunOutputSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Run a failed rule run again (a new queued run for the same scope)",
        request=None,
        responses={
            202: RuleRunOutputSerializer,
            404: OpenApiResponse(description="No such run among yours."),
            409: OpenApiResponse(description="The run has not failed."),
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        failed = get_object_or_404(self.get_queryset(), pk=pk)
        if failed.status != RuleRun.Status.FAILED:
            return Response(
                {"detail": "Only a failed run can be retried.", "status": failed.status},
                status=status.HTTP_409_CONFLICT,
            )
        with transaction.atomic():
            run = services.rule_run_request(
                district=failed.district, school=failed.school, actor=request.user
            )
            rule_run_enqueue(run)
        run.refresh_from_db()
        return Response(RuleRunOutputSerializer(run).data, status=status.HTTP_202_ACCEPTED)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("flags", FlagViewSet, basename="flag")
    router.register("rule-sets", RuleSetViewSet, basename="rule-set")
    router.register("rule-runs", RuleRunViewSet, basename="rule-run")
    router.register("settings-previews", SettingsPreviewViewSet, basename="settings-preview")


# Switching a cut-score draft on is a plain path: its viewset is screening's (decisions/
# api_settings.py says why).
extra_urlpatterns = settings_urlpatterns
