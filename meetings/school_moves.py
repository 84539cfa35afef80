"""A student who changes school leaves the agendas of the old school's open meetings.

Runs inside the moving transaction (students.slots.SCHOOL_MOVE_HANDLERS), after decisions
closed the student's live flags there (docs/decisions.md, "School moves"). Items with a
recorded decision stay: the decision is on the record. The concerns such an item carried
go back to open, so the student's new school can take them up. Set-based: a few statements
per destination school, whatever the number of students.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Exists, OuterRef
from django.utils import timezone

from meetings.models import AgendaItem, Concern, Decision, MeetingStatus
from students.audit import AuditContext, audit_record_many
from students.models import AccessLog, User
from students.slots import SchoolMove


def agenda_items_drop_for_moved_students(
    *,
    moves: Sequence[SchoolMove],
    actor: User | None = None,
    audit: AuditContext | None = None,
) -> int:
    """Remove the moved students' undecided items from open meetings of other schools;
    returns how many were removed."""
    by_school: dict[int, list[int]] = defaultdict(list)
    for move in moves:
        by_school[move.to_school_id].append(move.student_id)
    removed = 0
    for school_id, student_ids in by_school.items():
        items = (
            AgendaItem.objects.filter(
                student_id__in=student_ids,
                meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS],
            )
            .exclude(meeting__school_id=school_id)
            .exclude(Exists(Decision.objects.filter(item=OuterRef("pk"))))
        )
        rows = list(items.values_list("pk", "student_id"))
        if not rows:
            continue
        ids = [pk for pk, _ in rows]
        Concern.objects.filter(agenda_items__in=ids, status=Concern.Status.ON_AGENDA).update(
            status=Concern.Status.OPEN, updated_at=timezone.now()
        )
        AgendaItem.objects.filter(pk__in=ids).delete()
        audit_record_many(
            user=actor,
            action=AccessLog.Action.DELETE,
            object_type="agenda_item",
            student_ids=sorted({sid for _, sid in rows}),
            audit=audit,
            detail={"reason": "moved school", "items": ids},
        )
        removed += len(ids)
    return removed
