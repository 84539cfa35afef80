"""Reads for CICO: the schools whose CICO report a user may open and the report's rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Max, Q

from interventions.analysis.cico import cico_judgement
from interventions.models import CicoCard, CicoSetup
from interventions.selectors.visibility import plans_visible_to
from students import access
from students.models import School, User


def cico_report_schools(user: User) -> list[School]:
    return list(School.objects.filter(pk__in=access.team_school_ids(user)).order_by("name"))


def cico_report_rows(*, user: User, school_id: int, as_of: dt.date) -> list[dict]:
    """One row per plan with cards, like CICO-SWIS's student report: days recorded, days at
    goal and their share, the average card, check-ins, check-outs and home copies returned,
    and the CICO rule's judgement over the last two weeks. Two queries."""
    setup = CicoSetup.objects.filter(school_id=school_id).first()
    goal = setup.goal_percent if setup else 80
    plans = plans_visible_to(user).filter(student__school_id=school_id)
    cards = CicoCard.objects.filter(plan__in=plans, date__lte=as_of)
    totals = (
        cards.values(
            "plan_id",
            "plan__student_id",
            "plan__student__first_name",
            "plan__student__last_name",
            "plan__student__grade",
            "plan__status",
        )
        .annotate(
            days=Count("id", filter=Q(percent__isnull=False)),
            at_goal=Count("id", filter=Q(percent__gte=goal)),
            average=Avg("percent"),
            checked_in=Count("id", filter=Q(checked_in=True)),
            checked_out=Count("id", filter=Q(checked_out=True)),
            home=Count("id", filter=Q(home_copy_returned=True)),
            cards=Count("id"),
            last=Max("date"),
        )
        .order_by("plan__student__last_name", "plan__student__first_name", "plan_id")
    )
    since = as_of - dt.timedelta(days=13)
    recent: dict[int, list] = {}
    for plan_id, day, percent in cards.filter(date__gte=since).values_list(
        "plan_id", "date", "percent"
    ):
        recent.setdefault(plan_id, []).append((day, percent))
    rows = []
    for t in totals:
        judgement = cico_judgement(recent.get(t["plan_id"], []), as_of=as_of, goal_percent=goal)
        rows.append(
            {
                "plan_id": t["plan_id"],
                "student_id": t["plan__student_id"],
                "name": f"{t['plan__student__last_name']}, {t['plan__student__first_name']}",
                "grade": t["plan__student__grade"],
                "status": t["plan__status"],
                "days": t["days"],
                "at_goal": t["at_goal"],
                "share": (t["at_goal"] / t["days"]) if t["days"] else None,
                "average": float(t["average"]) if t["average"] is not None else None,
                "checked_in": t["checked_in"],
                "checked_out": t["checked_out"],
                "home": t["home"],
                "cards": t["cards"],
                "last": t["last"],
                "judgement": judgement,
            }
        )
    return rows
