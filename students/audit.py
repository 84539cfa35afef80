"""The record of access: every view and change of a student's record, and every export.

Call `audit_record` from views, API endpoints and services (inside their transaction, so the
log row and the change commit together); `audit_record_many` logs a list page or an export in
one INSERT.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from mtss.client_ip import client_ip
from students.models import AccessLog, Student, User

__all__ = ["audit_record", "audit_record_many", "client_ip"]


def audit_record(
    *,
    user: User | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    student: Student | int | None = None,
    request: HttpRequest | None = None,
    detail: dict | None = None,
    purpose: str = "",
) -> AccessLog:
    student_id = student.pk if isinstance(student, Student) else student
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        student_id=student_id,
        ip=client_ip(request),
        detail=detail or {},
        purpose=purpose,
    )


def audit_record_many(
    *,
    user: User | None,
    action: str,
    object_type: str,
    student_ids: Iterable[int],
    request: HttpRequest | None = None,
    detail: dict | None = None,
    purpose: str = "",
) -> int:
    ip = client_ip(request)
    uid = user.pk if user is not None and user.is_authenticated else None
    rows = [
        AccessLog(
            user_id=uid,
            action=action,
            object_type=object_type,
            object_id=str(sid),
            student_id=sid,
            ip=ip,
            detail=detail or {},
            purpose=purpose,
        )
        for sid in student_ids
    ]
    AccessLog.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
