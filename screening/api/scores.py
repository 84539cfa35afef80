"""`/screening-scores/`: the scores you may see; record one, or a list at `bulk/`.

A student you cannot see is a field error, worded exactly like a student that does not exist.
Every score answers with `risk_level`, `percentile_rank` and `cut_score_version`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mtss.errors import CONFLICT_RESPONSE
from mtss.lib.vocabulary import RiskLevel
from screening import selectors
from screening.models.scores import ScreeningScore
from screening.services.score_writes import SCORE_OBJECT
from screening.services.scores import ScoreInput, scores_bulk_record
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import AccessLog

BULK_MAX = 2000


class ScoreOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id")
    measure = serializers.IntegerField(source="measure_id")
    window = serializers.IntegerField(source="window_id")
    grade = serializers.IntegerField(help_text="The student's grade when screened.")
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices,
        allow_null=True,
        help_text="null when no cut score applies to this grade and season (no rule, not no risk).",
    )
    percentile_rank = serializers.IntegerField(
        allow_null=True, help_text="1-99 among the district's scores of this grade and window."
    )
    cut_score_set = serializers.IntegerField(source="cut_score_set_id", allow_null=True)
    cut_score_version = serializers.IntegerField(allow_null=True)
    source = serializers.ChoiceField(choices=ScreeningScore.Source.choices)
    entered_by = serializers.IntegerField(source="entered_by_id", allow_null=True)
    entered_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField(
        help_text="Send it back as `version` when changing this score: a colleague's newer "
        "save is then answered with 409 and both values instead of being overwritten."
    )


class ScoreInputSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1)
    measure = serializers.IntegerField(min_value=1)
    window = serializers.IntegerField(min_value=1)
    # A string or a number; the service checks it against the measure's range with a message
    # a teacher can read ("ORF scores go from 0 to 300; 450 is outside that range.").
    score = serializers.CharField(allow_blank=True, allow_null=True, max_length=40)
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The stored score's `version` you read (0: there was none). 409 with both "
        "values when a colleague saved since; leave it out to skip the check.",
    )


class ScoreFilterSerializer(serializers.Serializer):
    window = serializers.IntegerField(required=False, min_value=1)
    measure = serializers.IntegerField(required=False, min_value=1)
    school = serializers.IntegerField(required=False, min_value=1)
    student = serializers.IntegerField(required=False, min_value=1)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    purpose = serializers.CharField(required=False, max_length=200)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    scores = ScoreOutputSerializer(many=True)


def _score_input(data: dict) -> ScoreInput:
    return ScoreInput(
        student=data["student"],
        measure=data["measure"],
        window=data["window"],
        value=data["score"],
        expected_version=data.get("version"),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Screening scores you may see",
        parameters=[ScoreFilterSerializer],
        responses=ScoreOutputSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One score",
        responses={200: ScoreOutputSerializer, 404: OpenApiResponse()},
    ),
    create=extend_schema(
        summary="Record a score (re-entry updates it; the change is kept)",
        request=ScoreInputSerializer,
        responses={201: ScoreOutputSerializer, 400: OpenApiResponse(), 409: CONFLICT_RESPONSE},
    ),
    bulk=extend_schema(
        summary=f"Record a list of scores (up to {BULK_MAX}); all or nothing",
        request=ScoreInputSerializer(many=True),
        responses={
            201: BulkResultSerializer,
            400: OpenApiResponse(description='{"rows": ["Item 2: ...", ...]}; nothing saved.'),
            409: CONFLICT_RESPONSE,
        },
    ),
)
class ScreeningScoreViewSet(viewsets.GenericViewSet):
    queryset = ScreeningScore.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ScreeningScore]:
        return selectors.scores_visible_to(self.request.user).select_related("cut_score_set")

    def list(self, request: Request) -> Response:
        filters = ScoreFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        for name in ("window", "measure", "student", "risk_level"):
            if name in f:
                qs = qs.filter(**{name: f[name]})
        if "school" in f:
            qs = qs.filter(student__school_id=f["school"])
        page = self.paginate_queryset(qs.order_by("window_id", "measure_id", "student_id"))
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=SCORE_OBJECT,
            student_ids=sorted({s.student_id for s in page}),
            request=request,
            detail={"via": "api", "list": True},
            purpose=f.get("purpose", ""),
        )
        return self.get_paginated_response(ScoreOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        score = get_object_or_404(self.get_queryset(), pk=pk)
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=SCORE_OBJECT,
            object_id=score.pk,
            student=score.student_id,
            request=request,
            detail={"via": "api"},
        )
        return Response(ScoreOutputSerializer(score).data)

    def create(self, request: Request) -> Response:
        payload = ScoreInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = scores_bulk_record(
            rows=[_score_input(payload.validated_data)],
            entered_by=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(ScoreOutputSerializer(result.scores[0]).data, status=201)

    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        if not isinstance(request.data, list):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send a JSON list of scores.")]}
            )
        if not request.data:
            raise serializers.ValidationError({"non_field_errors": [_("The list is empty.")]})
        if len(request.data) > BULK_MAX:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Send at most %(count)s scores at a time.") % {"count": BULK_MAX}
                    ]
                }
            )
        payload = ScoreInputSerializer(data=request.data, many=True)
        if not payload.is_valid():
            errors = payload.errors
            # DRF gives a list aligned with the input, or (recent versions) a dict by index.
            by_index = errors.items() if isinstance(errors, dict) else enumerate(errors)
            raise serializers.ValidationError(
                {
                    "rows": [
                        f"Item {i + 1}: {field}: {' '.join(str(m) for m in messages)}"
                        for i, item_errors in by_index
                        for field, messages in (item_errors or {}).items()
                    ]
                }
            )
        result = scores_bulk_record(
            rows=[_score_input(row) for row in payload.validated_data],
            entered_by=request.user,
            audit=AuditContext.from_request(request, via="api"),
        )
        return Response(
            BulkResultSerializer(
                {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "scores": result.scores,
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )
