"""Writes of the meetings app. Pages, API, admin and the demo all call these.

Each service is keyword-only, runs in one transaction and writes its record-of-access row in
that transaction. Refusals a person can act on raise ApplicationError (mtss.errors); field
problems raise ValidationError; a user outside the school's team gets PermissionDenied.

Concurrency (docs/meetings.md): meetings, agenda items and action items carry a `version`.
An edit says which version it started from; the UPDATE only applies `WHERE version = n`, so
when a colleague saved first nothing is overwritten and `EditConflict` carries both texts
(the saved one and the one that was typed) back to the person.

Decisions act (`meeting_record_decision`): one transaction creates or changes the plan
through interventions.services (entry criteria checked, an override reason passed through),
records the tier change, accepts or dismisses the flags the decision answers and writes the
Decision row; any failure rolls all of it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from decisions import services as flag_services
from decisions.models import Flag, FlagKind, FlagStatus
from interventions.models import Intervention, InterventionPlan
from meetings import agenda as agenda_rules
from meetings import alignment, minutes
from meetings.models import (
    ActionItem,
    AgendaItem,
    Concern,
    Decision,
    DecisionType,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
)
from meetings.selectors import meeting_school_ids, staff_of_school
from mtss.errors import ApplicationError
from students.audit import audit_record
from students.models import AccessLog, School, Student, User
from students.selectors import students_visible_to

NOT_ON_THE_TEAM = "Only the school's team members and administrators can plan or run its meetings."
MEETING_CLOSED = "This meeting is closed; its minutes are final."
CONCERN_NOT_YOUR_STUDENT = "You can raise a concern only about a student in one of your classes."


def review_weeks() -> int:
    """Weeks without a team review after which a plan is due (setting MEETINGS_REVIEW_WEEKS)."""
    return int(getattr(settings, "MEETINGS_REVIEW_WEEKS", 6))


class EditConflict(ApplicationError):
    """Someone saved the same thing first. `saved` is what is stored now, `yours` what this
    person typed; both are shown so nothing is lost."""

    def __init__(self, *, what: str, saved: dict[str, Any], yours: dict[str, Any], version: int):
        super().__init__(
            f"Someone else saved this {what} while you were editing it. Your text was not "
            "saved: compare it with the saved version below, then save again.",
            extra={"conflict": True, "saved": saved, "yours": yours, "current_version": version},
        )
        self.saved = saved
        self.yours = yours
        self.version = version


# -- helpers -----------------------------------------------------------------------------------


def _actor_id(actor: User | None) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def _require_team(actor: User | None, school_id: int) -> None:
    # actor None: the platform itself (demo data, commands run by an operator).
    if actor is not None and school_id not in meeting_school_ids(actor):
        raise PermissionDenied(NOT_ON_THE_TEAM)


def _require_open(meeting: Meeting) -> None:
    """Refuse changes to a closed meeting, reading its status under a row lock: the object in
    hand may be stale (a page opened before a colleague closed the meeting), and the lock
    makes closing wait for a change in progress (and the other way round)."""
    current = (
        Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("status", flat=True)
    )
    if meeting.status == MeetingStatus.CLOSED or current.first() == MeetingStatus.CLOSED:
        raise ApplicationError(MEETING_CLOSED)


def _check_staff(school: School, users: Iterable[User | None], field: str) -> None:
    ids = {u.pk for u in users if u is not None}
    if not ids:
        return
    known = set(staff_of_school(school).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - known:
        raise ValidationError({field: ["Choose people who work at this school."]})


def _audit(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: Any,
    *,
    student: Student | int | None = None,
    request: Any = None,
    detail: dict | None = None,
) -> None:
    audit_record(
        user=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        student=student,
        request=request,
        detail=detail,
    )


# -- meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    school: School,
    kind: str,
    scheduled_at: dt.datetime,
    actor: User | None,
    facilitator: User | None = None,
    note_taker: User | None = None,
    timekeeper: User | None = None,
    attendees: Sequence[User] = (),
    grade: int | None = None,
    window: Any = None,
    duration_minutes: int = 60,
    location: str = "",
    series: MeetingSeries | None = None,
    request: Any = None,
) -> Meeting:
    """Schedule a meeting. A grade-level data meeting names its grade (and usually the
    screening window whose results it discusses)."""
    _require_team(actor, school.pk)
    if timezone.is_naive(scheduled_at):
        raise ValidationError({"scheduled_at": ["Give the time with its time zone."]})
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": ["Choose a grade-level or a problem-solving meeting."]})
    if kind == MeetingKind.GRADE_LEVEL and grade is None:
        raise ValidationError({"grade": ["A grade-level meeting needs its grade."]})
    if grade is not None and not (school.lowest_grade <= grade <= school.highest_grade):
        raise ValidationError({"grade": ["This school does not teach that grade."]})
    if window is not None and window.school_year.district_id != school.district_id:
        raise ValidationError({"window": ["Choose a screening window of this district."]})
    if not 5 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": ["A meeting lasts 5 to 480 minutes."]})
    _check_staff(school, [facilitator, note_taker, timekeeper, *attendees], "attendees")
    meeting = Meeting.objects.create(
        school=school,
        kind=kind,
        grade=grade if kind == MeetingKind.GRADE_LEVEL else None,
        window=window if kind == MeetingKind.GRADE_LEVEL else None,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        location=location,
        facilitator=facilitator,
        note_taker=note_taker,
        timekeeper=timekeeper,
        series=series,
        created_by_id=_actor_id(actor),
    )
    if attendees:
        meeting.attendees.set(attendees)
    _audit(actor, AccessLog.Action.CREATE, "meeting", meeting.pk, request=request)
    return meeting


@transaction.atomic
def meeting_schedule_series(
    *, meeting: Meeting, every_weeks: int, count: int, actor: User | None, request: Any = None
) -> list[Meeting]:
    """Create the next `count` meetings, every `every_weeks` weeks after `meeting`, with the
    same kind, roles and attendees; all of them join one MeetingSeries."""
    _require_team(actor, meeting.school_id)
    if not 1 <= every_weeks <= 12:
        raise ValidationError({"every_weeks": ["Repeat every 1 to 12 weeks."]})
    if not 1 <= count <= 20:
        raise ValidationError({"count": ["Schedule 1 to 20 meetings at a time."]})
    series = meeting.series
    if series is None:
        series = MeetingSeries.objects.create(
            school_id=meeting.school_id, every_weeks=every_weeks, created_by_id=_actor_id(actor)
        )
        Meeting.objects.filter(pk=meeting.pk).update(series=series)
        meeting.series = series
    attendees = list(meeting.attendees.all())
    # Wall-clock time is kept across daylight-saving changes: add the weeks in local time.
    local = timezone.localtime(meeting.scheduled_at)
    created = []
    for n in range(1, count + 1):
        naive = local.replace(tzinfo=None) + dt.timedelta(weeks=every_weeks * n)
        created.append(
            meeting_create(
                school=meeting.school,
                kind=meeting.kind,
                scheduled_at=timezone.make_aware(naive),
                actor=actor,
                facilitator=meeting.facilitator,
                note_taker=meeting.note_taker,
                timekeeper=meeting.timekeeper,
                attendees=attendees,
                grade=meeting.grade,
                window=meeting.window,
                duration_minutes=meeting.duration_minutes,
                location=meeting.location,
                series=series,
                request=request,
            )
        )
    return created


MEETING_EDITABLE = frozenset(
    {
        "scheduled_at",
        "duration_minutes",
        "location",
        "facilitator",
        "note_taker",
        "timekeeper",
        "notes",
    }
)


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    version: int,
    changes: dict[str, Any],
    actor: User | None,
    attendees: Sequence[User] | None = None,
    request: Any = None,
) -> Meeting:
    """Save changes made to `version` of the meeting; EditConflict when someone saved since."""
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    unknown = set(changes) - MEETING_EDITABLE
    if unknown:
        raise ValidationError({name: ["This cannot be changed here."] for name in unknown})
    if "scheduled_at" in changes and timezone.is_naive(changes["scheduled_at"]):
        raise ValidationError({"scheduled_at": ["Give the time with its time zone."]})
    people = [changes.get(k) for k in ("facilitator", "note_taker", "timekeeper")]
    _check_staff(meeting.school, [*people, *(attendees or [])], "attendees")
    updated = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    fresh = Meeting.objects.select_related("school").get(pk=meeting.pk)
    if not updated:
        raise EditConflict(
            what="meeting",
            saved={"notes": fresh.notes},
            yours={"notes": changes.get("notes", "")},
            version=fresh.version,
        )
    if attendees is not None:
        fresh.attendees.set(attendees)
    _audit(
        actor,
        AccessLog.Action.UPDATE,
        "meeting",
        meeting.pk,
        request=request,
        detail={"fields": sorted(changes)},
    )
    return fresh


@transaction.atomic
def meeting_start(*, meeting: Meeting, actor: User | None, request: Any = None) -> Meeting:
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    if meeting.status == MeetingStatus.PLANNED:
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.IN_PROGRESS,
            started_at=timezone.now(),
            version=F("version") + 1,
        )
        _audit(
            actor,
            AccessLog.Action.UPDATE,
            "meeting",
            meeting.pk,
            request=request,
            detail={"status": "in_progress"},
        )
    return Meeting.objects.get(pk=meeting.pk)


# -- agenda ------------------------------------------------------------------------------------


def _student_flags_qs(school_id: int) -> Any:
    return Flag.objects.filter(
        school_id=school_id,
        status=FlagStatus.OPEN,
        student__isnull=False,
        student__active=True,
    ).exclude(kind=FlagKind.CLASSWIDE)


def _flag_rows(flags: Iterable[Flag]) -> list[agenda_rules.FlagRow]:
    return [
        agenda_rules.FlagRow(
            id=f.pk,
            student_id=f.student_id,
            kind=f.kind,
            recommended_tier=f.recommended_tier,
            domain=f.domain,
            created_at=f.created_at,
        )
        for f in flags
    ]


def _plan_rows(school_id: int) -> list[agenda_rules.PlanRow]:
    plans = (
        InterventionPlan.objects.filter(
            student__school_id=school_id,
            student__active=True,
            status=InterventionPlan.Status.ACTIVE,
        )
        .annotate(reviewed_at=Max("meeting_decisions__meeting__scheduled_at"))
        .values_list("pk", "student_id", "tier", "start_date", "reviewed_at")
    )
    rows = []
    for pk, student_id, tier, start, reviewed_at in plans:
        last = start
        if reviewed_at is not None:
            last = max(start, timezone.localtime(reviewed_at).date())
        rows.append(
            agenda_rules.PlanRow(id=pk, student_id=student_id, tier=tier, last_reviewed=last)
        )
    return rows


def _next_position(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(p=Max("position"))["p"]
    return (top or 0) + 1


def _put_flags_on_agenda(flag_ids: Iterable[int], actor: User | None, request: Any) -> None:
    for flag in Flag.objects.filter(pk__in=list(flag_ids), status=FlagStatus.OPEN).order_by("pk"):
        flag_services.flag_put_on_agenda(flag=flag, actor=actor, request=request)


def _grade_level_items(meeting: Meeting, start: int, actor: User | None) -> list[AgendaItem]:
    """The grade's screening summary and its classwide problems."""
    from screening.models import Measure, ScreeningScore

    items: list[AgendaItem] = []
    position = start
    existing_kinds = set(
        AgendaItem.objects.filter(meeting=meeting).values_list("kind", "section_id")
    )
    if meeting.window_id and (AgendaItem.Kind.SUMMARY, None) not in existing_kinds:
        scores = [
            agenda_rules.ScoreRow(measure_id=m, student_id=s, risk_level=r or "")
            for m, s, r in ScreeningScore.objects.filter(
                window_id=meeting.window_id,
                grade=meeting.grade,
                student__school_id=meeting.school_id,
                student__active=True,
            ).values_list("measure_id", "student_id", "risk_level")
        ]
        measure_ids = sorted({s.measure_id for s in scores})
        measures = dict(
            Measure.objects.filter(pk__in=measure_ids).order_by("name").values_list("pk", "name")
        )
        enrolled = Student.objects.filter(
            school_id=meeting.school_id, grade=meeting.grade, active=True
        ).count()
        summary = agenda_rules.screening_summary(
            scores=scores, measures=measures, enrolled=enrolled
        )
        items.append(
            AgendaItem(
                meeting=meeting,
                kind=AgendaItem.Kind.SUMMARY,
                position=position,
                priority=0,
                title=f"Screening summary, grade {meeting.grade}",
                reason="How the grade did in this screening window",
                data={"enrolled": enrolled, "measures": [m.as_dict() for m in summary]},
                target_minutes=10,
                added_by_id=_actor_id(actor),
            )
        )
        position += 1
    classwide = Flag.objects.filter(
        school_id=meeting.school_id,
        status=FlagStatus.OPEN,
        kind=FlagKind.CLASSWIDE,
        section__grade=meeting.grade,
    ).select_related("section", "measure")
    if meeting.window_id:
        classwide = classwide.filter(window_id=meeting.window_id)
    by_section: dict[int, list[Flag]] = {}
    for f in classwide.order_by("section__name", "pk"):
        by_section.setdefault(f.section_id, []).append(f)
    for section_id, flags in by_section.items():
        if (AgendaItem.Kind.CLASSWIDE, section_id) in existing_kinds:
            continue
        measures_named = ", ".join(f.measure.name for f in flags if f.measure_id)
        item = AgendaItem(
            meeting=meeting,
            kind=AgendaItem.Kind.CLASSWIDE,
            section_id=section_id,
            position=position,
            priority=0,
            title=f"Classwide problem: {flags[0].section.name}",
            reason=f"Class median below benchmark ({measures_named})",
            target_minutes=5,
            added_by_id=_actor_id(actor),
        )
        item._flag_ids = [f.pk for f in flags]
        items.append(item)
        position += 1
    return items


@transaction.atomic
def meeting_prepare_agenda(
    *, meeting: Meeting, actor: User | None, limit: int | None = None, request: Any = None
) -> list[AgendaItem]:
    """Propose the agenda (meetings.agenda): new items after any already there, one per
    student, with their source flags, plans and concerns. The proposed flags move to
    "on an agenda" and the concerns to "on a meeting agenda". Running it again adds only
    what is new since. `limit`: at most that many new student items, the most urgent; the
    others stay open for the next meeting."""
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    # _require_open locked the meeting row: one preparation at a time per meeting; the
    # second waits, then sees the first's items.
    on_agenda = set(
        AgendaItem.objects.filter(meeting=meeting, student__isnull=False).values_list(
            "student_id", flat=True
        )
    )
    flags_qs = _student_flags_qs(meeting.school_id)
    if meeting.kind == MeetingKind.GRADE_LEVEL:
        flags_qs = flags_qs.filter(student__grade=meeting.grade, kind=FlagKind.SCREENING_RISK)
        if meeting.window_id:
            flags_qs = flags_qs.filter(window_id=meeting.window_id)
        plans: list[agenda_rules.PlanRow] = []
        concerns: list[agenda_rules.ConcernRow] = []
    else:
        plans = _plan_rows(meeting.school_id)
        concerns = [
            agenda_rules.ConcernRow(id=pk, student_id=sid, created_at=at)
            for pk, sid, at in Concern.objects.filter(
                school_id=meeting.school_id, status=Concern.Status.OPEN, student__active=True
            ).values_list("pk", "student_id", "created_at")
        ]
    flag_rows = _flag_rows(
        flags_qs.only("pk", "student_id", "kind", "recommended_tier", "domain", "created_at")
    )
    student_ids = (
        {r.student_id for r in flag_rows}
        | {p.student_id for p in plans}
        | {c.student_id for c in concerns}
    )
    names = {
        pk: f"{last} {first}"
        for pk, last, first in Student.objects.filter(pk__in=student_ids).values_list(
            "pk", "last_name", "first_name"
        )
    }
    proposed = agenda_rules.build_agenda(
        flags=flag_rows,
        plans=plans,
        concerns=concerns,
        names=names,
        meeting_date=timezone.localtime(meeting.scheduled_at).date(),
        review_weeks=review_weeks(),
        exclude_student_ids=on_agenda,
    )
    if limit is not None:
        proposed = proposed[: max(limit, 0)]
    position = _next_position(meeting)
    new_items: list[AgendaItem] = []
    if meeting.kind == MeetingKind.GRADE_LEVEL:
        new_items += _grade_level_items(meeting, position, actor)
        position += len(new_items)
    for p in proposed:
        item = AgendaItem(
            meeting=meeting,
            kind=AgendaItem.Kind.STUDENT,
            student_id=p.student_id,
            position=position,
            priority=p.priority,
            reason=p.reason[:300],
            target_minutes=8 if p.priority == agenda_rules.TIER3_OR_CHANGE else 5,
            added_by_id=_actor_id(actor),
        )
        item._flag_ids = p.flag_ids
        item._plan_ids = p.plan_ids
        item._concern_ids = p.concern_ids
        new_items.append(item)
        position += 1
    AgendaItem.objects.bulk_create(new_items)
    flag_links, plan_links, concern_links = [], [], []
    for item in new_items:
        flag_links += [
            AgendaItem.flags.through(agendaitem_id=item.pk, flag_id=f)
            for f in getattr(item, "_flag_ids", [])
        ]
        plan_links += [
            AgendaItem.plans.through(agendaitem_id=item.pk, interventionplan_id=p)
            for p in getattr(item, "_plan_ids", [])
        ]
        concern_links += [
            AgendaItem.concerns.through(agendaitem_id=item.pk, concern_id=c)
            for c in getattr(item, "_concern_ids", [])
        ]
    AgendaItem.flags.through.objects.bulk_create(flag_links)
    AgendaItem.plans.through.objects.bulk_create(plan_links)
    AgendaItem.concerns.through.objects.bulk_create(concern_links)
    _put_flags_on_agenda([link.flag_id for link in flag_links], actor, request)
    Concern.objects.filter(pk__in=[link.concern_id for link in concern_links]).update(
        status=Concern.Status.ON_AGENDA, updated_at=timezone.now()
    )
    Meeting.objects.filter(pk=meeting.pk).update(prepared_at=timezone.now())
    _audit(
        actor,
        AccessLog.Action.UPDATE,
        "meeting_agenda",
        meeting.pk,
        request=request,
        detail={"added_items": len(new_items)},
    )
    return new_items


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    student: Student,
    actor: User | None,
    reason: str = "Added by the team",
    request: Any = None,
) -> AgendaItem:
    """Add a student to the agenda (at the end) with their open flags, active plans and
    open concerns."""
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    if student.school_id != meeting.school_id:
        raise ValidationError({"student": ["Choose a student of this school."]})
    if AgendaItem.objects.filter(meeting=meeting, student=student).exists():
        raise ApplicationError(f"{student.full_name} is already on this agenda.")
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.STUDENT,
        student=student,
        position=_next_position(meeting),
        reason=reason[:300],
        added_by_id=_actor_id(actor),
    )
    flag_ids = list(
        _student_flags_qs(meeting.school_id).filter(student=student).values_list("pk", flat=True)
    )
    item.flags.set(flag_ids)
    item.plans.set(
        InterventionPlan.objects.filter(student=student, status=InterventionPlan.Status.ACTIVE)
    )
    concerns = Concern.objects.filter(student=student, status=Concern.Status.OPEN)
    item.concerns.set(concerns)
    concerns.update(status=Concern.Status.ON_AGENDA, updated_at=timezone.now())
    _put_flags_on_agenda(flag_ids, actor, request)
    _audit(
        actor,
        AccessLog.Action.UPDATE,
        "agenda_item",
        item.pk,
        student=student,
        request=request,
        detail={"added": True, "meeting": meeting.pk},
    )
    return item


