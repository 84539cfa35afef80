"""REST API of the roster: /api/v1/schools/ and /api/v1/students/.

Thin views in the HackSoft style: an input serializer validates, a selector reads (always
through the scoping functions in students/selectors.py), a service writes, an output
serializer shapes the answer. Who sees what:

- schools: `schools_visible_to(user)`, i.e. the schools where the user holds any
  membership (a teacher or interventionist sees their own school's name and grade span,
  never its roster), every school of the district for district administrators;
- students: `students_visible_to(user)`, so a teacher lists only the students of their
  sections and gets 404 for anyone else;
- writes (create, update): school administrators for their schools, district
  administrators for their district; everyone else gets 403 on a student they can see.

Every student returned is recorded in the access log: one row per student per response,
written in one INSERT for a list page.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from students.audit import AuditContext, audit_record, audit_record_many
from students.import_api import register_imports
from students.models import (
    GRADE_MAX,
    GRADE_MIN,
    AccessLog,
    RaceEthnicity,
    School,
    Sex,
    Student,
)
from students.selectors import schools_visible_to, student_get_for_user, students_visible_to
from students.services import (
    NOT_AN_ADMINISTRATOR,
    roster_writable_school_ids,
    student_create,
    student_update,
)

# -- schools ---------------------------------------------------------------------------


class SchoolOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(source="district_id")
    name = serializers.CharField()
    sourced_id = serializers.CharField(help_text="OneRoster sourcedId; empty when unknown.")
    level = serializers.ChoiceField(choices=School.Level.choices)
    lowest_grade = serializers.IntegerField(help_text="-1 is pre-K, 0 kindergarten.")
    highest_grade = serializers.IntegerField()
    active = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(
        summary="Schools you work in",
        description="Schools where you hold a role; every school of the district for "
        "district administrators.",
        responses=SchoolOutputSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One school",
        responses={
            200: SchoolOutputSerializer,
            404: OpenApiResponse(description="No such school among yours."),
        },
    ),
)
class SchoolViewSet(viewsets.GenericViewSet):
    queryset = School.objects.none()  # the real one is per user, below
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[School]:
        return schools_visible_to(self.request.user).order_by("name", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SchoolOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        school = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(SchoolOutputSerializer(school).data)


# -- students --------------------------------------------------------------------------


class StudentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(source="district_id")
    school = serializers.IntegerField(source="school_id")
    school_name = serializers.CharField(source="school.name")
    local_id = serializers.CharField(help_text="The district's student ID.")
    sourced_id = serializers.CharField(help_text="OneRoster sourcedId; empty when unknown.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    preferred_name = serializers.CharField()
    grade = serializers.IntegerField(help_text="-1 is pre-K, 0 kindergarten, 1 to 12.")
    grade_label = serializers.CharField(help_text="PK, K, 1 ... 12")
    birth_date = serializers.DateField(allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    race_ethnicity = serializers.ChoiceField(choices=RaceEthnicity.choices)
    english_learner = serializers.BooleanField()
    iep = serializers.BooleanField()
    section_504 = serializers.BooleanField()
    economically_disadvantaged = serializers.BooleanField()
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class StudentInputSerializer(serializers.Serializer):
    """A new student (POST), all of a student (PUT) or some of it (PATCH)."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(),
        error_messages={"does_not_exist": _("There is no school with id {pk_value}.")},
    )
    local_id = serializers.CharField(max_length=64, help_text="The district's student ID.")
    sourced_id = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    preferred_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    grade = serializers.IntegerField(
        min_value=GRADE_MIN,
        max_value=GRADE_MAX,
        help_text="-1 is pre-K, 0 kindergarten, 1 to 12.",
        error_messages={
            "min_value": _("Grade must be between -1 (pre-K) and 12."),
            "max_value": _("Grade must be between -1 (pre-K) and 12."),
        },
    )
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    race_ethnicity = serializers.ChoiceField(
        choices=RaceEthnicity.choices, required=False, default=RaceEthnicity.UNKNOWN
    )
    english_learner = serializers.BooleanField(required=False, default=False)
    iep = serializers.BooleanField(required=False, default=False)
    section_504 = serializers.BooleanField(required=False, default=False)
    economically_disadvantaged = serializers.BooleanField(required=False, default=False)
    active = serializers.BooleanField(required=False, default=True)


class AccessPurposeSerializer(serializers.Serializer):
    purpose = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Why you read these records (kept in the record of access, 34 CFR 99.32).",
    )


