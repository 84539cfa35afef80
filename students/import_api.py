"""REST API of imports: /api/v1/imports/.

- POST (multipart: file, kind, keep_valid, district) queues a job and answers 202 with its id;
- GET /imports/ lists the jobs of the districts you administer, newest first;
- GET /imports/{id}/ gives the status and the progress per file (rows done / total);
- GET /imports/{id}/report/ gives the report (created, updated, deactivated; rejected rows,
  not imported; warnings, rows imported with a note);
- POST /imports/{id}/retry/ starts a failed job again on the same file (202, the new job).

District administrators only: everyone else gets 403 on upload and an empty list.
Registered by students/api.py's register() (one line: `register_imports(router)`).
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from students.import_forms import KIND_EXTENSIONS, MAX_UPLOAD_BYTES
from students.imports import (
    districts_administered_by,
    enqueue,
    import_job_create,
    import_jobs_visible_to,
)
from students.job_health import NotRetriable, import_job_retry
from students.models_imports import ImportJob
from students.uploads import upload_store

NOT_A_DISTRICT_ADMIN = gettext_lazy("Only district administrators can import data.")


class ImportJobOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.IntegerField(source="district_id")
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices)
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    source = serializers.ChoiceField(choices=ImportJob.Source.choices)
    file_name = serializers.CharField(source="original_name")
    all_or_nothing = serializers.BooleanField()
    progress = serializers.DictField(
        help_text='Per file: {"users.csv": {"done": 1200, "total": 5000}}.',
        child=serializers.DictField(),
    )
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    heartbeat_at = serializers.DateTimeField(
        allow_null=True, help_text="Last sign of life of the worker running the job."
    )
    finished_at = serializers.DateTimeField(allow_null=True)


class ImportJobInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="OneRoster .zip, or the student-group .csv.")
    kind = serializers.ChoiceField(
        choices=ImportJob.Kind.choices,  # the same set as the output: one enum in the schema
        default=ImportJob.Kind.ONEROSTER,
        help_text="oneroster (.zip) or student_groups (.csv); other kinds have their own upload.",
    )
    keep_valid = serializers.BooleanField(
        default=False,
        help_text="Import the good rows and list the others (default: all or nothing).",
    )
    district = serializers.IntegerField(
        required=False, help_text="Needed only when you administer several districts."
    )

    def validate(self, data: dict) -> dict:
        upload = data["file"]
        if data["kind"] not in KIND_EXTENSIONS:
            raise serializers.ValidationError(
                {"kind": [_("Upload oneroster or student_groups files here.")]}
            )
        expected = KIND_EXTENSIONS[data["kind"]]
        if Path(upload.name).suffix.lower() != expected:
            raise serializers.ValidationError(
                {
                    "file": [
                        _("%(name)s is not a %(extension)s file.")
                        % {"name": upload.name, "extension": expected}
                    ]
                }
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                {"file": [_("%(name)s is too large.") % {"name": upload.name}]}
            )
        return data


class ImportReportSerializer(serializers.Serializer):
    committed = serializers.BooleanField(help_text="False: nothing was written.")
    all_or_nothing = serializers.BooleanField()
    refused = serializers.CharField(help_text="Why the whole upload was refused, if it was.")
    totals = serializers.DictField(child=serializers.IntegerField())
    counts = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    summary = serializers.CharField(help_text="One line: the totals, rejected rows, warnings.")
    rejected = serializers.ListField(
        child=serializers.DictField(),
        help_text="Rows NOT imported: {file, row, reason}. In all-or-nothing mode any of them "
        "stops the whole import.",
    )
    rejected_total = serializers.IntegerField(help_text="Rows not imported (all, even unlisted).")
    warnings = serializers.ListField(
        child=serializers.DictField(),
        help_text="Rows imported with a note: {file, row, message}. A warning never stops an "
        "import.",
    )
    warnings_total = serializers.IntegerField(help_text="Rows imported with a note.")


@extend_schema_view(
    list=extend_schema(
        summary="Import jobs of your districts", responses=ImportJobOutputSerializer(many=True)
    ),
    retrieve=extend_schema(
        summary="Status and progress of an import",
        responses={
            200: ImportJobOutputSerializer,
            404: OpenApiResponse(description="No such job among yours."),
        },
    ),
    create=extend_schema(
        summary="Upload a file to import",
        request={"multipart/form-data": ImportJobInputSerializer},
        responses={
            202: ImportJobOutputSerializer,
            400: OpenApiResponse(description="Field errors."),
            403: OpenApiResponse(description=NOT_A_DISTRICT_ADMIN),
        },
    ),
)
class ImportJobViewSet(viewsets.GenericViewSet):
    queryset = ImportJob.objects.none()  # the real one is per user, below
    parser_classes = [MultiPartParser, FormParser]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ImportJob]:
        return import_jobs_visible_to(self.request.user).order_by("-created_at", "-id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ImportJobOutputSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(
            ImportJobOutputSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data
        )

    def create(self, request: Request) -> Response:
        districts = districts_administered_by(request.user)
        if not districts:
            raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
        payload = ImportJobInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "district" in data:
            district = next((d for d in districts if d.pk == data["district"]), None)
            if district is None:
                raise serializers.ValidationError(
                    {"district": [_("You do not administer that district.")]}
                )
        elif len(districts) == 1:
            district = districts[0]
        else:
            raise serializers.ValidationError(
                {"district": [_("Say which district: you administer several.")]}
            )
        upload = data["file"]
        job = import_job_create(
            district=district,
            kind=data["kind"],
            file_path=upload_store(name=upload.name, chunks=upload.chunks()),
            original_name=upload.name,
            all_or_nothing=not data["keep_valid"],
            created_by=request.user,
            source=ImportJob.Source.API,
        )
        enqueue(job)
        return Response(ImportJobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Start a failed import again on the same file (a new job)",
        request=None,
        responses={
            202: ImportJobOutputSerializer,
            404: OpenApiResponse(description="No such job among yours."),
            409: OpenApiResponse(description="The job has not failed, or its file is gone."),
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        job = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            retry = import_job_retry(job=job, user=request.user)
        except NotRetriable as exc:
            return Response(
                {"detail": str(exc), "status": job.status}, status=status.HTTP_409_CONFLICT
            )
        return Response(ImportJobOutputSerializer(retry).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Report of a finished import",
        responses={
            200: ImportReportSerializer,
            404: OpenApiResponse(description="No such job among yours."),
            409: OpenApiResponse(description="The job has not finished yet."),
        },
    )
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Response:
        job = get_object_or_404(self.get_queryset(), pk=pk)
        if not job.is_finished:
            return Response(
                {"detail": "The import has not finished yet.", "status": job.status},
                status=status.HTTP_409_CONFLICT,
            )
        report = {
            "committed": False,
            "all_or_nothing": job.all_or_nothing,
            "refused": job.error,
            "totals": {},
            "counts": {},
            "rejected": [],
            "rejected_total": 0,
            "warnings": [],
            "warnings_total": 0,
        }
        report.update(job.report or {})
        report["summary"] = report_summary(report)
        return Response(ImportReportSerializer(report).data)


def report_summary(report: dict) -> str:
    if report.get("refused"):
        return f"Nothing imported: {report['refused']}"
    totals = report.get("totals", {})
    done = ", ".join(
        f"{totals.get(k, 0)} {k}" for k in ("created", "updated", "deactivated", "unchanged")
    )
    head = "Imported" if report.get("committed") else "Nothing imported"
    return (
        f"{head}: {done}; {report.get('rejected_total', 0)} rejected rows (not imported), "
        f"{report.get('warnings_total', 0)} warnings (imported with a note)."
    )


def register_imports(router: DefaultRouter) -> None:
    router.register("imports", ImportJobViewSet, basename="import")