@transaction.atomic
def agenda_item_move(
    *, item: AgendaItem, direction: str, actor: User | None, request: Any = None
) -> list[AgendaItem]:
    """Swap the item with its neighbour above ("up") or below ("down"). Returns the agenda."""
    meeting = item.meeting
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": ["Move an item up or down."]})
    items = list(
        AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("position", "id")
    )
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise ApplicationError("This item is no longer on the agenda.")
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        a, b = items[index], items[other]
        # The unique (meeting, position) constraint is deferred to commit, so a swap is fine.
        AgendaItem.objects.filter(pk=a.pk).update(position=b.position, version=F("version") + 1)
        AgendaItem.objects.filter(pk=b.pk).update(position=a.position, version=F("version") + 1)
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: User | None, request: Any = None) -> None:
    """Take an item off the agenda: its flags go back to open and its concerns wait for the
    next meeting. An item with a recorded decision stays (the decision is on the record)."""
    meeting = item.meeting
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    if Decision.objects.filter(item=item).exists():
        raise ApplicationError(
            "The team has recorded a decision on this item, so it stays on the agenda."
        )
    for flag in item.flags.filter(status=FlagStatus.ON_AGENDA).order_by("pk"):
        flag_services.flag_take_off_agenda(flag=flag, actor=actor, request=request)
    item.concerns.filter(status=Concern.Status.ON_AGENDA).update(
        status=Concern.Status.OPEN, updated_at=timezone.now()
    )
    _audit(
        actor,
        AccessLog.Action.DELETE,
        "agenda_item",
        item.pk,
        student=item.student_id,
        request=request,
        detail={"meeting": meeting.pk},
    )
    item.delete()


