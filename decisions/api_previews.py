"""`/settings-previews/`: the what-if preview of a draft cut-score or rule-set version, as an
API client runs and reads it before switching the draft on (decisions/api_settings.py).

`POST {"cut_score_set": id}` or `{"rule_set": id}` works out, on the current window's data,
what switching the draft on would change (decisions/whatif.py, the same computation as the
settings page) and answers it: totals, and rows per school, grade and student group (groups
under 10 students without counts, as on the page). The preview is recorded as read by the
caller; `POST /.../activate/ {"preview": id}` then names it. `GET` lists and reads the
previews of the districts you administer: the list with their totals, one preview
(`GET {id}/`) with its stored rows too, so a client can read it again later.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from decisions import selectors, services
from decisions.api_settings import refuse_in_use
from decisions.models import SettingsPreview
from decisions.whatif import whatif_cut_scores, whatif_rule_set
from decisions.whatif_services import preview_record
from mtss.errors import ApplicationError
from screening import selectors as screening_selectors
from screening.services.cut_scores import REFERENCE_READ_ONLY
from students import access


class PreviewRequestSerializer(serializers.Serializer):
    cut_score_set = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    rule_set = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if len(data) != 1:
            raise serializers.ValidationError(
                _('Name exactly one draft: {"cut_score_set": id} or {"rule_set": id}.')
            )
        return data


class PreviewRowSerializer(serializers.Serializer):
    dimension = serializers.CharField(help_text="all, school, grade, or the kind of group")
    group = serializers.CharField()
    small = serializers.BooleanField(help_text="Fewer than 10 students: no counts are given.")
    n = serializers.IntegerField(allow_null=True)
    risk_changed = serializers.IntegerField(
        allow_null=True,
        help_text="Students whose risk level (cut scores) or recommended tier (rules) changes.",
    )
    gained = serializers.IntegerField(allow_null=True, help_text="Students who gain a flag.")
    lost = serializers.IntegerField(allow_null=True, help_text="Students who lose a flag.")
    flagged_before = serializers.IntegerField(allow_null=True)
    flagged_after = serializers.IntegerField(allow_null=True)
    rr_before = serializers.FloatField(
        allow_null=True, help_text="Risk ratio now (null: too few students to compute it)."
    )
    rr_after = serializers.FloatField(allow_null=True, help_text="Risk ratio after the switch.")


class PreviewRowsSerializer(serializers.Serializer):
    all = PreviewRowSerializer(many=True)
    school = PreviewRowSerializer(many=True)
    grade = PreviewRowSerializer(many=True)
    group = PreviewRowSerializer(many=True)


class PreviewOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(source="district_id")
    subject = serializers.ChoiceField(choices=SettingsPreview.Subject.choices)
    status = serializers.ChoiceField(
        choices=SettingsPreview.Status.choices,
        help_text="A preview asked for on the settings page is worked out by a job; only a "
        "succeeded one has rows.",
    )
    cut_score_set = serializers.IntegerField(source="cut_score_set_id", allow_null=True)
    rule_set = serializers.IntegerField(source="rule_set_id", allow_null=True)
    window = serializers.IntegerField(source="window_id", allow_null=True)
    viewed_by = serializers.IntegerField(source="viewed_by_id", allow_null=True)
    viewed_by_name = serializers.CharField()
    viewed_at = serializers.DateTimeField(allow_null=True)
    activated_by = serializers.IntegerField(source="activated_by_id", allow_null=True)
    activated_at = serializers.DateTimeField(allow_null=True)
    summary = serializers.JSONField(
        help_text="Totals: students, risk_changed, gained, lost, flagged_before, "
        "flagged_after (no_data: there was nothing to compare)."
    )
    rows = PreviewRowsSerializer(
        allow_null=True,
        required=False,
        help_text="Per school, grade and student group (the one preview answers, not the "
        "list; null until the preview has succeeded).",
    )


def _row_data(row: dict[str, Any]) -> dict[str, Any]:
    counts = (
        "n",
        "risk_changed",
        "gained",
        "lost",
        "flagged_before",
        "flagged_after",
        "rr_before",
        "rr_after",
    )
    hidden = bool(row.get("small"))  # fewer than 10 students: no counts, as on the page
    return {
        "dimension": row["dimension"],
        "group": row["group"],
        "small": hidden,
        **{c: None if hidden else row.get(c) for c in counts},
    }


def _rows_data(preview: SettingsPreview) -> dict[str, list[dict[str, Any]]] | None:
    """The rows the finished preview stored (SettingsPreview.result), the same the page reads;
    None while a job is still running, after it failed, or when there was nothing to compare."""
    stored = (preview.result or {}).get("rows")
    if preview.status != SettingsPreview.Status.SUCCEEDED or not stored:
        return None
    return {
        key: [_row_data(r) for r in stored.get(key, [])]
        for key in ("all", "school", "grade", "group")
    }


def _answer(preview: SettingsPreview) -> dict[str, Any]:
    return PreviewOutputSerializer(preview).data | {"rows": _rows_data(preview)}


@extend_schema_view(
    list=extend_schema(
        summary="What-if previews of the districts you administer",
        responses=PreviewOutputSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One what-if preview, with its rows per school, grade and student group",
        responses={200: PreviewOutputSerializer, 404: OpenApiResponse()},
    ),
    create=extend_schema(
        summary="Work out what switching a draft on would change; recorded as read by you",
        request=PreviewRequestSerializer,
        responses={
            201: PreviewOutputSerializer,
            400: OpenApiResponse(description="Name exactly one draft."),
            403: OpenApiResponse(description="Only the district's administrators preview."),
            409: OpenApiResponse(description="This version is already in use."),
        },
    ),
)
class SettingsPreviewViewSet(viewsets.GenericViewSet):
    queryset = SettingsPreview.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[SettingsPreview]:
        user = self.request.user
        qs = SettingsPreview.objects.order_by("-viewed_at", "-id")
        if user.is_superuser:
            return qs
        return qs.filter(district_id__in=access.administered_district_ids(user))

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PreviewOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        preview = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(_answer(preview))

    def create(self, request: Request) -> Response:
        payload = PreviewRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        today = timezone.localdate()
        kind = next(iter(payload.validated_data))
        if kind == "cut_score_set":
            target = get_object_or_404(
                screening_selectors.cut_score_sets_visible_to(request.user),
                pk=payload.validated_data[kind],
            )
            if target.is_reference:
                raise ApplicationError(REFERENCE_READ_ONLY)
        else:
            target = get_object_or_404(
                selectors.rule_sets_visible_to(request.user), pk=payload.validated_data[kind]
            )
        if not access.is_district_admin_of(request.user, target.district_id):
            raise PermissionDenied(services.NOT_A_DISTRICT_ADMIN)
        refuse_in_use(target)
        whatif = (
            whatif_cut_scores(cut_set=target, as_of=today)
            if kind == "cut_score_set"
            else whatif_rule_set(rule_set=target, as_of=today)
        )
        # The one call that records "this administrator read this preview": the activation
        # endpoints (decisions/api_settings.py) accept only a preview recorded as read.
        preview = preview_record(actor=request.user, whatif=whatif, **{kind: target})
        return Response(_answer(preview), status=status.HTTP_201_CREATED)
