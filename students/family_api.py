"""/api/v1/family-contacts/: the family contacts of the students a user may see (read-only;
staff change them on the student's page). Every contact returned is logged against its
student, one row per student in one INSERT."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from students.audit import audit_page_view
from students.models import Relationship, StudentGuardian
from students.selectors import students_visible_to


class FamilyContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The link of this contact to this student.")
    student = serializers.IntegerField(source="student_id")
    guardian = serializers.IntegerField(source="guardian_id")
    sourced_id = serializers.CharField(source="guardian.sourced_id")
    first_name = serializers.CharField(source="guardian.first_name")
    last_name = serializers.CharField(source="guardian.last_name")
    relationship = serializers.ChoiceField(
        source="guardian.relationship", choices=Relationship.choices
    )
    email = serializers.CharField(source="guardian.email")
    phone = serializers.CharField(source="guardian.phone")
    preferred_language = serializers.CharField(
        source="guardian.preferred_language", help_text="ISO 639-1 code; empty when unknown."
    )
    active = serializers.BooleanField(source="guardian.active")
    receives_letters = serializers.BooleanField()
    from_roster = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(
        summary="Family contacts of your students",
        parameters=[OpenApiParameter("student", OpenApiTypes.INT, description="One student.")],
        responses=FamilyContactSerializer(many=True),
    )
)
class FamilyContactViewSet(viewsets.GenericViewSet):
    queryset = StudentGuardian.objects.none()

    def get_queryset(self) -> QuerySet[StudentGuardian]:
        qs = StudentGuardian.objects.filter(
            student__in=students_visible_to(self.request.user)
        ).select_related("guardian")
        student = self.request.query_params.get("student", "")
        if student.isdigit():
            qs = qs.filter(student_id=int(student))
        return qs.order_by("student_id", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        audit_page_view(request, "family_contact", [link.student_id for link in page], via="api")
        return self.get_paginated_response(FamilyContactSerializer(page, many=True).data)
