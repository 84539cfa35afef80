"""A student who changes school leaves their live flags behind, closed with the reason.

Chosen over carrying them (docs/decisions.md, "School moves"): a flag is the old school's
team's prompt, built from that school's windows, classes and plans; its agenda must stop
proposing the student, and the new school's team should not inherit a prompt about a class
the student is no longer in. The student's data moves with them, so the new school's next
sweep raises whatever the rules still find, as a new flag at the new school (a flag closed
here is `resolved`, not decided by people, so nothing stops the rules from raising it again).

Runs inside the moving transaction (students.slots.SCHOOL_MOVE_HANDLERS), set-based: one
UPDATE per destination school and day, one INSERT of access-log rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from decisions.models import LIVE_STATUSES, Flag, FlagStatus
from students.audit import AuditContext, audit_record_many
from students.models import AccessLog, School, User
from students.slots import SchoolMove

FLAG_OBJECT = "flag"


def moved_reason(school_name: str, day: Any) -> str:
    """'Moved to Oak Elementary on 3 December 2026': what the flag page shows. Stored with the
    flag, in the language active when the move is recorded (English for a roster import)."""
    return gettext("Moved to %(school)s on %(date)s") % {
        "school": school_name,
        "date": formats.date_format(day, pgettext("day, month and year", "j F Y")),
    }


def flags_close_for_moved_students(
    *,
    moves: Sequence[SchoolMove],
    actor: User | None = None,
    audit: AuditContext | None = None,
) -> int:
    """Close the moved students' live flags at every school but their new one; returns how
    many closed. Classwide flags (a section's, no student) are untouched."""
    groups: dict[tuple[int, Any], list[int]] = defaultdict(list)
    for move in moves:
        groups[(move.to_school_id, move.on)].append(move.student_id)
    names = dict(School.objects.filter(pk__in={k[0] for k in groups}).values_list("pk", "name"))
    now = timezone.now()
    closed = 0
    for (school_id, day), student_ids in groups.items():
        reason = moved_reason(names.get(school_id) or gettext("another school"), day)
        live = Flag.objects.filter(student_id__in=student_ids, status__in=LIVE_STATUSES).exclude(
            school_id=school_id
        )
        touched = sorted(set(live.values_list("student_id", flat=True)))
        if not touched:
            continue
        closed += live.update(
            status=FlagStatus.RESOLVED, closed_reason=reason, resolved_at=now, updated_at=now
        )
        audit_record_many(
            user=actor,
            action=AccessLog.Action.UPDATE,
            object_type=FLAG_OBJECT,
            student_ids=touched,
            audit=audit,
            detail={"status": "resolved", "reason": reason},
        )
    return closed