@transaction.atomic
def agenda_item_save_notes(
    *, item: AgendaItem, version: int, notes: str, actor: User | None, request: Any = None
) -> AgendaItem:
    """Save the item's notes made from `version`; EditConflict when someone saved since."""
    _require_team(actor, item.meeting.school_id)
    _require_open(item.meeting)
    if len(notes) > 20000:
        raise ValidationError({"notes": ["Keep the notes under 20,000 characters."]})
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
    _audit(
        actor,
        AccessLog.Action.UPDATE,
        "agenda_item",
        item.pk,
        student=item.student_id,
        request=request,
        detail={"notes": True},
    )
    return fresh


# -- decisions ---------------------------------------------------------------------------------

PLACEMENTS = (DecisionType.PLACE_TIER2, DecisionType.PLACE_TIER3)
PLAN_CHANGES = (
    DecisionType.CONTINUE,
    DecisionType.MODIFY_PLAN,
    DecisionType.INTENSIFY,
    DecisionType.FADE,
    DecisionType.EXIT,
)
RATIONALE_REQUIRED = "Say why: the team's reason is part of the record."
OVERRIDE_RATIONALE = (
    "This goes against the rules' recommendation ({rec}). Say why the team decided otherwise."
)


def _answered_flags(
    item: AgendaItem | None, student: Student, type: str, domain: str, flags: Sequence[Flag] | None
) -> list[Flag]:
    """The live flags a decision answers: the ones named, else the item's live flags in the
    decision's domain (all of them when the decision names no domain)."""
    if flags is not None:
        chosen = list(flags)
        for f in chosen:
            if f.student_id != student.pk:
                raise ValidationError({"flags": ["Choose flags of this student."]})
        return [f for f in chosen if f.is_live]
    if item is None:
        return []
    live = [f for f in item.flags.all() if f.is_live]
    if domain:
        live = [f for f in live if f.domain == domain]
    return live


