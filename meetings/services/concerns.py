"""Teachers' concerns ("please discuss this student"): raise one, withdraw it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from meetings.models import Concern
from meetings.services.audit import log_access
from meetings.services.guards import require_team
from mtss.errors import ApplicationError
from students.audit import AuditContext
from students.models import AccessLog, Student, User
from students.selectors import students_visible_to

CONCERN_NOT_YOUR_STUDENT = gettext_lazy(
    "You can raise a concern only about a student in one of your classes."
)


@transaction.atomic
def concern_submit(
    *, student: Student, note: str, actor: User, audit: AuditContext | None = None
) -> Concern:
    """A teacher's "please discuss this student" for the school's team. Anyone may raise a
    concern only about a student they see (a teacher: their own students)."""
    if not students_visible_to(actor).filter(pk=student.pk).exists():
        raise PermissionDenied(CONCERN_NOT_YOUR_STUDENT)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [gettext("Say what the team should discuss.")]})
    if len(note) > 5000:
        raise ValidationError({"note": [gettext("Keep the note under 5,000 characters.")]})
    concern = Concern.objects.create(
        school_id=student.school_id, student=student, submitted_by=actor, note=note
    )
    log_access(actor, AccessLog.Action.CREATE, "concern", concern.pk, student=student, audit=audit)
    return concern


@transaction.atomic
def concern_withdraw(
    *, concern: Concern, actor: User, audit: AuditContext | None = None
) -> Concern:
    if concern.submitted_by_id != actor.pk:
        require_team(actor, concern.school_id)
    if concern.status not in (Concern.Status.OPEN, Concern.Status.ON_AGENDA):
        raise ApplicationError(_("The team has already discussed this concern."))
    Concern.objects.filter(pk=concern.pk).update(
        status=Concern.Status.WITHDRAWN, updated_at=timezone.now()
    )
    log_access(
        actor,
        AccessLog.Action.UPDATE,
        "concern",
        concern.pk,
        student=concern.student_id,
        audit=audit,
        detail={"status": "withdrawn"},
    )
    concern.refresh_from_db()
    return concern
