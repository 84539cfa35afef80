"""REST API of the district's versioned settings: rule sets, what-if previews, switching on.

A new version is always a draft. Switching one on names the what-if preview its administrator
ran and read for that very draft, as the settings pages do (docs/settings.md):

- `POST /rule-sets/{id}/revise/ {"thresholds": {...changed only...}, "notes"}` saves
  version + 1 as a draft (district administrators). The cut-score drafts come from
  `/cut-score-sets/` (screening/api/cut_scores.py).
- `POST /settings-previews/ {"cut_score_set": id}` or `{"rule_set": id}` works out what the
  draft would change on the current window's data and answers it (totals, and rows per
  school, grade and student group); the preview is recorded as read by the caller.
  `GET /settings-previews/` lists the previews of the districts you administer
  (decisions/api_previews.py).
- `POST /rule-sets/{id}/activate/ {"preview": id}` and
  `POST /cut-score-sets/{id}/activate/ {"preview": id}` switch the draft on through
  decisions.whatif_services (`rule_set_activate_after_preview`,
  `cut_score_set_activate_after_preview`), whose audit row names the preview.

Refusals: no preview named, or one that is not the caller's read of this draft -> 400 naming
what is missing; a version already in use -> 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from decisions import selectors, services
from decisions.models import RuleSet, SettingsPreview
from decisions.thresholds import DEFAULT_THRESHOLDS
from decisions.whatif_services import (
    cut_score_set_activate_after_preview,
    rule_set_activate_after_preview,
)
from mtss.errors import ApplicationError
from screening import selectors as screening_selectors
from screening.api.cut_scores import CutScoreSetOutputSerializer
from screening.models import CutScoreSet
from screening.services.cut_scores import REFERENCE_READ_ONLY
from students import access
from students.audit import AuditContext

PREVIEW_MISSING = _(
    "Name the what-if preview you read for this draft: POST /api/v1/settings-previews/ "
    '{"%(subject)s": %(pk)s} works it out and answers its id; send it here as {"preview": id}.'
)
PREVIEW_NOT_OF_DRAFT = _(
    "Preview %(preview)s is not a preview of this draft (version %(version)s). Run one for "
    'it: POST /api/v1/settings-previews/ {"%(subject)s": %(pk)s}.'
)
PREVIEW_NOT_YOURS = _(
    "Preview %(preview)s was not read by you. Switching a version on needs a preview you "
    "read yourself: run one with POST /api/v1/settings-previews/."
)
PREVIEW_USED = _(
    "Preview %(preview)s was already used to switch a version on. Run a new one with "
    "POST /api/v1/settings-previews/."
)
IN_USE = _("Version %(version)s is already in use: there is nothing to switch on.")


class AlreadyInUse(APIException):
    """The version named is the one in use: the request conflicts with the stored state."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "already_in_use"


ACTIVATION_ERRORS = {
    400: OpenApiResponse(
        description="No preview named, or the preview is not one you read of this draft in "
        "the last 12 hours (or it was used already): `preview` or `detail` says which."
    ),
    403: OpenApiResponse(description="Only the district's administrators switch versions on."),
    409: OpenApiResponse(description="This version is already in use."),
}


class ActivateSerializer(serializers.Serializer):
    preview = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text="The id of the what-if preview of this draft you ran and read "
        "(POST /api/v1/settings-previews/).",
    )


def _checked_preview(request: Request, subject: str, target: Any) -> int:
    """The preview id the request names, once it is one the caller read of this draft."""
    payload = ActivateSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    preview_id = payload.validated_data.get("preview")
    words = {"subject": subject, "pk": target.pk, "version": target.version}
    if preview_id is None:
        raise serializers.ValidationError({"preview": [PREVIEW_MISSING % words]})
    preview = SettingsPreview.objects.filter(pk=preview_id, **{subject: target}).first()
    if preview is None:
        problem = PREVIEW_NOT_OF_DRAFT
    elif preview.viewed_by_id != request.user.pk:
        problem = PREVIEW_NOT_YOURS
    elif preview.activated_at is not None:
        problem = PREVIEW_USED
    else:
        # Its age (12 hours at most) is the service's to judge.
        return preview_id
    raise serializers.ValidationError({"preview": [problem % {"preview": preview_id, **words}]})


def refuse_in_use(target: Any) -> None:
    if target.is_active:
        raise AlreadyInUse(IN_USE % {"version": target.version})


# -- rule sets -----------------------------------------------------------------------------------


class RuleSetOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(source="district_id")
    version = serializers.IntegerField()
    is_active = serializers.BooleanField()
    thresholds = serializers.JSONField()
    notes = serializers.CharField()
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)
    created_at = serializers.DateTimeField()


class RuleSetReviseSerializer(serializers.Serializer):
    thresholds = serializers.DictField(
        help_text="Only the thresholds that change, by name: "
        + ", ".join(DEFAULT_THRESHOLDS.to_dict())
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    list=extend_schema(
        summary="Your districts' rule-set versions", responses=RuleSetOutputSerializer(many=True)
    ),
    retrieve=extend_schema(summary="One rule-set version", responses=RuleSetOutputSerializer),
    revise=extend_schema(
        summary="Change thresholds: saves version + 1 as a draft (switch it on after its preview)",
        request=RuleSetReviseSerializer,
        responses={201: RuleSetOutputSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    ),
    activate=extend_schema(
        summary="Switch a draft on, naming the what-if preview you read of it",
        request=ActivateSerializer,
        responses={200: RuleSetOutputSerializer, **ACTIVATION_ERRORS},
    ),
)
class RuleSetViewSet(viewsets.GenericViewSet):
    queryset = RuleSet.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[RuleSet]:
        return selectors.rule_sets_visible_to(self.request.user).order_by("district_id", "-version")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RuleSetOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(RuleSetOutputSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def _administered(self, pk: str) -> RuleSet:
        rule_set = get_object_or_404(self.get_queryset(), pk=pk)
        if not services.is_district_admin(self.request.user, rule_set.district_id):
            raise PermissionDenied(services.NOT_A_DISTRICT_ADMIN)
        return rule_set

    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str) -> Response:
        rule_set = self._administered(pk)
        payload = RuleSetReviseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        new = services.rule_set_revise(
            district=rule_set.district,
            changes=payload.validated_data["thresholds"],
            notes=payload.validated_data.get("notes", ""),
            activate=False,
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(RuleSetOutputSerializer(new).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str) -> Response:
        rule_set = self._administered(pk)
        refuse_in_use(rule_set)
        preview_id = _checked_preview(request, "rule_set", rule_set)
        rule_set_activate_after_preview(
            rule_set=rule_set,
            preview_id=preview_id,
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(RuleSetOutputSerializer(self.get_queryset().get(pk=rule_set.pk)).data)


# -- cut-score activation ------------------------------------------------------------------------


class CutScoreSetActivateView(APIView):
    """`POST /cut-score-sets/{id}/activate/`: here, not in screening's viewset, because the
    preview it names belongs to this app (screening sits below decisions)."""

    def _administered(self, request: Request, pk: int) -> CutScoreSet:
        cut_set = get_object_or_404(
            screening_selectors.cut_score_sets_visible_to(request.user), pk=pk
        )
        if cut_set.is_reference:
            raise ApplicationError(REFERENCE_READ_ONLY)
        if not access.is_district_admin_of(request.user, cut_set.district_id):
            raise PermissionDenied(services.NOT_A_DISTRICT_ADMIN)
        return cut_set

    @extend_schema(
        summary="Switch a cut-score draft on, naming the what-if preview you read of it",
        operation_id="v1_cut_score_sets_activate_create",
        description="Switches the draft on (the current window's scores of its measure are "
        "classified again under it, then the district's flags are worked out again), naming "
        "the what-if preview you ran and read of this draft (POST /api/v1/settings-previews/).",
        request=ActivateSerializer,
        responses={200: CutScoreSetOutputSerializer, **ACTIVATION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        cut_set = self._administered(request, pk)
        refuse_in_use(cut_set)
        preview_id = _checked_preview(request, "cut_score_set", cut_set)
        cut_score_set_activate_after_preview(
            cut_score_set=cut_set,
            preview_id=preview_id,
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        fresh = screening_selectors.cut_score_sets_visible_to(request.user).prefetch_related("rows")
        return Response(CutScoreSetOutputSerializer(fresh.get(pk=cut_set.pk)).data)


extra_urlpatterns = [
    path(
        "cut-score-sets/<int:pk>/activate/",
        CutScoreSetActivateView.as_view(),
        name="cut-score-set-activate",
    ),
]
