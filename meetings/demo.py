"""Meetings demo data, at the first elementary school (the demo `team` and `principal`
logins' school):

- a closed grade-level data meeting after the fall screening window, whose decisions placed
  the grade 3 students the interventions demo started plans for (their screening flags are
  accepted), with frozen minutes and action items;
- a closed problem-solving meeting three weeks before the demo's "today": plans continued,
  a completed plan exited, a referral for evaluation, action items (one of the `team` login's
  is overdue, one of the `teacher` login's is open);
- two concerns the `teacher` login raised about students of their class;
- today's problem-solving meeting, ready to run: its agenda prepared by the agenda builder
  (the twelve most urgent students) plus one of the teacher's concerns added by the team.

Called by `seed_demo` after the decisions step (students.slots.DEMO_LOADERS order), inside its
transaction. Deterministic (`ctx.rng("meetings")`, rows in id order) and small: it touches one
school, with bulk inserts; preparing the agenda goes through the service (a few queries per
proposed flag).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from decisions.models import Flag, FlagStatus
from decisions.reconcile import basis_hash
from interventions.models import InterventionPlan
from meetings.minutes import minutes_text
from meetings.models import (
    ActionItem,
    Concern,
    Decision,
    DecisionType,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from meetings.services.agenda import meeting_prepare_agenda
from meetings.services.agenda_items import agenda_item_add
from meetings.services.closing import minutes_for
from meetings.services.scheduling import meeting_create
from screening.models import ScreeningWindow
from students.models import Student, User

READY_AGENDA_ITEMS = 12
MEETING_TIME = dt.time(15, 30)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, MEETING_TIME))


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _details(plan: InterventionPlan, review: dt.date | None) -> dict[str, Any]:
    return {
        "intervention": plan.intervention.name,
        "interventionist": plan.interventionist.display_name() if plan.interventionist else "",
        "sessions_per_week": plan.sessions_per_week,
        "minutes_per_session": plan.minutes_per_session,
        "start_date": plan.start_date.isoformat(),
        "review_date": review.isoformat() if review else None,
        "flags": [],
        "entry_criteria_met": plan.entry_criteria_met,
    }


def _close(meeting: Meeting) -> None:
    """Freeze the minutes as meeting_close does (the demo's past meetings had no agenda
    flags left to reopen)."""
    meeting = Meeting.objects.select_related(
        "school", "facilitator", "note_taker", "timekeeper", "window"
    ).get(pk=meeting.pk)
    data = minutes_for(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CLOSED,
        closed_at=meeting.scheduled_at + dt.timedelta(minutes=meeting.duration_minutes),
        started_at=meeting.scheduled_at,
        prepared_at=meeting.scheduled_at - dt.timedelta(days=2),
        minutes_data=data,
        minutes_text=minutes_text(data),
    )


def seed(ctx: Any) -> None:
    rng = ctx.rng("meetings")
    school = ctx.elementary_schools[0]
    today = min(max(timezone.localdate(), ctx.year.start_date), ctx.year.end_date)
    team_ids = ctx.staff.get((school.pk, "team_member"), [])
    team = User.objects.get(pk=ctx.logins["team"])
    principal = User.objects.get(pk=ctx.logins["principal"])
    teacher = User.objects.get(pk=ctx.logins["teacher"])
    interventionist = User.objects.get(pk=ctx.logins["interventionist"])
    other_team = User.objects.filter(pk__in=[i for i in team_ids if i != team.pk]).first()
    attendees = [u for u in (team, principal, interventionist, other_team) if u is not None]

    plans = list(
        InterventionPlan.objects.filter(student__school=school)
        .select_related("student", "intervention", "interventionist")
        .order_by("start_date", "pk")
    )
    fall = (
        ScreeningWindow.objects.filter(school_year=ctx.year, season="fall")
        .order_by("start_date")
        .first()
    )

    # -- 1. the fall grade-level data meeting: the grade 3 placements --------------------------
    grade3 = [p for p in plans if p.student.grade == 3 and p.start_date <= today][:10]
    if grade3:
        day = _weekday_on_or_before(min(p.start_date for p in grade3) - dt.timedelta(days=1))
        fall_meeting = meeting_create(
            school=school,
            kind=MeetingKind.GRADE_LEVEL,
            grade=3,
            window=fall,
            scheduled_at=_at(day),
            actor=None,
            facilitator=team,
            note_taker=principal,
            timekeeper=other_team,
            attendees=attendees,
            location="Library",
        )
        Decision.objects.bulk_create(
            [
                Decision(
                    meeting=fall_meeting,
                    student=p.student,
                    type=DecisionType.PLACE_TIER3 if p.tier == 3 else DecisionType.PLACE_TIER2,
                    domain=p.domain,
                    tier=p.tier,
                    intervention=p.intervention,
                    plan=p,
                    follows_rule=True,
                    recommendation=f"Tier {p.tier}",
                    rationale="" if p.entry_criteria_met is not False else p.entry_override_reason,
                    details=_details(p, p.start_date + dt.timedelta(weeks=6)),
                    recorded_by=team,
                )
                for p in grade3
            ]
        )
        # The team acted on these students' screening flags in that meeting. As
        # decisions.services.flag_accept does, the decision keeps the basis it rests on, so
        # the next sweep lets it stand (without it every one came back as a new open flag).
        for p in grade3:
            for flag in Flag.objects.filter(
                student_id=p.student_id,
                domain=p.domain,
                kind="screening_risk",
                status=FlagStatus.OPEN,
            ):
                flag.status = FlagStatus.ACCEPTED
                flag.basis_hash = basis_hash(flag.evidence)
                flag.decided_by = team
                flag.resolved_at = _at(day)
                flag.save(
                    update_fields=[
                        "status",
                        "basis_hash",
                        "decided_by",
                        "resolved_at",
                        "updated_at",
                    ]
                )
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    meeting=fall_meeting,
                    owner=principal,
                    description="Share the grade 3 fall screening results with families",
                    due_date=day + dt.timedelta(days=7),
                    status=ActionItem.Status.DONE,
                    completed_at=_at(day + dt.timedelta(days=5)),
                    created_by=team,
                ),
                ActionItem(
                    meeting=fall_meeting,
                    owner=interventionist,
                    description="Form the grade 3 reading groups and set their schedule",
                    due_date=day + dt.timedelta(days=3),
                    status=ActionItem.Status.DONE,
                    completed_at=_at(day + dt.timedelta(days=2)),
                    created_by=team,
                ),
            ]
        )
        _close(fall_meeting)

    # -- 2. the problem-solving meeting three weeks ago ----------------------------------------
    day = _weekday_on_or_before(today - dt.timedelta(weeks=3))
    past = meeting_create(
        school=school,
        kind=MeetingKind.PROBLEM_SOLVING,
        scheduled_at=_at(day),
        actor=None,
        facilitator=team,
        note_taker=principal,
        timekeeper=other_team,
        attendees=attendees,
        location="Room 12",
    )
    active = [p for p in plans if p.status == "active" and p.start_date < day]
    continued = rng.sample(active, min(6, len(active)))
    continued.sort(key=lambda p: p.pk)
    completed = [p for p in plans if p.status == "completed"][:1]
    decisions = [
        Decision(
            meeting=past,
            student=p.student,
            type=DecisionType.CONTINUE,
            domain=p.domain,
            tier=p.tier,
            intervention=p.intervention,
            plan=p,
            details=_details(p, day + dt.timedelta(weeks=6)),
            recorded_by=team,
        )
        for p in continued
    ]
    decisions += [
        Decision(
            meeting=past,
            student=p.student,
            type=DecisionType.EXIT,
            domain=p.domain,
            tier=1,
            intervention=p.intervention,
            plan=p,
            follows_rule=True,
            recommendation="goal met: exit or fade",
            rationale="Goal met on the last three points.",
            details=_details(p, None),
            recorded_by=team,
        )
        for p in completed
    ]
    referred = next((p for p in active if p.tier == 3 and p not in continued), None)
    if referred is not None:
        decisions.append(
            Decision(
                meeting=past,
                student=referred.student,
                type=DecisionType.REFER_EVALUATION,
                domain=referred.domain,
                tier=3,
                rationale="Little growth after two phases of Tier 3; the family agrees.",
                details={"flags": []},
                recorded_by=team,
            )
        )
    Decision.objects.bulk_create(decisions)
    first_student = continued[0].student if continued else None
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=past,
                owner=team,
                description="Observe a reading group session for fidelity",
                due_date=day + dt.timedelta(days=10),  # overdue by now
                student=first_student,
                created_by=team,
            ),
            ActionItem(
                meeting=past,
                owner=teacher,
                description="Send home the weekly reading log and collect it on Fridays",
                due_date=today + dt.timedelta(days=4),
                created_by=team,
            ),
            ActionItem(
                meeting=past,
                owner=principal,
                description="Ask the district for a second Tier 3 interventionist",
                due_date=day + dt.timedelta(days=14),
                status=ActionItem.Status.DONE,
                completed_at=_at(day + dt.timedelta(days=9)),
                created_by=team,
            ),
        ]
    )
    _close(past)

    # -- 3. concerns from the teacher ----------------------------------------------------------
    own = sorted(
        sid
        for section in ctx.sections
        if teacher.pk in section.teacher_ids
        for sid in section.student_ids
    )
    flagged = set(
        Flag.objects.filter(student_id__in=own, status__in=["open", "on_agenda"]).values_list(
            "student_id", flat=True
        )
    )
    quiet = [sid for sid in own if sid not in flagged] or own
    chosen = sorted(rng.sample(quiet, min(2, len(quiet))))
    notes = [
        "Since the winter break she avoids reading aloud and her written work has dropped. "
        "Her screening scores were fine in the fall. Could the team look at her?",
        "He often puts his head down after lunch and has stopped finishing math work. "
        "I have tried a seat change and check-ins; I would like ideas.",
    ]
    concerns = Concern.objects.bulk_create(
        [
            Concern(school=school, student_id=sid, submitted_by=teacher, note=note)
            for sid, note in zip(chosen, notes, strict=False)
        ]
    )

    # -- 4. today's meeting, ready to run ------------------------------------------------------
    ready = meeting_create(
        school=school,
        kind=MeetingKind.PROBLEM_SOLVING,
        scheduled_at=_at(today),
        actor=None,
        facilitator=team,
        note_taker=principal,
        timekeeper=other_team,
        attendees=attendees,
        location="Room 12",
    )
    meeting_prepare_agenda(meeting=ready, actor=None, limit=READY_AGENDA_ITEMS)
    if concerns:
        agenda_item_add(
            meeting=ready,
            student=Student.objects.get(pk=concerns[0].student_id),
            actor=None,
            reason="Concern raised by a teacher",
        )
