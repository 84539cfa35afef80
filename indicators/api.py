"""`/attendance/`, `/attendance-summaries/`, `/course-marks/`: read the students you may see;
`POST .../bulk/` writes up to 10,000 rows at once, all or nothing, checked like the CSV
imports (student IDs as the SIS writes them; errors keyed by row number, from 1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from indicators import selectors, services
from indicators.models import AttendanceStatus
from students import access
from students.audit import AuditContext, audit_page_view


class AttendanceOut(serializers.Serializer):
    student = serializers.IntegerField(source="student_id")
    school = serializers.IntegerField(source="school_id")
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class SummaryOut(serializers.Serializer):
    student = serializers.IntegerField(source="student_id")
    school = serializers.IntegerField(source="school_id")
    school_year = serializers.IntegerField(source="school_year_id")
    days_enrolled = serializers.IntegerField()
    days_absent = serializers.IntegerField()
    days_excused = serializers.IntegerField()
    days_tardy = serializers.IntegerField()
    absence_rate = serializers.FloatField()
    chronic = serializers.BooleanField()
    last_date = serializers.DateField()


class MarkOut(serializers.Serializer):
    student = serializers.IntegerField(source="student_id")
    school_year = serializers.IntegerField(source="school_year_id")
    section = serializers.IntegerField(source="section_id", allow_null=True)
    course_code = serializers.CharField()
    course_name = serializers.CharField()
    subject = serializers.CharField()
    core = serializers.BooleanField()
    grading_period = serializers.CharField()
    period_end = serializers.DateField()
    letter = serializers.CharField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passing = serializers.BooleanField()


class AttendanceRowIn(serializers.Serializer):
    student_id = serializers.CharField(help_text="The student ID of the SIS.")
    date = serializers.CharField(help_text="YYYY-MM-DD")
    status = serializers.CharField(help_text="P, T, E or U (or the words)")


class MarkRowIn(serializers.Serializer):
    student_id = serializers.CharField()
    course_code = serializers.CharField()
    grading_period = serializers.CharField()
    period_end = serializers.CharField(help_text="YYYY-MM-DD")
    mark = serializers.CharField(help_text="A percent 0-100 or a letter")
    course_name = serializers.CharField(required=False, allow_blank=True)
    subject = serializers.CharField(required=False, allow_blank=True)
    core = serializers.CharField(required=False, allow_blank=True)
    section = serializers.CharField(required=False, allow_blank=True)


class BulkIn(serializers.Serializer):
    district = serializers.IntegerField(required=False, min_value=1)


class AttendanceBulkIn(BulkIn):
    rows = AttendanceRowIn(many=True)


class MarkBulkIn(BulkIn):
    rows = MarkRowIn(many=True)


class BulkOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class StudentFilter(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1)
    school_year = serializers.IntegerField(required=False, min_value=1)


def _district(request: Request, given: int | None) -> int:
    mine = access.team_school_ids(request.user) and access.district_ids_of(request.user)
    if given is not None and given in (mine or set()):
        return given
    if given is None and mine and len(mine) == 1:
        return next(iter(mine))
    raise serializers.ValidationError(
        {"district": [_("Name the district (an id of a district whose school team you are on).")]}
    )


def _bulk(request: Request, payload_class, write) -> Response:
    payload = payload_class(data=request.data)
    payload.is_valid(raise_exception=True)
    district_id = _district(request, payload.validated_data.get("district"))
    try:
        counts = write(
            user=request.user,
            district_id=district_id,
            rows=[dict(r) for r in payload.validated_data["rows"]],
            audit=AuditContext.from_request(request, via="api"),
        )
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from exc
    return Response(BulkOut(counts).data, status=status.HTTP_200_OK)


class _ListViewSet(viewsets.GenericViewSet):
    output = serializers.Serializer
    object_type = ""

    def _list(self, request: Request, qs) -> Response:
        f = StudentFilter(data=request.query_params.dict())
        f.is_valid(raise_exception=True)
        if "student" in f.validated_data:
            qs = qs.filter(student_id=f.validated_data["student"])
        if "school_year" in f.validated_data and hasattr(qs.model, "school_year_id"):
            qs = qs.filter(school_year_id=f.validated_data["school_year"])
        page = self.paginate_queryset(qs)
        audit_page_view(request, self.object_type, [r.student_id for r in page], via="api")
        return self.get_paginated_response(self.output(page, many=True).data)


class AttendanceViewSet(_ListViewSet):
    output = AttendanceOut
    object_type = "attendance"

    def get_queryset(self):
        return selectors.attendance_visible_to(self.request.user)

    @extend_schema(summary="Daily attendance of students you may see", parameters=[StudentFilter],
                   responses=AttendanceOut(many=True))  # fmt: skip
    def list(self, request: Request) -> Response:
        return self._list(request, self.get_queryset())

    @extend_schema(
        summary="Record daily attendance (bulk, all or nothing)",
        request=AttendanceBulkIn,
        responses={200: BulkOut, 400: OpenApiResponse(description="Errors by row number")},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        return _bulk(request, AttendanceBulkIn, services.attendance_rows_record)


class AttendanceSummaryViewSet(_ListViewSet):
    output = SummaryOut
    object_type = "attendance_summary"

    def get_queryset(self):
        return selectors.summaries_visible_to(self.request.user)

    @extend_schema(summary="Attendance rate and chronic absence per student and school year",
                   parameters=[StudentFilter], responses=SummaryOut(many=True))  # fmt: skip
    def list(self, request: Request) -> Response:
        return self._list(request, self.get_queryset())


class CourseMarkViewSet(_ListViewSet):
    output = MarkOut
    object_type = "course_mark"

    def get_queryset(self):
        return selectors.marks_visible_to(self.request.user)

    @extend_schema(summary="Course marks of students you may see", parameters=[StudentFilter],
                   responses=MarkOut(many=True))  # fmt: skip
    def list(self, request: Request) -> Response:
        return self._list(request, self.get_queryset())

    @extend_schema(
        summary="Record course marks (bulk, all or nothing)",
        request=MarkBulkIn,
        responses={200: BulkOut, 400: OpenApiResponse(description="Errors by row number")},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        return _bulk(request, MarkBulkIn, services.mark_rows_record)


def register(router: DefaultRouter) -> None:
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("attendance-summaries", AttendanceSummaryViewSet, basename="attendance-summary")
    router.register("course-marks", CourseMarkViewSet, basename="course-mark")
