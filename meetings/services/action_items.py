"""Action items of a meeting: create one, mark it done or reopen it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from meetings.models import ActionItem, Meeting
from meetings.services.audit import actor_id, log_access
from meetings.services.guards import EditConflict, check_staff, require_open, require_team
from students.audit import AuditContext
from students.models import AccessLog, Student, User


@transaction.atomic
def action_item_create(
    *,
    meeting: Meeting,
    owner: User,
    description: str,
    due_date: dt.date,
    actor: User | None,
    student: Student | None = None,
    audit: AuditContext | None = None,
) -> ActionItem:
    require_team(actor, meeting.school_id)
    require_open(meeting)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": [gettext("Say what needs to be done.")]})
    if len(description) > 500:
        raise ValidationError({"description": [gettext("Keep it under 500 characters.")]})
    check_staff(meeting.school, [owner], "owner")
    if student is not None and student.school_id != meeting.school_id:
        raise ValidationError({"student": [gettext("Choose a student of this school.")]})
    item = ActionItem.objects.create(
        meeting=meeting,
        owner=owner,
        description=description,
        due_date=due_date,
        student=student,
        created_by_id=actor_id(actor),
    )
    log_access(actor, AccessLog.Action.CREATE, "action_item", item.pk, student=student, audit=audit)
    return item


@transaction.atomic
def action_item_set_status(
    *,
    item: ActionItem,
    status: str,
    actor: User | None,
    version: int | None = None,
    audit: AuditContext | None = None,
) -> ActionItem:
    """Mark done or reopen. The owner and the meeting's team may do it."""
    if actor is not None and actor.pk != item.owner_id:
        require_team(actor, item.meeting.school_id)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": [gettext("Choose open or done.")]})
    qs = ActionItem.objects.filter(pk=item.pk)
    if version is not None:
        qs = qs.filter(version=version)
    updated = qs.update(
        status=status,
        completed_at=timezone.now() if status == ActionItem.Status.DONE else None,
        version=F("version") + 1,
    )
    fresh = ActionItem.objects.get(pk=item.pk)
    if not updated:
        raise EditConflict(
            what="action item",
            saved={"status": fresh.status, "description": fresh.description},
            yours={"status": status},
            version=fresh.version,
        )
    log_access(
        actor,
        AccessLog.Action.UPDATE,
        "action_item",
        item.pk,
        student=item.student_id,
        audit=audit,
        detail={"status": status},
    )
    return fresh
