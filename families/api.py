"""/api/v1/family-letters/ and /api/v1/evaluation-referrals/: read-only, through the students
the user may see; every letter or referral returned is logged against its student."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from families import letters, referrals
from families.models import (
    EvaluationReferral,
    FamilyLetter,
    LetterKind,
    ReferralKind,
    ReferralOutcome,
)
from students.audit import audit_page_view

STUDENT_PARAM = OpenApiParameter("student", OpenApiTypes.INT, description="One student.")


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id")
    kind = serializers.ChoiceField(choices=LetterKind.choices)
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    plan = serializers.IntegerField(source="plan_id", allow_null=True)
    language = serializers.CharField()
    recipients = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField(help_text="As edited; exactly as sent once status is sent.")
    status = serializers.ChoiceField(choices=FamilyLetter.Status.choices)
    sent_at = serializers.DateTimeField(allow_null=True)
    sent_via = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id")
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    kind = serializers.ChoiceField(choices=ReferralKind.choices)
    referred_on = serializers.DateField()
    consent_requested_on = serializers.DateField(allow_null=True)
    consent_given_on = serializers.DateField(allow_null=True)
    consent_refused_on = serializers.DateField(allow_null=True)
    timeline_days = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices)
    outcome_on = serializers.DateField(allow_null=True)
    signed_off_at = serializers.DateTimeField(allow_null=True)
    documentation = serializers.JSONField(allow_null=True, help_text="Frozen at sign-off.")


def _for_student(qs: QuerySet, request: Request) -> QuerySet:
    student = request.query_params.get("student", "")
    return qs.filter(student_id=int(student)) if student.isdigit() else qs


@extend_schema_view(
    list=extend_schema(summary="Letters to families", parameters=[STUDENT_PARAM]),
    retrieve=extend_schema(summary="One letter"),
)
class LetterViewSet(viewsets.GenericViewSet):
    queryset = FamilyLetter.objects.none()
    serializer_class = LetterSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[FamilyLetter]:
        qs = letters.letters_visible_to(self.request.user).order_by("-created_at", "-id")
        return _for_student(qs, self.request)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        audit_page_view(request, "family_letter", [x.student_id for x in page], via="api")
        return self.get_paginated_response(LetterSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        letter = get_object_or_404(self.get_queryset(), pk=pk)
        audit_page_view(request, "family_letter", [letter.student_id], via="api")
        return Response(LetterSerializer(letter).data)


@extend_schema_view(
    list=extend_schema(summary="Evaluation referrals", parameters=[STUDENT_PARAM]),
    retrieve=extend_schema(summary="One referral with its documentation"),
)
class ReferralViewSet(viewsets.GenericViewSet):
    queryset = EvaluationReferral.objects.none()
    serializer_class = ReferralSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[EvaluationReferral]:
        qs = referrals.referrals_visible_to(self.request.user).order_by("-referred_on", "-id")
        return _for_student(qs, self.request)

    def _with_due(self, rows: list[EvaluationReferral]) -> list[EvaluationReferral]:
        today = timezone.localdate()
        for r in rows:
            r.due_on = referrals.referral_clock(r, today=today).due_on
        return rows

    def list(self, request: Request) -> Response:
        page = self._with_due(list(self.paginate_queryset(self.get_queryset())))
        audit_page_view(request, "evaluation_referral", [x.student_id for x in page], via="api")
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        referral = self._with_due([get_object_or_404(self.get_queryset(), pk=pk)])[0]
        audit_page_view(request, "evaluation_referral", [referral.student_id], via="api")
        return Response(ReferralSerializer(referral).data)


def register(router: DefaultRouter) -> None:
    router.register("family-letters", LetterViewSet, basename="family-letter")
    router.register("evaluation-referrals", ReferralViewSet, basename="evaluation-referral")
