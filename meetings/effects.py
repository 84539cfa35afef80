"""What each decision type does to the student's plans and tiers, through
interventions.services (entry criteria, phases, closing, tier history live there).

Called only by meetings.services.decisions.meeting_record_decision, inside its transaction:
whatever fails here (a refused plan, a bad goal) raises, and the decision, the plan changes
and the flag changes all roll back together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from interventions import services as plan_services
from interventions.models import Intervention, InterventionPlan, TierPlacement
from meetings.models import DecisionType, Meeting
from students.audit import AuditContext
from students.models import Student, User


@dataclass(frozen=True)
class Outcome:
    plan: InterventionPlan | None = None
    tier: int | None = None
    intervention: Intervention | None = None
    interventionist_name: str = ""
    sessions_per_week: int | None = None
    minutes_per_session: int | None = None
    start_date: dt.date | None = None
    entry_criteria_met: bool | None = None


def _note(meeting: Meeting, rationale: str) -> str:
    day = timezone.localtime(meeting.scheduled_at).date()
    # Stored with the plan, in the language of whoever records the decision.
    values = {
        "meeting": meeting.title,
        "date": formats.date_format(day, pgettext("day, short month and year", "d M Y")),
        "rationale": rationale,
    }
    if rationale:
        return gettext("Team decision, %(meeting)s, %(date)s: %(rationale)s") % values
    return gettext("Team decision, %(meeting)s, %(date)s") % values


def _plan_outcome(plan: InterventionPlan, start: dt.date | None, tier: int | None) -> Outcome:
    return Outcome(
        plan=plan,
        tier=tier if tier is not None else plan.tier,
        intervention=plan.intervention,
        interventionist_name=plan.interventionist.display_name() if plan.interventionist else "",
        sessions_per_week=plan.sessions_per_week,
        minutes_per_session=plan.minutes_per_session,
        start_date=start,
        entry_criteria_met=plan.entry_criteria_met,
    )


def _current_tier(student: Student, domain: str) -> int:
    placement = TierPlacement.objects.filter(
        student=student, domain=domain, end_date__isnull=True
    ).first()
    return placement.tier if placement else 1


def _not_after_today(day: dt.date) -> dt.date:
    # Closing a plan or starting a phase cannot be dated in the future; a decision recorded
    # ahead of the meeting's date acts today.
    return min(day, timezone.localdate())


def _dosage_total(sessions: int | None, minutes: int | None) -> int:
    return (sessions or 0) * (minutes or 0)


def _replace_plan(
    *,
    plan: InterventionPlan,
    tier: int,
    why: str,
    meeting: Meeting,
    actor: User | None,
    rationale: str,
    intervention: Intervention | None,
    interventionist: User | None,
    sessions_per_week: int | None,
    minutes_per_session: int | None,
    start_date: dt.date,
    audit: AuditContext | None,
) -> Outcome:
    """A change of tier: the plan ends (discontinued) and a plan at the new tier starts with
    the same progress measure and goal, so the graph carries on."""
    start = _not_after_today(start_date)
    new_intervention = intervention or plan.intervention
    plan_services.plan_close(
        plan=plan,
        status=InterventionPlan.Status.DISCONTINUED,
        exit_reason=gettext("%(why)s (%(note)s)") % {"why": why, "note": _note(meeting, rationale)},
        actor=actor,
        end_date=start,
        next_tier=tier,
        decision_note=_note(meeting, rationale),
        audit=audit,
    )
    goal_date = plan.goal_date
    if goal_date is not None and goal_date <= start:
        goal_date = start + dt.timedelta(weeks=plan.planned_weeks or 8)
    new_plan = plan_services.plan_start(
        student=plan.student,
        intervention=new_intervention,
        tier=tier,
        domain=plan.domain,
        measure=plan.measure,
        interventionist=interventionist or plan.interventionist,
        start_date=start,
        baseline=None,
        goal=plan.goal,
        goal_date=goal_date,
        sessions_per_week=sessions_per_week
        or new_intervention.sessions_per_week
        or plan.sessions_per_week,
        minutes_per_session=minutes_per_session
        or new_intervention.minutes_per_session
        or plan.minutes_per_session,
        actor=actor,
        entry_override_reason=rationale or why,
        decision_note=_note(meeting, rationale),
        audit=audit,
    )
    return _plan_outcome(new_plan, start, tier)


def apply(
    *,
    type: str,
    student: Student,
    meeting: Meeting,
    actor: User | None,
    rationale: str,
    domain: str,
    intervention: Intervention | None,
    plan: InterventionPlan | None,
    interventionist: User | None,
    start_date: dt.date,
    sessions_per_week: int | None,
    minutes_per_session: int | None,
    planned_weeks: int | None,
    measure: Any,
    goal: Any,
    goal_date: dt.date | None,
    tier: int | None,
    audit: AuditContext | None = None,
) -> Outcome:
    """Apply one decision's effects and say what they were (for the minutes)."""
    if type in (DecisionType.PLACE_TIER2, DecisionType.PLACE_TIER3):
        new_tier = 2 if type == DecisionType.PLACE_TIER2 else 3
        assert intervention is not None  # checked by the service
        new_plan = plan_services.plan_start(
            student=student,
            intervention=intervention,
            tier=new_tier,
            domain=intervention.domain,
            measure=measure,
            interventionist=interventionist,
            start_date=start_date,
            baseline=None,
            goal=goal,
            goal_date=goal_date,
            sessions_per_week=sessions_per_week or intervention.sessions_per_week,
            minutes_per_session=minutes_per_session or intervention.minutes_per_session,
            planned_weeks=planned_weeks,
            actor=actor,
            entry_override_reason=rationale,
            decision_note=_note(meeting, rationale),
            audit=audit,
        )
        return _plan_outcome(new_plan, start_date, new_plan.tier)

    if type == DecisionType.CONTINUE:
        assert plan is not None
        return _plan_outcome(plan, None, plan.tier)

    if type == DecisionType.MODIFY_PLAN:
        assert plan is not None
        start = _not_after_today(start_date)
        plan_services.plan_change_phase(
            plan=plan,
            intervention=intervention
            if intervention and intervention != plan.intervention
            else None,
            goal=goal,
            goal_date=goal_date,
            reason=_note(meeting, rationale),
            actor=actor,
            start_date=start,
            audit=audit,
        )
        if sessions_per_week or minutes_per_session or interventionist:
            plan_services.plan_update(
                plan=plan,
                actor=actor,
                **{
                    k: v
                    for k, v in (
                        ("sessions_per_week", sessions_per_week),
                        ("minutes_per_session", minutes_per_session),
                        ("interventionist", interventionist),
                    )
                    if v
                },
                audit=audit,
            )
        plan.refresh_from_db()
        return _plan_outcome(plan, start, plan.tier)

    if type in (DecisionType.INTENSIFY, DecisionType.FADE):
        assert plan is not None
        more = type == DecisionType.INTENSIFY
        if tier is not None and tier != plan.tier:
            if more and tier < plan.tier or not more and tier > plan.tier:
                # Whole sentences for each direction, so no translation assembles one.
                message = (
                    gettext("To intensify the support, choose a higher tier.")
                    if more
                    else gettext("To fade the support, choose a lower tier.")
                )
                raise ValidationError({"tier": [message]})
            if tier == 1:
                raise ValidationError({"tier": [gettext("To return to Tier 1, choose Exit.")]})
            return _replace_plan(
                plan=plan,
                tier=tier,
                why=gettext("Intensified to Tier 3") if more else gettext("Faded to Tier 2"),
                meeting=meeting,
                actor=actor,
                rationale=rationale,
                intervention=intervention,
                interventionist=interventionist,
                sessions_per_week=sessions_per_week,
                minutes_per_session=minutes_per_session,
                start_date=start_date,
                audit=audit,
            )
        sessions = sessions_per_week or plan.sessions_per_week
        minutes = minutes_per_session or plan.minutes_per_session
        before = _dosage_total(plan.sessions_per_week, plan.minutes_per_session)
        after = _dosage_total(sessions, minutes)
        if (more and after <= before) or (not more and after >= before):
            dosage = {"week": plan.sessions_per_week, "session": plan.minutes_per_session}
            message = (
                gettext(
                    "To intensify the plan, give more time a week than now "
                    "(%(week)sx%(session)s min), or choose another tier."
                )
                if more
                else gettext(
                    "To fade the plan, give less time a week than now "
                    "(%(week)sx%(session)s min), or choose another tier."
                )
            )
            raise ValidationError({"sessions_per_week": [message % dosage]})
        plan_services.plan_update(
            plan=plan,
            actor=actor,
            sessions_per_week=sessions,
            minutes_per_session=minutes,
            audit=audit,
        )
        if intervention is not None and intervention != plan.intervention:
            plan_services.plan_change_phase(
                plan=plan,
                intervention=intervention,
                reason=_note(meeting, rationale),
                actor=actor,
                start_date=_not_after_today(start_date),
                audit=audit,
            )
        plan.refresh_from_db()
        return _plan_outcome(plan, _not_after_today(start_date), plan.tier)

    if type == DecisionType.EXIT:
        assert plan is not None
        end = _not_after_today(start_date)
        plan_services.plan_close(
            plan=plan,
            status=InterventionPlan.Status.COMPLETED,
            exit_reason=rationale or gettext("Goal met (team decision)."),
            actor=actor,
            end_date=end,
            decision_note=_note(meeting, rationale),
            audit=audit,
        )
        plan.refresh_from_db()
        outcome = _plan_outcome(plan, end, _current_tier(student, plan.domain))
        return outcome

    # refer_evaluation, monitor, dismiss_flag: no change to plans or tiers.
    return Outcome(tier=_current_tier(student, domain) if domain else None)
