"""Who acted: the actor id stored on new rows, and the record-of-access row each write adds."""

from __future__ import annotations

from typing import Any

from students.audit import AuditContext, audit_record
from students.models import Student, User


def actor_id(actor: User | None) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def log_access(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: Any,
    *,
    student: Student | int | None = None,
    audit: AuditContext | None = None,
    detail: dict | None = None,
) -> None:
    audit_record(
        user=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        student=student,
        audit=audit,
        detail=detail,
    )
