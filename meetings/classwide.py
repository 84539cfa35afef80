"""Deciding a classwide problem in a meeting (docs/meetings.md "Classwide items").

A classwide flag recommends a classwide intervention (VanDerHeyden, Witt & Gilbertson 2007):
starting one follows the rule; continuing core instruction as it is goes against it and
always needs the team's reason. Starting one creates a decisions.ClasswidePlan, whose
activity holds the class's individual Tier 2 screening flags (decisions.classwide_plans)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from decisions import services as flag_services
from decisions.classwide_plans import classwide_plan_start
from decisions.models import Flag, FlagKind
from meetings.models import AgendaItem, ClasswideDecision, ClasswideDecisionType, Meeting
from meetings.services.audit import actor_id, log_access
from meetings.services.guards import require_open, require_team
from students.audit import AuditContext
from students.idempotency import idempotency_claim, idempotency_settle, replayed
from students.models import AccessLog, User

SCOPE = "meeting_classwide_decision"
RECOMMENDATION = "a classwide intervention (class median below benchmark)"
CONTINUE_CORE_RATIONALE = (
    "Say why the class continues core instruction as it is: the rules recommend a classwide "
    "intervention."
)
HELP = {
    ClasswideDecisionType.START_CLASSWIDE: (
        "A class-level plan: the class median is checked every week and the plan ends after "
        "three checks in a row at or above the benchmark. The class's Tier 2 flags wait for it."
    ),
    ClasswideDecisionType.CONTINUE_CORE: (
        "No class-level plan. Goes against the rules' recommendation; say why."
    ),
}


@dataclass(frozen=True)
class ClasswideVerdict:
    follows: bool | None
    recommendation: str


def judge_classwide(decision_type: str, *, live_flags: int) -> ClasswideVerdict:
    """Pure: a live classwide flag recommends a classwide intervention; with none left (the
    sweep resolved it) there is no recommendation and the verdict is None."""
    if live_flags == 0:
        return ClasswideVerdict(follows=None, recommendation="")
    return ClasswideVerdict(
        follows=decision_type == ClasswideDecisionType.START_CLASSWIDE,
        recommendation=RECOMMENDATION,
    )


@transaction.atomic
def meeting_record_classwide_decision(
    *,
    meeting: Meeting,
    item: AgendaItem,
    type: str,
    actor: User | None,
    rationale: str = "",
    start_date: dt.date | None = None,
    audit: AuditContext | None = None,
    idempotency_key: str = "",
) -> ClasswideDecision:
    """Record the team's decision on a classwide agenda item, all or nothing: the decision,
    for start_classwide the class-level plan, and the answered classwide flags accepted. The
    same `idempotency_key` sent again (a double submit) records nothing and returns the first
    decision."""
    prior = idempotency_claim(key=idempotency_key, scope=SCOPE, actor=actor)
    if prior is not None:
        return replayed(ClasswideDecision.objects.get(pk=prior))
    if item.meeting_id != meeting.pk:
        raise ValidationError({"item": [gettext("This item belongs to another meeting.")]})
    if item.kind != AgendaItem.Kind.CLASSWIDE or item.section_id is None:
        raise ValidationError({"item": [gettext("This agenda item is not a classwide problem.")]})
    require_team(actor, meeting.school_id)
    require_open(meeting)
    if type not in ClasswideDecisionType.values:
        raise ValidationError({"type": [gettext("Choose one of the decisions offered.")]})
    rationale = (rationale or "").strip()
    if len(rationale) > 5000:
        raise ValidationError(
            {"rationale": [gettext("Keep the rationale under 5,000 characters.")]}
        )
    flags = list(
        Flag.objects.select_for_update()
        .filter(pk__in=item.flags.values("pk"), kind=FlagKind.CLASSWIDE)
        .order_by("pk")
    )
    live = [f for f in flags if f.is_live]
    verdict = judge_classwide(type, live_flags=len(live))
    if type == ClasswideDecisionType.CONTINUE_CORE and not rationale:
        raise ValidationError({"rationale": [CONTINUE_CORE_RATIONALE]})
    plan = None
    if type == ClasswideDecisionType.START_CLASSWIDE:
        source = live[0] if live else (flags[0] if flags else None)
        if source is None:
            raise ValidationError(
                {"type": [gettext("This item has no classwide flag to plan from.")]}
            )
        plan = classwide_plan_start(
            flag=source,
            actor=actor,
            start_date=start_date or timezone.localtime(meeting.scheduled_at).date(),
            audit=audit,
        )
    decision = ClasswideDecision.objects.create(
        meeting=meeting,
        item=item,
        section_id=item.section_id,
        type=type,
        plan=plan,
        rationale=rationale,
        follows_rule=verdict.follows,
        is_override=verdict.follows is False,
        recommendation=verdict.recommendation,
        recorded_by_id=actor_id(actor),
    )
    decision.flags.set(flags)
    for f in live:
        flag_services.flag_accept(flag=f, actor=actor, audit=audit)
    AgendaItem.objects.filter(pk=item.pk).update(
        status=AgendaItem.Status.DISCUSSED, updated_at=timezone.now()
    )
    log_access(
        actor,
        AccessLog.Action.CREATE,
        "meeting_classwide_decision",
        decision.pk,
        audit=audit,
        detail={
            "type": type,
            "plan": plan.pk if plan else None,
            "against_rule": verdict.follows is False,
        },
    )
    idempotency_settle(key=idempotency_key, scope=SCOPE, result_id=decision.pk)
    return decision
