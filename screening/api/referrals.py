"""`/referrals/`: office discipline referrals of the students you may see; record one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from screening import selectors
from screening.models.referrals import Referral
from screening.services.access import STUDENT_NOT_FOUND
from screening.services.referrals import REFERRAL_OBJECT, referral_create
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import AccessLog
from students.selectors import student_get_for_user


class ReferralOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id")
    school = serializers.IntegerField(source="school_id")
    school_year = serializers.IntegerField(source="school_year_id")
    date = serializers.DateField()
    time = serializers.TimeField(allow_null=True)
    severity = serializers.ChoiceField(choices=Referral.Severity.choices)
    location = serializers.ChoiceField(choices=Referral.Location.choices)
    problem_behavior = serializers.ChoiceField(choices=Referral.ProblemBehavior.choices)
    perceived_motivation = serializers.ChoiceField(choices=Referral.Motivation.choices)
    others_involved = serializers.ChoiceField(choices=Referral.OthersInvolved.choices)
    action_taken = serializers.ChoiceField(choices=Referral.Action.choices)
    staff = serializers.IntegerField(source="staff_id", allow_null=True)
    staff_name = serializers.CharField()
    notes = serializers.CharField()
    reported_by = serializers.IntegerField(source="reported_by_id", allow_null=True)
    created_at = serializers.DateTimeField()


class ReferralInputSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    time = serializers.TimeField(required=False, allow_null=True, default=None)
    severity = serializers.ChoiceField(
        choices=Referral.Severity.choices, default=Referral.Severity.MAJOR
    )
    location = serializers.ChoiceField(choices=Referral.Location.choices)
    problem_behavior = serializers.ChoiceField(choices=Referral.ProblemBehavior.choices)
    perceived_motivation = serializers.ChoiceField(
        choices=Referral.Motivation.choices, default=Referral.Motivation.UNKNOWN
    )
    others_involved = serializers.ChoiceField(
        choices=Referral.OthersInvolved.choices, default=Referral.OthersInvolved.NONE
    )
    action_taken = serializers.ChoiceField(
        choices=Referral.Action.choices, default=Referral.Action.PENDING
    )
    staff_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1)
    school = serializers.IntegerField(required=False, min_value=1)
    school_year = serializers.IntegerField(required=False, min_value=1)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Office discipline referrals of students you may see",
        parameters=[ReferralFilterSerializer],
        responses=ReferralOutputSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One referral", responses=ReferralOutputSerializer),
    create=extend_schema(
        summary="Record a referral",
        request=ReferralInputSerializer,
        responses={201: ReferralOutputSerializer, 400: OpenApiResponse()},
    ),
)
class ReferralViewSet(viewsets.GenericViewSet):
    queryset = Referral.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.referrals_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        filters = ReferralFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        for name in ("student", "school", "school_year"):
            if name in f:
                qs = qs.filter(**{f"{name}_id": f[name]})
        if "date_from" in f:
            qs = qs.filter(date__gte=f["date_from"])
        if "date_to" in f:
            qs = qs.filter(date__lte=f["date_to"])
        page = self.paginate_queryset(qs)
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=REFERRAL_OBJECT,
            student_ids=sorted({r.student_id for r in page}),
            request=request,
            detail={"via": "api", "list": True},
        )
        return self.get_paginated_response(ReferralOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        referral = get_object_or_404(self.get_queryset(), pk=pk)
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=REFERRAL_OBJECT,
            object_id=referral.pk,
            student=referral.student_id,
            request=request,
            detail={"via": "api"},
        )
        return Response(ReferralOutputSerializer(referral).data)

    def create(self, request: Request) -> Response:
        payload = ReferralInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        student_id = data.pop("student")
        try:
            student = student_get_for_user(user=request.user, pk=student_id)
        except Http404 as exc:  # the same words as for a student that does not exist
            raise serializers.ValidationError({"student": [STUDENT_NOT_FOUND]}) from exc
        referral = referral_create(
            student=student,
            reported_by=request.user,
            # No other name given: the person reporting is the staff member who saw it.
            staff=None if data.get("staff_name") else request.user,
            audit=AuditContext.from_request(request, via="api"),
            **data,
        )
        return Response(ReferralOutputSerializer(referral).data, status=status.HTTP_201_CREATED)