@transaction.atomic
def meeting_record_decision(
    *,
    meeting: Meeting,
    item: AgendaItem | None,
    student: Student | None = None,
    type: str,
    actor: User | None,
    rationale: str = "",
    domain: str = "",
    flags: Sequence[Flag] | None = None,
    intervention: Intervention | None = None,
    plan: InterventionPlan | None = None,
    interventionist: User | None = None,
    start_date: dt.date | None = None,
    review_date: dt.date | None = None,
    sessions_per_week: int | None = None,
    minutes_per_session: int | None = None,
    planned_weeks: int | None = None,
    measure: Any = None,
    goal: Any = None,
    goal_date: dt.date | None = None,
    tier: int | None = None,
    request: Any = None,
) -> Decision:
    """Record the team's decision about one student and apply its effects, all or nothing.

    - place_tier2 / place_tier3: a new plan (interventions.services.plan_start, entry
      criteria checked; when the student does not meet them, the rationale is the override
      reason), which records the tier placement;
    - continue: the plan goes on (the decision is its review);
    - modify_plan / intensify / fade: a new phase of the plan (plan_change_phase) with the
      new intervention, goal or dosage; intensify/fade may change the tier;
    - exit: the plan closes as completed (plan_close) and the student returns to Tier 1;
    - refer_evaluation, monitor: no plan change;
    - dismiss_flag: the answered flags are dismissed with the rationale.
    The flags it answers are accepted (dismissed for dismiss_flag, and for monitor against
    a recommendation). A decision against the rules' recommendation needs a rationale.
    """
    if item is not None:
        if item.meeting_id != meeting.pk:
            raise ValidationError({"item": ["This item belongs to another meeting."]})
        student = item.student
    if student is None:
        raise ValidationError({"student": ["Choose the student the decision is about."]})
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    if student.school_id != meeting.school_id:
        raise ValidationError({"student": ["Choose a student of this school."]})
    if type not in DecisionType.values:
        raise ValidationError({"type": ["Choose one of the decisions offered."]})
    rationale = (rationale or "").strip()
    if len(rationale) > 5000:
        raise ValidationError({"rationale": ["Keep the rationale under 5,000 characters."]})
    if plan is not None and plan.student_id != student.pk:
        raise ValidationError({"plan": ["Choose a plan of this student."]})
    if type in PLACEMENTS:
        if intervention is None:
            raise ValidationError({"intervention": ["Choose an intervention from the catalog."]})
        domain = intervention.domain
    elif type in PLAN_CHANGES:
        if plan is None:
            raise ValidationError({"plan": ["Choose the plan this decision is about."]})
        if plan.status != InterventionPlan.Status.ACTIVE:
            raise ValidationError({"plan": ["This plan has ended; choose an active plan."]})
        domain = plan.domain
    answered = _answered_flags(item, student, type, domain, flags)
    if type == DecisionType.DISMISS_FLAG:
        if not answered:
            raise ValidationError({"flags": ["There is no open flag to dismiss."]})
        if not rationale:
            raise ValidationError({"rationale": [RATIONALE_REQUIRED]})
    recs = [
        alignment.Recommendation(
            kind=f.kind, recommended_tier=f.recommended_tier, classwide_context=f.classwide_context
        )
        for f in answered
    ]
    follows = alignment.follows_rule(type, recs)
    rec_words = alignment.recommendation_words(recs)
    if follows is False and not rationale:
        raise ValidationError({"rationale": [OVERRIDE_RATIONALE.format(rec=rec_words)]})

    # Lock the student's live flags so a sweep cannot resolve them under us.
    list(Flag.objects.select_for_update().filter(pk__in=[f.pk for f in answered]).values_list("pk"))

    from meetings import effects

    outcome = effects.apply(
        type=type,
        student=student,
        meeting=meeting,
        actor=actor,
        rationale=rationale,
        domain=domain,
        intervention=intervention,
        plan=plan,
        interventionist=interventionist,
        start_date=start_date or timezone.localtime(meeting.scheduled_at).date(),
        sessions_per_week=sessions_per_week,
        minutes_per_session=minutes_per_session,
        planned_weeks=planned_weeks,
        measure=measure,
        goal=goal,
        goal_date=goal_date,
        tier=tier,
        request=request,
    )
    result_plan = outcome.plan
    meeting_day = timezone.localtime(meeting.scheduled_at).date()
    if review_date is None and type not in (
        DecisionType.EXIT,
        DecisionType.DISMISS_FLAG,
        DecisionType.REFER_EVALUATION,
    ):
        review_date = (outcome.start_date or meeting_day) + dt.timedelta(weeks=review_weeks())
    details = {
        "intervention": (outcome.intervention.name if outcome.intervention else ""),
        "interventionist": outcome.interventionist_name,
        "sessions_per_week": outcome.sessions_per_week,
        "minutes_per_session": outcome.minutes_per_session,
        "start_date": outcome.start_date.isoformat() if outcome.start_date else None,
        "review_date": review_date.isoformat() if review_date else None,
        "flags": [f"{f.get_kind_display()}, {f.get_domain_display().lower()}" for f in answered],
        "entry_criteria_met": outcome.entry_criteria_met,
    }
    decision = Decision.objects.create(
        meeting=meeting,
        item=item,
        student=student,
        type=type,
        domain=domain,
        tier=outcome.tier,
        intervention=outcome.intervention,
        plan=result_plan,
        rationale=rationale,
        follows_rule=follows,
        is_override=follows is False,
        recommendation=rec_words,
        details=details,
        recorded_by_id=_actor_id(actor),
    )
    decision.flags.set(answered)
    dismiss = type == DecisionType.DISMISS_FLAG or (
        type == DecisionType.MONITOR and follows is False
    )
    for f in answered:
        if dismiss:
            flag_services.flag_dismiss(
                flag=f,
                reason=f"{decision.get_type_display()}: {rationale}",
                actor=actor,
                request=request,
            )
        else:
            flag_services.flag_accept(flag=f, actor=actor, request=request)
    if item is not None:
        AgendaItem.objects.filter(pk=item.pk).update(
            status=AgendaItem.Status.DISCUSSED, updated_at=timezone.now()
        )
        item.concerns.filter(status=Concern.Status.ON_AGENDA).update(
            status=Concern.Status.DISCUSSED, updated_at=timezone.now()
        )
    _audit(
        actor,
        AccessLog.Action.CREATE,
        "meeting_decision",
        decision.pk,
        student=student,
        request=request,
        detail={
            "type": type,
            "plan": result_plan.pk if result_plan else None,
            "against_rule": decision.is_override,
        },
    )
    return decision


