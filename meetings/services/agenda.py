"""Preparing a meeting's agenda: open flags, plans due for review and concerns, most urgent
first (the rules are meetings.agenda)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from decisions import services as flag_services
from decisions.classwide_plans import without_held
from decisions.models import Flag, FlagKind, FlagStatus
from decisions.selectors import new_flags_queue
from interventions.models import InterventionPlan
from meetings import agenda as agenda_rules
from meetings.models import AgendaItem, Concern, Meeting, MeetingKind
from meetings.services.audit import actor_id, log_access
from meetings.services.guards import require_open, require_team
from students.audit import AuditContext
from students.models import AccessLog, Student, User


def review_weeks() -> int:
    """Weeks without a team review after which a plan is due (setting MEETINGS_REVIEW_WEEKS)."""
    return int(getattr(settings, "MEETINGS_REVIEW_WEEKS", 6))


def student_flags_qs(school_id: int) -> Any:
    """The school's open student flags a meeting should take up: not those an active plan
    already serves (context on the plan), unless that plan is not responding, and not the Tier 2
    screening flags waiting for a classwide plan's result (decisions.classwide_plans)."""
    return new_flags_queue(
        without_held(
            Flag.objects.filter(
                school_id=school_id,
                status=FlagStatus.OPEN,
                student__isnull=False,
                student__active=True,
            ).exclude(kind=FlagKind.CLASSWIDE)
        )
    )


def _flag_rows(flags: Iterable[Flag]) -> list[agenda_rules.FlagRow]:
    return [
        agenda_rules.FlagRow(
            id=f.pk,
            student_id=f.student_id,
            kind=f.kind,
            recommended_tier=f.recommended_tier,
            domain=f.domain,
            created_at=f.created_at,
            escalates=bool(getattr(f, "escalates", False)),
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


def next_position(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(p=Max("position"))["p"]
    return (top or 0) + 1


def put_flags_on_agenda(
    flag_ids: Iterable[int], actor: User | None, audit: AuditContext | None
) -> None:
    for flag in Flag.objects.filter(pk__in=list(flag_ids), status=FlagStatus.OPEN).order_by("pk"):
        flag_services.flag_put_on_agenda(flag=flag, actor=actor, audit=audit)


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
                # Stored as written, in the language of whoever builds the agenda.
                title=gettext("Screening summary, grade %(grade)s") % {"grade": meeting.grade},
                reason=gettext("How the grade did in this screening window"),
                data={"enrolled": enrolled, "measures": [m.as_dict() for m in summary]},
                target_minutes=10,
                added_by_id=actor_id(actor),
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
            title=gettext("Classwide problem: %(section)s") % {"section": flags[0].section.name},
            reason=gettext("Class median below benchmark (%(measures)s)")
            % {"measures": measures_named},
            target_minutes=5,
            added_by_id=actor_id(actor),
        )
        item._flag_ids = [f.pk for f in flags]
        items.append(item)
        position += 1
    return items


@transaction.atomic
def meeting_prepare_agenda(
    *,
    meeting: Meeting,
    actor: User | None,
    limit: int | None = None,
    audit: AuditContext | None = None,
) -> list[AgendaItem]:
    """Propose the agenda (meetings.agenda): new items after any already there, one per
    student, with their source flags, plans and concerns. The proposed flags move to
    "on an agenda" and the concerns to "on a meeting agenda". Running it again adds only
    what is new since. `limit`: at most that many new student items, the most urgent; the
    others stay open for the next meeting."""
    require_team(actor, meeting.school_id)
    require_open(meeting)
    # require_open locked the meeting row: one preparation at a time per meeting; the
    # second waits, then sees the first's items.
    on_agenda = set(
        AgendaItem.objects.filter(meeting=meeting, student__isnull=False).values_list(
            "student_id", flat=True
        )
    )
    flags_qs = student_flags_qs(meeting.school_id)
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
        flags_qs.only(
            "pk",
            "student_id",
            "kind",
            "recommended_tier",
            "domain",
            "created_at",
            "context_plan_id",
        )
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
    position = next_position(meeting)
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
            added_by_id=actor_id(actor),
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
    put_flags_on_agenda([link.flag_id for link in flag_links], actor, audit)
    Concern.objects.filter(pk__in=[link.concern_id for link in concern_links]).update(
        status=Concern.Status.ON_AGENDA, updated_at=timezone.now()
    )
    Meeting.objects.filter(pk=meeting.pk).update(prepared_at=timezone.now())
    log_access(
        actor,
        AccessLog.Action.UPDATE,
        "meeting_agenda",
        meeting.pk,
        audit=audit,
        detail={"added_items": len(new_items)},
    )
    return new_items
