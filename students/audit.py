"""The record of access: every view and change of a student's record, and every export.

Call `audit_record` from views, API endpoints and services (inside their transaction, so the
log row and the change commit together); `audit_record_many` logs a list page or an export in
one INSERT; `audit_page_view` logs the students a page (or API list) showed.

Each row keeps the actor's name (`user_name`) so deleting a staff account later does not erase
who it was; a row written without a user (nightly jobs, the platform itself) has no name and
no address.

Services do not take the request: the edge (a view, an API endpoint, a command, a task)
builds an `AuditContext` saying who acts, from which address and by which way in, and
passes it down as `audit=`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

from mtss.client_ip import client_ip
from students.models import AccessLog, Student, User

__all__ = [
    "AuditContext",
    "actor_name",
    "audit_detail",
    "audit_page_view",
    "audit_record",
    "audit_record_many",
    "client_ip",
]


@dataclass(frozen=True)
class AuditContext:
    """Who acts, from which client address, and by which way in ("page", "api", a job's
    name): what the record of access keeps about a change besides the change itself."""

    user: User | None
    ip: str | None
    via: str

    @classmethod
    def from_request(cls, request: HttpRequest, *, via: str = "page") -> AuditContext:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return cls(user=user if signed_in else None, ip=client_ip(request), via=via)

    @classmethod
    def system(cls, *, via: str = "system", user: User | None = None) -> AuditContext:
        """The platform acting (a nightly job, an operator's command, a background import
        started by `user`): there is no client address."""
        return cls(user=user, ip=None, via=via)


def _ip(request: HttpRequest | None, audit: AuditContext | None) -> str | None:
    return audit.ip if audit is not None else client_ip(request)


def audit_detail(detail: dict | None, user: User | None, audit: AuditContext | None) -> dict:
    """A row the platform writes (no person acting) keeps the job's name (the context's
    `via`), so the record of access can say which part of the platform it was."""
    out = {key: _plain(value) for key, value in (detail or {}).items()}
    if audit is not None and audit.via and (user is None or not user.is_authenticated):
        out.setdefault("via", audit.via)
    return out


def _plain(value: Any) -> Any:
    # Labels marked for translation are lazy objects, which JSON cannot hold: the record
    # keeps the words as they read when the change was made.
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def actor_name(user: User | None) -> str:
    """How a row names its actor, kept after the account is gone: "Full Name (username)"."""
    if user is None or not user.is_authenticated:
        return ""
    full = user.get_full_name().strip()
    return (f"{full} ({user.username})" if full else user.username)[:200]


def audit_record(
    *,
    user: User | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    student: Student | int | None = None,
    request: HttpRequest | None = None,
    audit: AuditContext | None = None,
    detail: dict | None = None,
    purpose: str = "",
) -> AccessLog:
    student_id = student.pk if isinstance(student, Student) else student
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        user_name=actor_name(user),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        student_id=student_id,
        ip=_ip(request, audit),
        detail=audit_detail(detail, user, audit),
        purpose=purpose,
    )


def audit_record_many(
    *,
    user: User | None,
    action: str,
    object_type: str,
    student_ids: Iterable[int],
    request: HttpRequest | None = None,
    audit: AuditContext | None = None,
    detail: dict | None = None,
    purpose: str = "",
) -> int:
    ip = _ip(request, audit)
    uid = user.pk if user is not None and user.is_authenticated else None
    name = actor_name(user)
    row_detail = audit_detail(detail, user, audit)
    rows = [
        AccessLog(
            user_id=uid,
            user_name=name,
            action=action,
            object_type=object_type,
            object_id=str(sid),
            student_id=sid,
            ip=ip,
            detail=row_detail,
            purpose=purpose,
        )
        for sid in student_ids
    ]
    AccessLog.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def audit_page_view(
    request: HttpRequest, object_type: str, student_ids: Iterable[int | None], **detail: Any
) -> int:
    """A page (or an API list) that showed these students' names: one row per student shown,
    in one INSERT, marked as a list read so the record of access says where it was seen."""
    ids = sorted({sid for sid in student_ids if sid})
    if not ids:
        return 0
    query = getattr(request, "query_params", None) or request.GET
    return audit_record_many(
        user=request.user,
        action=AccessLog.Action.VIEW,
        object_type=object_type,
        student_ids=ids,
        request=request,
        detail={"list": True, "path": request.path[:200], **detail},
        purpose=(query.get("purpose") or "")[:200],
    )