# -- action items ------------------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *,
    meeting: Meeting,
    owner: User,
    description: str,
    due_date: dt.date,
    actor: User | None,
    student: Student | None = None,
    request: Any = None,
) -> ActionItem:
    _require_team(actor, meeting.school_id)
    _require_open(meeting)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": ["Say what needs to be done."]})
    if len(description) > 500:
        raise ValidationError({"description": ["Keep it under 500 characters."]})
    _check_staff(meeting.school, [owner], "owner")
    if student is not None and student.school_id != meeting.school_id:
        raise ValidationError({"student": ["Choose a student of this school."]})
    item = ActionItem.objects.create(
        meeting=meeting,
        owner=owner,
        description=description,
        due_date=due_date,
        student=student,
        created_by_id=_actor_id(actor),
    )
    _audit(actor, AccessLog.Action.CREATE, "action_item", item.pk, student=student, request=request)
    return item


@transaction.atomic
def action_item_set_status(
    *,
    item: ActionItem,
    status: str,
    actor: User | None,
    version: int | None = None,
    request: Any = None,
) -> ActionItem:
    """Mark done or reopen. The owner and the meeting's team may do it."""
    if actor is not None and actor.pk != item.owner_id:
        _require_team(actor, item.meeting.school_id)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": ["Choose open or done."]})
    qs = ActionItem.objects.filter(pk=item.pk)
    if version is not None:
        qs = qs.filter(version=version)
    updated = qs.update(
        status=status,
        completed_at=timezone.now() if status == ActionItem.Status.DONE else None,
        version=F("version") + 1,
    )
    fresh = ActionItem.objects.get(pk=item.pk)
    if not updated:
        raise EditConflict(
            what="action item",
            saved={"status": fresh.status, "description": fresh.description},
            yours={"status": status},
            version=fresh.version,
        )
    _audit(
        actor,
        AccessLog.Action.UPDATE,
        "action_item",
        item.pk,
        student=item.student_id,
        request=request,
        detail={"status": status},
    )
    return fresh


