"""The catalog endpoint `interventions/`: the shared catalog and the user's districts' entries.

District administrators add and change their district's entries here (POST, PUT, PATCH)
through the settings page's service (`intervention_save`: the same validation, the honest
evidence rules and the audit row); the shared catalog is read-only and other roles get 403
before the payload is read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from interventions.models import EvidenceKind, EvidenceLevel, Intervention
from interventions.selectors.visibility import interventions_visible_to
from interventions.services.catalog import (
    CATALOG_FIELDS,
    NOT_A_DISTRICT_ADMIN,
    SHARED_READ_ONLY,
    intervention_save,
)
from mtss.lib.vocabulary import Domain
from students import access
from students.audit import AuditContext
from students.models import District, Role


class InterventionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(
        source="district_id", allow_null=True, help_text="Null for the shared catalog."
    )
    name = serializers.CharField()
    publisher = serializers.CharField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    description = serializers.CharField()
    tiers = serializers.ListField(child=serializers.IntegerField())
    evidence_kind = serializers.ChoiceField(
        choices=EvidenceKind.choices,
        allow_blank=True,
        help_text="program (its own studies) or practice (from a practice guide).",
    )
    evidence_source = serializers.CharField(help_text="The review the level comes from.")
    evidence_rating = serializers.CharField(help_text="The level in the source's own terms.")
    evidence_level = serializers.ChoiceField(
        choices=EvidenceLevel.choices, allow_blank=True, help_text="ESSA tier: programs only."
    )
    evidence_url = serializers.CharField()
    skills = serializers.ListField(child=serializers.CharField())
    minutes_per_session = serializers.IntegerField(allow_null=True)
    sessions_per_week = serializers.IntegerField(allow_null=True)
    group_size_min = serializers.IntegerField(allow_null=True)
    group_size_max = serializers.IntegerField(allow_null=True)
    weeks = serializers.IntegerField(allow_null=True)
    entry_criteria = serializers.DictField(
        help_text='For example {"domain_risk_in": ["some_risk", "high_risk"], "grades": [1, 5]}.'
    )
    exit_criteria = serializers.DictField(
        help_text='For example {"goal_met_points": 3, "or_benchmark_at_next_screening": true}.'
    )
    fidelity_checklist = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()


class InterventionInputSerializer(serializers.Serializer):
    """A district entry. The service checks the rest (an ESSA tier only for a program and
    with the review's link, criteria and checklist shapes, a unique name)."""

    district = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Create only: which of your districts (default: your first).",
    )
    name = serializers.CharField(max_length=200)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    domain = serializers.ChoiceField(choices=Domain.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=[2, 3]), min_length=1, max_length=2
    )
    skills = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    minutes_per_session = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=600
    )
    sessions_per_week = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=7
    )
    group_size_min = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100
    )
    group_size_max = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100
    )
    weeks = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=60)
    entry_criteria = serializers.DictField(required=False)
    exit_criteria = serializers.DictField(required=False)
    fidelity_checklist = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=50
    )
    evidence_kind = serializers.ChoiceField(
        choices=EvidenceKind.choices, required=False, allow_blank=True
    )
    evidence_source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    evidence_rating = serializers.CharField(max_length=100, required=False, allow_blank=True)
    evidence_level = serializers.ChoiceField(
        choices=EvidenceLevel.choices, required=False, allow_blank=True
    )
    evidence_url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, default=True)


WRITE_ANSWERS = {400: OpenApiResponse(), 403: OpenApiResponse(), 404: OpenApiResponse()}


def _require_district_admin(request: Request) -> None:
    # Before the payload is read: a teacher learns nothing from a 400.
    if not request.user.is_superuser and not access.is_district_admin(request.user):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)


def _district_for(request: Request, asked: int | None) -> District:
    if request.user.is_superuser:
        district = District.objects.filter(pk=asked).first() if asked else None
    else:
        mine = access.districts_where(request.user, (Role.DISTRICT_ADMIN,))
        district = next((d for d in mine if d.pk == asked), None) if asked else mine[0]
    if district is None:
        raise serializers.ValidationError({"district": [_("There is no such district of yours.")]})
    return district


def _current_values(entry: Intervention) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in CATALOG_FIELDS}


class InterventionFilterSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    tier = serializers.ChoiceField(choices=[2, 3], required=False)


@extend_schema_view(
    list=extend_schema(
        summary="The intervention catalog",
        parameters=[InterventionFilterSerializer],
        responses=InterventionOutputSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One catalog entry", responses=InterventionOutputSerializer),
    create=extend_schema(
        summary="Add a district entry (district administrators)",
        request=InterventionInputSerializer,
        responses={201: InterventionOutputSerializer, **WRITE_ANSWERS},
    ),
    update=extend_schema(
        summary="Replace a district entry (district administrators; the shared catalog is "
        "read-only)",
        request=InterventionInputSerializer,
        responses={200: InterventionOutputSerializer, **WRITE_ANSWERS},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a district entry (district administrators)",
        request=InterventionInputSerializer(partial=True),
        responses={200: InterventionOutputSerializer, **WRITE_ANSWERS},
    ),
)
class InterventionViewSet(viewsets.GenericViewSet):
    queryset = Intervention.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Intervention]:
        return interventions_visible_to(self.request.user).order_by("name", "pk")

    def list(self, request: Request) -> Response:
        filters = InterventionFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        qs = self.get_queryset()
        if "domain" in filters.validated_data:
            qs = qs.filter(domain=filters.validated_data["domain"])
        if "tier" in filters.validated_data:
            qs = qs.filter(tiers__contains=[int(filters.validated_data["tier"])])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(InterventionOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(
            InterventionOutputSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data
        )

    def create(self, request: Request) -> Response:
        _require_district_admin(request)
        payload = InterventionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        district = _district_for(request, data.pop("district", None))
        entry = intervention_save(
            district=district,
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
            **data,
        )
        return Response(InterventionOutputSerializer(entry).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        _require_district_admin(request)
        entry = get_object_or_404(self.get_queryset(), pk=pk)
        if entry.district_id is None:
            raise PermissionDenied(SHARED_READ_ONLY)
        payload = InterventionInputSerializer(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("district", None)  # an entry stays in its district
        # Fields left out keep their stored value (PUT needs only the required ones).
        values = {**_current_values(entry), **data}
        entry = intervention_save(
            district=entry.district,
            intervention=entry,
            actor=request.user,
            audit=AuditContext.from_request(request, via="api"),
            **values,
        )
        return Response(InterventionOutputSerializer(entry).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)
