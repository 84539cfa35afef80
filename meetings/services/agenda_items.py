"""Changing an agenda by hand: add a student, move or remove an item, save an item's notes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from decisions import services as flag_services
from decisions.models import FlagStatus
from interventions.models import InterventionPlan
from meetings.models import AgendaItem, Concern, Decision, Meeting
from meetings.services.agenda import next_position, put_flags_on_agenda, student_flags_qs
from meetings.services.audit import actor_id, log_access
from meetings.services.guards import EditConflict, require_open, require_team
from mtss.errors import ApplicationError
from students.audit import AuditContext
from students.models import AccessLog, Student, User


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    student: Student,
    actor: User | None,
    reason: str = "",
    audit: AuditContext | None = None,
) -> AgendaItem:
    """Add a student to the agenda (at the end) with their open flags, active plans and
    open concerns."""
    require_team(actor, meeting.school_id)
    require_open(meeting)
    if student.school_id != meeting.school_id:
        raise ValidationError({"student": [gettext("Choose a student of this school.")]})
    if AgendaItem.objects.filter(meeting=meeting, student=student).exists():
        raise ApplicationError(
            gettext("%(student)s is already on this agenda.") % {"student": student.full_name}
        )
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.STUDENT,
        student=student,
        position=next_position(meeting),
        reason=(reason or gettext("Added by the team"))[:300],
        added_by_id=actor_id(actor),
    )
    flag_ids = list(
        student_flags_qs(meeting.school_id).filter(student=student).values_list("pk", flat=True)
    )
    item.flags.set(flag_ids)
    item.plans.set(
        InterventionPlan.objects.filter(student=student, status=InterventionPlan.Status.ACTIVE)
    )
    concerns = Concern.objects.filter(student=student, status=Concern.Status.OPEN)
    item.concerns.set(concerns)
    concerns.update(status=Concern.Status.ON_AGENDA, updated_at=timezone.now())
    put_flags_on_agenda(flag_ids, actor, audit)
    log_access(
        actor,
        AccessLog.Action.UPDATE,
        "agenda_item",
        item.pk,
        student=student,
        audit=audit,
        detail={"added": True, "meeting": meeting.pk},
    )
    return item


@transaction.atomic
def agenda_item_move(
    *, item: AgendaItem, direction: str, actor: User | None, audit: AuditContext | None = None
) -> list[AgendaItem]:
    """Swap the item with its neighbour above ("up") or below ("down"). Returns the agenda."""
    meeting = item.meeting
    require_team(actor, meeting.school_id)
    require_open(meeting)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [gettext("Move an item up or down.")]})
    items = list(
        AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("position", "id")
    )
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise ApplicationError(gettext("This item is no longer on the agenda."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        a, b = items[index], items[other]
        # The unique (meeting, position) constraint is deferred to commit, so a swap is fine.
        AgendaItem.objects.filter(pk=a.pk).update(position=b.position, version=F("version") + 1)
        AgendaItem.objects.filter(pk=b.pk).update(position=a.position, version=F("version") + 1)
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))


@transaction.atomic
def agenda_item_remove(
    *, item: AgendaItem, actor: User | None, audit: AuditContext | None = None
) -> None:
    """Take an item off the agenda: its flags go back to open and its concerns wait for the
    next meeting. An item with a recorded decision stays (the decision is on the record)."""
    meeting = item.meeting
    require_team(actor, meeting.school_id)
    require_open(meeting)
    if Decision.objects.filter(item=item).exists():
        raise ApplicationError(
            gettext("The team has recorded a decision on this item, so it stays on the agenda.")
        )
    for flag in item.flags.filter(status=FlagStatus.ON_AGENDA).order_by("pk"):
        flag_services.flag_take_off_agenda(flag=flag, actor=actor, audit=audit)
    item.concerns.filter(status=Concern.Status.ON_AGENDA).update(
        status=Concern.Status.OPEN, updated_at=timezone.now()
    )
    log_access(
        actor,
        AccessLog.Action.DELETE,
        "agenda_item",
        item.pk,
        student=item.student_id,
        audit=audit,
        detail={"meeting": meeting.pk},
    )
    item.delete()


@transaction.atomic
def agenda_item_save_notes(
    *,
    item: AgendaItem,
    version: int,
    notes: str,
    actor: User | None,
    audit: AuditContext | None = None,
) -> AgendaItem:
    """Save the item's notes made from `version`; EditConflict when someone saved since."""
    require_team(actor, item.meeting.school_id)
    require_open(item.meeting)
    if len(notes) > 20000:
        raise ValidationError({"notes": [gettext("Keep the notes under 20,000 characters.")]})
    updated = AgendaItem.objects.filter(pk=item.pk, version=version).update(
        notes=notes, version=F("version") + 1, updated_at=timezone.now()
    )
    fresh = AgendaItem.objects.select_related("meeting", "student").get(pk=item.pk)
    if not updated:
        raise EditConflict(
            what="item's notes",
            saved={"notes": fresh.notes},
            yours={"notes": notes},
            version=fresh.version,
        )
    log_access(
        actor,
        AccessLog.Action.UPDATE,
        "agenda_item",
        item.pk,
        student=item.student_id,
        audit=audit,
        detail={"notes": True},
    )
    return fresh
