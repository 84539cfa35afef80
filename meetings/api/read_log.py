"""The record-of-access rows for the students an API read showed."""

from __future__ import annotations

from rest_framework.request import Request

from students.audit import audit_record_many
from students.models import AccessLog


def log_reads(request: Request, object_type: str, student_ids: list[int]) -> None:
    ids = sorted({sid for sid in student_ids if sid})
    if ids:
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.VIEW,
            object_type=object_type,
            student_ids=ids,
            request=request,
            purpose=request.query_params.get("purpose", "")[:200],
        )
