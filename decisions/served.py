"""Flags that know what is already being done for the student.

A screening or referral flag for a student who already has an active plan in the flag's
domain at the recommended tier or higher is not a new referral: the team is already acting
on it. Such a flag carries that plan in `context_plan`; it is shown on the plan, the
caseload and the meeting card, and left out of the new-flags queue (the flag list's "not yet
served" view and the agenda's proposals). When the plan is not responding (a live "change
the intervention" or dual-discrepancy flag on it), the served flag escalates the plan: the
agenda proposes it with the plan's item, most urgent first.

`covers` is the rule; `link_served_flags` applies it to every live flag of a sweep's scope
with one UPDATE (only rows whose plan changes are written, so a second sweep writes nothing);
`answer_flags_for_new_plan` is what a plan started outside a meeting does to the open flags
it covers.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from decisions.models import LIVE_STATUSES, Flag, FlagKind

# Flags about a student's need for support (a new referral when nobody serves it yet): the
# screening and referral rules, and the early-warning ones (a suspension flag for a student
# already on a Tier 3 behavior plan is that plan's business, not a new referral; attendance
# and course flags have no plan domain, so no plan covers them).
REFERRAL_KINDS = (
    FlagKind.SCREENING_RISK,
    FlagKind.ODR,
    FlagKind.OCTOBER_CATCH,
    FlagKind.SUSPENSION,
    FlagKind.CHRONIC_ABSENCE,
    FlagKind.COURSE_FAILURE,
)
# Progress flags that say a plan is not responding: a served flag escalates that plan.
NOT_RESPONDING_KINDS = (FlagKind.PROGRESS_CHANGE_INTERVENTION, FlagKind.DUAL_DISCREPANCY)


def covers(*, plan_tier: int, plan_domain: str, flag_tier: int, flag_domain: str) -> bool:
    """An active plan covers a flag of its domain recommending its tier or a lower one."""
    return plan_domain == flag_domain and plan_tier >= flag_tier


# The covering plan is looked up per flag (an index probe on the plan's student) rather than
# joined: right after a bulk load the tables have no statistics yet, PostgreSQL then expects
# one live flag and one plan, and the join it picked for that compared every flag with
# every plan (27 s for 10,000 students; this form takes well under a second at any size).
_LINK_SQL = """
WITH live AS MATERIALIZED (
    SELECT f.id, f.student_id, f.domain, f.recommended_tier, f.context_plan_id
    FROM decisions_flag f
    WHERE f.district_id = %(district_id)s AND f.school_year_id = %(year_id)s
      AND f.status IN ('open', 'on_agenda') AND f.kind = ANY(%(kinds)s)
      AND f.student_id IS NOT NULL {scope}
), wanted AS MATERIALIZED (
    SELECT live.id, live.context_plan_id AS old_plan_id, (
        SELECT p.id FROM interventions_interventionplan p
        WHERE p.student_id = live.student_id AND p.status = 'active'
          AND p.domain = live.domain AND p.tier >= live.recommended_tier
        ORDER BY p.tier DESC, p.start_date DESC, p.id DESC
        LIMIT 1
    ) AS plan_id
    FROM live
)
UPDATE decisions_flag f SET context_plan_id = wanted.plan_id
FROM wanted
WHERE f.id = wanted.id AND wanted.plan_id IS DISTINCT FROM wanted.old_plan_id
RETURNING (wanted.plan_id IS NOT NULL)
"""

_SCHOOL_SCOPE = (
    "AND f.student_id IN (SELECT id FROM students_student WHERE school_id = %(school_id)s)"
)


def link_served_flags(*, district_id: int, school_year_id: int, school_id: int | None) -> dict:
    """Set `context_plan` on the scope's live referral flags that an active plan covers and
    clear it where none does any more. Returns {"linked": n, "unlinked": m}."""
    sql = _LINK_SQL.format(scope=_SCHOOL_SCOPE if school_id is not None else "")
    params: dict[str, Any] = {
        "district_id": district_id,
        "year_id": school_year_id,
        "school_id": school_id,
        "kinds": [k.value for k in REFERRAL_KINDS],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        linked = [row[0] for row in cursor.fetchall()]
    return {"linked": sum(linked), "unlinked": len(linked) - sum(linked)}


def not_responding_plan_ids(plan_ids: list[int]) -> set[int]:
    """Plans among `plan_ids` with a live "change the intervention" or dual-discrepancy flag."""
    return set(
        Flag.objects.filter(
            plan_id__in=plan_ids, kind__in=NOT_RESPONDING_KINDS, status__in=LIVE_STATUSES
        ).values_list("plan_id", flat=True)
    )


def answer_flags_for_new_plan(*, plan: Any, actor: Any, audit: Any = None) -> dict:
    """A plan started outside a meeting (plan page, API) answers the student's open
    screening and referral flags of its domain that it covers: they close as accepted, with
    the plan as their context, and their audit row says the start followed the rule. A flag
    recommending a more intensive tier than the plan stays open for the team, and its audit
    row records that this start did not follow the rule's recommendation.

    Runs in the plan's transaction. No permission check: the plan service already checked
    who may start the plan, and the flags only record what happened.
    Returns {"answered": [flag ids], "below_recommendation": [flag ids]}."""
    from django.utils import timezone

    from decisions.models import FlagStatus
    from decisions.reconcile import basis_hash
    from students.audit import audit_record
    from students.models import AccessLog

    answered: list[int] = []
    below: list[int] = []
    flags = (
        Flag.objects.select_for_update()
        .filter(
            student_id=plan.student_id,
            domain=plan.domain,
            kind__in=REFERRAL_KINDS,
            status__in=LIVE_STATUSES,
        )
        .order_by("pk")
    )
    who = actor if actor is not None and actor.is_authenticated else None
    for flag in flags:
        follows = covers(
            plan_tier=plan.tier,
            plan_domain=plan.domain,
            flag_tier=flag.recommended_tier,
            flag_domain=flag.domain,
        )
        detail = {
            "plan_started": plan.pk,
            "plan_tier": plan.tier,
            "recommended_tier": flag.recommended_tier,
            "follows_rule": follows,
        }
        if follows and flag.status == FlagStatus.OPEN:
            flag.status = FlagStatus.ACCEPTED
            flag.basis_hash = basis_hash(flag.evidence)
            flag.decided_by = who
            flag.resolved_at = timezone.now()
            flag.context_plan = plan
            flag.save(
                update_fields=[
                    "status",
                    "basis_hash",
                    "decided_by",
                    "resolved_at",
                    "context_plan",
                    "updated_at",
                ]
            )
            detail["status"] = "accepted"
            answered.append(flag.pk)
        elif follows:
            # On a meeting's agenda: the team still discusses it, now as context on the plan.
            flag.context_plan = plan
            flag.save(update_fields=["context_plan", "updated_at"])
        else:
            below.append(flag.pk)
        audit_record(
            user=actor,
            action=AccessLog.Action.UPDATE,
            object_type="flag",
            object_id=flag.pk,
            student=flag.student_id,
            audit=audit,
            detail=detail,
        )
    return {"answered": answered, "below_recommendation": below}


def on_plan_started_outside_meeting(
    sender: Any, *, plan: Any, actor: Any, audit: Any = None, **_: Any
) -> None:
    answer_flags_for_new_plan(plan=plan, actor=actor, audit=audit)