# -- concerns ----------------------------------------------------------------------------------


@transaction.atomic
def concern_submit(*, student: Student, note: str, actor: User, request: Any = None) -> Concern:
    """A teacher's "please discuss this student" for the school's team. Anyone may raise a
    concern only about a student they see (a teacher: their own students)."""
    if not students_visible_to(actor).filter(pk=student.pk).exists():
        raise PermissionDenied(CONCERN_NOT_YOUR_STUDENT)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ["Say what the team should discuss."]})
    if len(note) > 5000:
        raise ValidationError({"note": ["Keep the note under 5,000 characters."]})
    concern = Concern.objects.create(
        school_id=student.school_id, student=student, submitted_by=actor, note=note
    )
    _audit(actor, AccessLog.Action.CREATE, "concern", concern.pk, student=student, request=request)
    return concern


@transaction.atomic
def concern_withdraw(*, concern: Concern, actor: User, request: Any = None) -> Concern:
    if concern.submitted_by_id != actor.pk:
        _require_team(actor, concern.school_id)
    if concern.status not in (Concern.Status.OPEN, Concern.Status.ON_AGENDA):
        raise ApplicationError("The team has already discussed this concern.")
    Concern.objects.filter(pk=concern.pk).update(
        status=Concern.Status.WITHDRAWN, updated_at=timezone.now()
    )
    _audit(
        actor,
        AccessLog.Action.UPDATE,
        "concern",
        concern.pk,
        student=concern.student_id,
        request=request,
        detail={"status": "withdrawn"},
    )
    concern.refresh_from_db()
    return concern


