"""Who may do what with plans (docs/interventions.md).

- manage plans (start any plan, close, reassign): the school's team members and school
  administrators, the district's administrators, superusers;
- the plan's interventionist: record progress scores, sessions, fidelity observations and the
  student's goal statement and self-ratings; change the phase (a new goal or intervention);
  change the schedule; and start a new plan that they deliver themselves for a student already
  on their caseload (a student with an active plan of theirs);
- nobody else writes (a teacher reads the plans of the students they teach).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from interventions.models import InterventionPlan
from students import access
from students.models import Student, User

NOT_A_MANAGER = (
    "Only the school's team members and administrators (or a district administrator) can do this."
)
NOT_YOUR_PLAN = _(
    "Only the plan's interventionist, the school's team and administrators can record data "
    "for this plan."
)


def may_manage_plans(user: User | None, *, school_id: int, district_id: int) -> bool:
    """Team members and administrators of the school, district administrators, superusers."""
    if user is None:
        return True
    return access.may_write_plans(user, school_id=school_id, district_id=district_id)


def may_record_for_plan(user: User | None, plan: InterventionPlan) -> bool:
    """The plan's interventionist, or anyone who manages plans at the student's school."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if plan.interventionist_id is not None and plan.interventionist_id == user.pk:
        return True
    return may_manage_plans(
        user, school_id=plan.student.school_id, district_id=plan.student.district_id
    )


def is_interventionist_at(user: User | None, school_id: int) -> bool:
    return access.is_interventionist_at(user, school_id)


def may_start_plan(user: User | None, *, student: Student, interventionist: User | None) -> bool:
    """Managers for any student of their school; an interventionist for a student already on
    their caseload, when they deliver the new plan themselves."""
    if may_manage_plans(user, school_id=student.school_id, district_id=student.district_id):
        return True
    if user is None or interventionist is None or interventionist.pk != user.pk:
        return False
    return (
        is_interventionist_at(user, student.school_id)
        and InterventionPlan.objects.filter(
            student=student, interventionist=user, status=InterventionPlan.Status.ACTIVE
        ).exists()
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
