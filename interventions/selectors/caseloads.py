"""An interventionist's caseload: their active plans, next sessions, overdue data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from interventions.models import InterventionGroup, InterventionPlan
from interventions.selectors.plan_analysis import PlanView, plan_views
from interventions.selectors.visibility import PLAN_RELATED, groups_of, plans_visible_to
from students.models import User


@dataclass
class Caseload:
    views: list[PlanView]
    groups: list[InterventionGroup]

    @property
    def waiting(self) -> list[PlanView]:
        return [v for v in self.views if v.recommendation_waiting]

    @property
    def overdue(self) -> list[PlanView]:
        return [v for v in self.views if v.overdue]

    @property
    def next_sessions(self) -> list[dict[str, Any]]:
        """The next session of each group (once, with its students) and of each individual
        plan, soonest first."""
        entries: dict[Any, dict[str, Any]] = {}
        for view in self.views:
            day = view.next_session
            if day is None:
                continue
            plan = view.plan
            key = ("group", plan.group_id) if plan.group_id else ("plan", plan.pk)
            entry = entries.get(key)
            if entry is None or day < entry["day"]:
                entries[key] = entry = {
                    "day": day,
                    "group": plan.group,
                    "plan": plan,
                    "students": [],
                    "minutes": plan.minutes_per_session,
                }
            entry["students"].append(plan.student)
        return sorted(entries.values(), key=lambda e: (e["day"], e["plan"].student.last_name))

    @property
    def upcoming(self) -> list[PlanView]:
        """Plans by their next session day (plans with no schedule last)."""
        far = dt.date.max
        return sorted(
            self.views,
            key=lambda v: (v.next_session or far, v.plan.group_id or 0, v.plan.student.last_name),
        )


def caseload_plans(user: User) -> QuerySet[InterventionPlan]:
    """The user's active plans (the ones they deliver), scoped like every plan read."""
    return (
        plans_visible_to(user)
        .filter(interventionist=user, status=InterventionPlan.Status.ACTIVE)
        .select_related(*PLAN_RELATED)
        .order_by("student__last_name", "student__first_name", "pk")
    )


def caseload(user: User, *, as_of: dt.date) -> Caseload:
    plans = list(caseload_plans(user))
    views = plan_views(plans, as_of=as_of)
    return Caseload(views=[views[p.pk] for p in plans], groups=list(groups_of(user)))
