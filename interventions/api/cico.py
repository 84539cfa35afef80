"""`/cico-cards/`: daily CICO point cards of the plans you may see; `POST /cico-cards/bulk/`
saves several days or students at once (all or nothing, errors keyed by row from 0)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from interventions.models import CicoCard
from interventions.selectors.visibility import plans_visible_to
from interventions.services.cico import cico_cards_bulk_record
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_page_view


class CardOut(serializers.Serializer):
    plan = serializers.IntegerField(source="plan_id")
    date = serializers.DateField()
    points = serializers.JSONField()
    max_points = serializers.IntegerField()
    checked_in = serializers.BooleanField()
    checked_out = serializers.BooleanField()
    home_copy_returned = serializers.BooleanField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class CardIn(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    points = serializers.JSONField(help_text="One list per period of ratings (null: not rated).")
    checked_in = serializers.BooleanField(default=False)
    checked_out = serializers.BooleanField(default=False)
    home_copy_returned = serializers.BooleanField(default=False)


class CardsIn(serializers.Serializer):
    rows = CardIn(many=True)


class CardsOut(serializers.Serializer):
    cards = CardOut(many=True)


class CardFilter(serializers.Serializer):
    plan = serializers.IntegerField(required=False, min_value=1)


class CicoCardViewSet(viewsets.GenericViewSet):
    def get_queryset(self):
        plans = plans_visible_to(self.request.user)
        return (
            CicoCard.objects.filter(plan__in=plans)
            .select_related("plan")
            .order_by("plan_id", "date")
        )

    @extend_schema(summary="CICO point cards", parameters=[CardFilter],
                   responses=CardOut(many=True))  # fmt: skip
    def list(self, request: Request) -> Response:
        f = CardFilter(data=request.query_params.dict())
        f.is_valid(raise_exception=True)
        qs = self.get_queryset()
        if "plan" in f.validated_data:
            qs = qs.filter(plan_id=f.validated_data["plan"])
        page = self.paginate_queryset(qs)
        audit_page_view(request, "cico_card", [c.plan.student_id for c in page], via="api")
        return self.get_paginated_response(CardOut(page, many=True).data)

    @extend_schema(
        summary="Save CICO point cards (bulk, all or nothing)",
        request=CardsIn,
        responses={200: CardsOut, 400: OpenApiResponse(description="Errors by row")},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        payload = CardsIn(data=request.data)
        payload.is_valid(raise_exception=True)
        rows = [dict(r) for r in payload.validated_data["rows"]]
        plans = {
            p.pk: p
            for p in plans_visible_to(request.user)
            .select_related("student", "measure")
            .filter(pk__in={r["plan"] for r in rows})
        }
        missing = {
            str(i): ["No such plan among yours."]
            for i, r in enumerate(rows)
            if r["plan"] not in plans
        }
        if missing:
            raise serializers.ValidationError(missing)
        for r in rows:
            r["plan"] = plans[r["plan"]]
        try:
            cards = cico_cards_bulk_record(
                rows=rows, actor=request.user, audit=AuditContext.from_request(request, via="api")
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        except ApplicationError as exc:
            raise serializers.ValidationError({"plan": [str(exc)]}) from exc
        return Response(CardsOut({"cards": cards}).data)
