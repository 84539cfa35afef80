"""Sessions: log a session of one plan or of a whole group (dosage and attendance)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext

from interventions import progress_summary
from interventions.models import InterventionGroup, InterventionPlan, InterventionSession
from interventions.services.checks import (
    MAX_SESSION_MINUTES,
    _check_day,
    _fmt_day,
    _lock,
    _raise,
    _require_active,
    _today,
)
from interventions.services.permissions import NOT_YOUR_PLAN, _require, may_record_for_plan
from mtss.errors import ApplicationError
from students.audit import AuditContext, audit_record_many
from students.models import AccessLog, User

SESSION_OBJECT = "intervention_session"


@transaction.atomic
def session_log(
    *,
    date: dt.date,
    minutes: int,
    actor: User | None,
    plan: InterventionPlan | None = None,
    group: InterventionGroup | None = None,
    attended: bool | Mapping[int, bool] = True,
    audit: AuditContext | None = None,
) -> list[InterventionSession]:
    """Log a session of one plan, or of a whole group at once.

    For a group, `attended` maps every active plan of the group (by plan id) to whether its
    student attended; plans that had not started by `date` are left out. Logging a day again
    replaces that day's record. Refused on a plan that is no longer active.
    """
    if (plan is None) == (group is None):
        raise ValueError("give a plan or a group")
    errors: dict[str, list[str]] = {}
    if (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not 1 <= minutes <= MAX_SESSION_MINUTES
    ):
        errors["minutes"] = [
            gettext("Minutes must be 1 to %(max_session_minutes)s.")
            % {"max_session_minutes": MAX_SESSION_MINUTES}
        ]
    if plan is not None:
        _require(may_record_for_plan(actor, plan), NOT_YOUR_PLAN)
        _lock(plan)
        _require_active(plan, "sessions")
        if not isinstance(attended, bool):
            errors["attended"] = [gettext("Say whether the student attended (true or false).")]
        if date is None:
            errors["date"] = [gettext("Enter the date of the session.")]
        else:
            _check_day(errors, "date", date, not_before=plan.start_date, what="session")
        _raise(errors)
        plans = [plan]
        present = {plan.pk: bool(attended)}
    else:
        members = list(
            InterventionPlan.objects.select_for_update(of=("self",))
            .filter(group=group, status=InterventionPlan.Status.ACTIVE)
            .select_related("student")
            .order_by("pk")
        )
        if not members:
            raise ApplicationError(
                gettext("%(group)s has no active plans to log a session for.")
                % {"group": group.name}
            )
        for member in members:
            _require(may_record_for_plan(actor, member), NOT_YOUR_PLAN)
        if date is None:
            errors["date"] = [gettext("Enter the date of the session.")]
        elif date > _today():
            errors["date"] = [
                gettext("%(date)s is in the future. Enter the date the session happened.")
                % {"date": _fmt_day(date)}
            ]
        plans = [m for m in members if date is None or m.start_date <= date]
        if date is not None and not plans and "date" not in errors:
            errors["date"] = [
                gettext("No plan of %(group)s had started by %(date)s.")
                % {"group": group.name, "date": _fmt_day(date)}
            ]
        marks = attended if isinstance(attended, Mapping) else {m.pk: bool(attended) for m in plans}
        missing = [m.student.full_name for m in plans if m.pk not in marks]
        if missing:
            errors["attended"] = [
                gettext("Say whether %(students)s attended.") % {"students": ", ".join(missing)}
            ]
        _raise(errors)
        present = {m.pk: bool(marks[m.pk]) for m in plans}
    rows = [
        InterventionSession(
            plan=p,
            date=date,
            minutes=minutes,
            attended=present[p.pk],
            group=group,
            logged_by=actor,
        )
        for p in plans
    ]
    saved = InterventionSession.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["plan", "date"],
        update_fields=["minutes", "attended", "group", "logged_by"],
    )
    audit_record_many(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=SESSION_OBJECT,
        student_ids=[p.student_id for p in plans],
        audit=audit,
        detail={
            "date": date.isoformat(),
            "minutes": minutes,
            "group": group.pk if group else None,
            "attended": {str(k): v for k, v in present.items()},
        },
    )
    progress_summary.refresh(plan_ids=[p.pk for p in plans])
    return saved