# -- closing -----------------------------------------------------------------------------------


def _person(user: User | None) -> str:
    """A person in the minutes' roles and attendees: title and full name ("Ms. Ann Lee"), so
    two colleagues who share a surname stay apart."""
    if user is None:
        return ""
    name = user.get_full_name() or user.username
    return f"{user.title} {name}" if user.title else name


def _decision_row(d: Decision) -> minutes.DecisionRow:
    det = d.details or {}

    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(det[key]) if det.get(key) else None

    return minutes.DecisionRow(
        student=d.student.short_name,
        type=d.type,
        domain=d.domain,
        tier=d.tier,
        intervention=det.get("intervention", ""),
        interventionist=det.get("interventionist", ""),
        sessions_per_week=det.get("sessions_per_week"),
        minutes_per_session=det.get("minutes_per_session"),
        start_date=day("start_date"),
        review_date=day("review_date"),
        rationale=d.rationale,
        is_override=d.is_override,
        recommendation=d.recommendation,
        flags=tuple(det.get("flags", ())),
    )


def minutes_for(meeting: Meeting) -> dict[str, Any]:
    """The minutes as they stand (frozen ones once the meeting is closed)."""
    if meeting.status == MeetingStatus.CLOSED and meeting.minutes_data:
        return meeting.minutes_data
    decisions = list(
        Decision.objects.filter(meeting=meeting)
        .select_related("student")
        .order_by("created_at", "id")
    )
    actions = list(
        ActionItem.objects.filter(meeting=meeting)
        .select_related("owner", "student")
        .order_by("due_date", "id")
    )
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(notes="")
        .select_related("student")
        .order_by("position")
    )
    data = minutes.MinutesInput(
        title=meeting.title,
        school=meeting.school.name,
        scheduled_at=timezone.localtime(meeting.scheduled_at),
        facilitator=_person(meeting.facilitator),
        note_taker=_person(meeting.note_taker),
        timekeeper=_person(meeting.timekeeper),
        attendees=[_person(u) for u in meeting.attendees.order_by("last_name", "first_name", "pk")],
        decisions=[_decision_row(d) for d in decisions],
        action_items=[
            minutes.ActionRow(
                owner=a.owner.display_name(),
                description=a.description,
                due_date=a.due_date,
                student=a.student.short_name if a.student_id else "",
                status=a.status,
            )
            for a in actions
        ],
        notes=meeting.notes,
        item_notes=tuple((i.label, i.notes) for i in items),
    )
    return minutes.build_minutes(data)


@transaction.atomic
def meeting_close(*, meeting: Meeting, actor: User | None, request: Any = None) -> Meeting:
    """Close the meeting and freeze its minutes. Flags still on its agenda without a
    decision go back to open (the next meeting proposes them again), and so do concerns."""
    _require_team(actor, meeting.school_id)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("school", "facilitator", "note_taker", "timekeeper", "window")
        .get(pk=meeting.pk)
    )
    _require_open(meeting)
    for flag in (
        Flag.objects.filter(agenda_items__meeting=meeting, status=FlagStatus.ON_AGENDA)
        .distinct()
        .order_by("pk")
    ):
        flag_services.flag_take_off_agenda(flag=flag, actor=actor, request=request)
    Concern.objects.filter(agenda_items__meeting=meeting, status=Concern.Status.ON_AGENDA).update(
        status=Concern.Status.OPEN, updated_at=timezone.now()
    )
    data = minutes_for(meeting)
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CLOSED,
        closed_at=now,
        minutes_data=data,
        minutes_text=minutes.minutes_text(data),
        version=F("version") + 1,
    )
    _audit(
        actor,
        AccessLog.Action.UPDATE,
        "meeting",
        meeting.pk,
        request=request,
        detail={"status": "closed"},
    )
    return Meeting.objects.select_related(
        *("school", "facilitator", "note_taker", "timekeeper")
    ).get(pk=meeting.pk)