class StudentFilterSerializer(AccessPurposeSerializer):
    school = serializers.IntegerField(required=False, min_value=1, help_text="A school id.")
    grade = serializers.IntegerField(required=False, min_value=GRADE_MIN, max_value=GRADE_MAX)
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Words matched against first, last and preferred names and the student ID.",
    )
    english_learner = serializers.BooleanField(required=False)
    iep = serializers.BooleanField(required=False)
    section_504 = serializers.BooleanField(required=False)
    economically_disadvantaged = serializers.BooleanField(required=False)
    active = serializers.BooleanField(
        required=False, help_text="Omit for every student, active or not."
    )


STUDENT_FLAGS = ("english_learner", "iep", "section_504", "economically_disadvantaged", "active")


def student_filter(queryset: QuerySet[Student], filters: dict) -> QuerySet[Student]:
    """Narrow an already scoped queryset by the list endpoint's query parameters."""
    if "school" in filters:
        queryset = queryset.filter(school_id=filters["school"])
    if "grade" in filters:
        queryset = queryset.filter(grade=filters["grade"])
    for flag in STUDENT_FLAGS:
        if flag in filters:
            queryset = queryset.filter(**{flag: filters[flag]})
    for word in filters.get("search", "").split():
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(local_id__icontains=word)
        )
    return queryset


WRITE_ERRORS = {
    400: OpenApiResponse(description="Field errors, keyed by field name."),
    403: OpenApiResponse(description=NOT_AN_ADMINISTRATOR),
}


@extend_schema_view(
    list=extend_schema(
        summary="Students you may see",
        description="Only students you have a current relationship with (your sections, "
        "your caseload, your school as team member or administrator, your district as "
        "district administrator). Each student returned is recorded in the access log.",
        parameters=[StudentFilterSerializer],
        responses=StudentOutputSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One student",
        parameters=[AccessPurposeSerializer],
        responses={
            200: StudentOutputSerializer,
            404: OpenApiResponse(description="No such student among those you may see."),
        },
    ),
    create=extend_schema(
        summary="Add a student",
        request=StudentInputSerializer,
        responses={201: StudentOutputSerializer, **WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Replace a student's record",
        request=StudentInputSerializer,
        responses={200: StudentOutputSerializer, **WRITE_ERRORS, 404: OpenApiResponse()},
    ),
    partial_update=extend_schema(
        summary="Change some of a student's fields",
        request=StudentInputSerializer,
        responses={200: StudentOutputSerializer, **WRITE_ERRORS, 404: OpenApiResponse()},
    ),
)
class StudentViewSet(viewsets.GenericViewSet):
    queryset = Student.objects.none()  # the real one is per user, below
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Student]:
        return students_visible_to(self.request.user).select_related("school")

    def list(self, request: Request) -> Response:
        filters = StudentFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        queryset = student_filter(self.get_queryset(), filters.validated_data)
        page = self.paginate_queryset(queryset)
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type="student",
            student_ids=[s.pk for s in page],
            request=request,
            detail={"via": "api", "list": True},
            purpose=filters.validated_data.get("purpose", ""),
        )
        return self.get_paginated_response(StudentOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        params = AccessPurposeSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        student = student_get_for_user(user=request.user, pk=pk)
        audit_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type="student",
            object_id=student.pk,
            student=student,
            request=request,
            detail={"via": "api"},
            purpose=params.validated_data.get("purpose", ""),
        )
        return Response(StudentOutputSerializer(student).data)

    def create(self, request: Request) -> Response:
        # Refuse read-only roles before looking at the payload: their answer is 403
        # whatever they send.
        if not roster_writable_school_ids(request.user):
            raise PermissionDenied(NOT_AN_ADMINISTRATOR)
        payload = StudentInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        student = student_create(
            actor=request.user,
            district=data["school"].district,
            audit=AuditContext.from_request(request, via="api"),
            **data,
        )
        return Response(StudentOutputSerializer(student).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        student = student_get_for_user(user=request.user, pk=pk)  # 404 before 403
        if student.school_id not in roster_writable_school_ids(request.user):
            raise PermissionDenied(NOT_AN_ADMINISTRATOR)
        payload = StudentInputSerializer(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        student = student_update(
            actor=request.user,
            student=student,
            audit=AuditContext.from_request(request, via="api"),
            **payload.validated_data,
        )
        return Response(StudentOutputSerializer(student).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("schools", SchoolViewSet, basename="school")
    router.register("students", StudentViewSet, basename="student")
    register_imports(router)  # /imports/ (students/import_api.py)
    from students.family_api import FamilyContactViewSet

    router.register("family-contacts", FamilyContactViewSet, basename="family-contact")
