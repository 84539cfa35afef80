"""The catalog endpoint `interventions/`: the shared catalog and the user's districts' entries."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from interventions.models import EvidenceLevel, Intervention
from interventions.selectors.visibility import interventions_visible_to
from mtss.lib.vocabulary import Domain


class InterventionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(
        source="district_id", allow_null=True, help_text="Null for the shared catalog."
    )
    name = serializers.CharField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    description = serializers.CharField()
    tiers = serializers.ListField(child=serializers.IntegerField())
    evidence_level = serializers.ChoiceField(choices=EvidenceLevel.choices, allow_blank=True)
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
