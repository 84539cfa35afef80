"""The facts a letter is written from, read from a team decision or a plan (a few queries),
and the language it is written in (the family contacts' preference)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from families.compose import LetterFacts, ProgressFacts, chart_labels, day
from families.models import LetterKind
from interventions.models import InterventionPlan, StudentGoalStatement
from interventions.selectors import plan_view
from meetings.models import Decision, DecisionType
from students.family import family_languages, letter_recipients
from students.models import Guardian, Student, User

# The decisions that start, change, intensify or end a plan, and the letter each one gets.
LETTER_KINDS = {
    DecisionType.PLACE_TIER2: LetterKind.PLAN_START,
    DecisionType.PLACE_TIER3: LetterKind.PLAN_START,
    DecisionType.MODIFY_PLAN: LetterKind.PLAN_CHANGE,
    DecisionType.FADE: LetterKind.PLAN_CHANGE,
    DecisionType.INTENSIFY: LetterKind.PLAN_INTENSIFY,
    DecisionType.EXIT: LetterKind.PLAN_END,
}


def letter_language(guardians: list[Guardian]) -> str:
    """The first contact's preferred language the platform writes in, else English."""
    offered = {code for code, _ in family_languages()}
    for g in guardians:
        if g.preferred_language in offered:
            return g.preferred_language
    return "en"


def _parse(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _goal_statement(plan: InterventionPlan | None) -> str:
    if plan is None:
        return ""
    latest = StudentGoalStatement.objects.filter(plan=plan).order_by("-date", "-id").first()
    return latest.text if latest else ""


def _contact(user: User | None) -> tuple[str, str]:
    if user is None:
        return "", ""
    return user.display_name(), user.email


def _base(
    *,
    student: Student,
    guardians: list[Guardian],
    plan: InterventionPlan | None,
    contact: User | None,
    domain: str,
) -> dict:
    contact_name, contact_email = _contact(contact)
    return {
        "student_name": student.preferred_name or student.first_name,
        "recipients": [g.full_name for g in guardians],
        "school_name": student.school.name,
        "domain": domain,
        "student_goal": _goal_statement(plan),
        "contact_name": contact_name,
        "contact_email": contact_email,
    }


def decision_facts(decision: Decision, guardians: list[Guardian]) -> LetterFacts:
    plan = decision.plan
    details = decision.details or {}
    # Who to contact: the person delivering the help, else whoever recorded the decision.
    contact = (plan.interventionist if plan else None) or decision.recorded_by
    return LetterFacts(
        **_base(
            student=decision.student,
            guardians=guardians,
            plan=plan,
            contact=contact,
            domain=decision.domain or (plan.domain if plan else ""),
        ),
        tier=decision.tier,
        intervention=(decision.intervention.name if decision.intervention else "")
        or details.get("intervention", ""),
        interventionist=details.get("interventionist", ""),
        sessions_per_week=details.get("sessions_per_week"),
        minutes_per_session=details.get("minutes_per_session"),
        planned_weeks=plan.planned_weeks if plan else None,
        start_date=_parse(details.get("start_date")),
        review_date=_parse(details.get("review_date")),
        fading=decision.type == DecisionType.FADE,
    )


def progress_facts(
    plan: InterventionPlan, guardians: list[Guardian], *, today: dt.date, language: str
) -> tuple[ProgressFacts, dict]:
    """The report's facts and its graph's data."""
    from families import chart

    view = plan_view(plan, as_of=today)
    latest = view.latest_point
    letter = LetterFacts(
        **_base(
            student=plan.student,
            guardians=guardians,
            plan=plan,
            contact=plan.interventionist,
            domain=plan.domain,
        ),
        tier=plan.tier,
        intervention=plan.intervention.name,
    )
    facts = ProgressFacts(
        letter=letter,
        recommendation=view.analysis.recommendation if view.analysis else "",
        latest_score=float(latest.score) if latest else None,
        latest_date=latest.date if latest else None,
        goal=float(plan.goal) if plan.goal is not None else None,
        goal_date=plan.goal_date,
        points=len(view.points),
        sessions_attended=sum(1 for s in view.sessions if s.attended),
    )
    from django.utils import translation

    last = plan.goal_date or (latest.date if latest else today)
    with translation.override(language):
        date_labels = {"first": day(plan.start_date), "last": day(last)}
    data = chart.chart_data(
        points=[(p.date, float(p.score)) for p in view.points],
        goal=facts.goal,
        goal_date=plan.goal_date,
        start_date=plan.start_date,
        labels=chart_labels(language),
        date_labels=date_labels,
    )
    return facts, data


def recipients_and_language(student: Student) -> tuple[list[Guardian], str]:
    guardians = letter_recipients(student)
    return guardians, letter_language(guardians)


def today() -> dt.date:
    return timezone.localdate()
