"""Judging recorded decisions again with the right rule (meetings.alignment.judge), for
decisions recorded before the judgement was wired in, or by code that bypassed it.

Each decision is judged as it would have been on its meeting's day: the plan's analysis is
computed as of that day (only the points and sessions logged by then count), and the flags
it answered are its recorded flags, else the student's flags of the decision's domain that
are live or were accepted. The old
verdict (`flag_rule`) is what the earlier code recorded: the flags' recommendation alone.

`decision_rejudge_all` writes the new judgement (follows_rule, judged_*; `is_override` only
where the team gave a rationale: the database requires one, and a verdict found afterwards
is still "against the rules" in `follows_rule`). docs/meetings.md, "Judging again".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from decisions.models import Flag
from interventions.analysis.judgement import ESCALATIONS, PlanEvidence
from interventions.models import InterventionPlan
from interventions.selectors import PLAN_RELATED
from interventions.selectors.plan_analysis import plan_views
from meetings import alignment
from meetings.models import Decision


@dataclass(frozen=True)
class Rejudged:
    decision_id: int
    flag_rule: bool | None  # the earlier verdict: the answered flags' recommendation alone
    verdict: alignment.Verdict


def _evidence(plan: InterventionPlan, day) -> tuple[PlanEvidence, float]:
    view = plan_views([plan], as_of=day)[plan.pk]
    a = view.analysis
    return (
        PlanEvidence(
            plan_id=plan.pk,
            recommendation=a.recommendation if a else "",
            rule=a.rule if a else "",
            fidelity=a.fidelity if a else None,
            dual_discrepancy=bool(a and a.dual_discrepancy),
            points=a.points if a else 0,
        ),
        float(view.thresholds.fidelity_minimum),
    )


def rejudge(decisions: list[Decision]) -> list[Rejudged]:
    """The earlier and the new verdict of each decision (reads only)."""
    student_ids = {d.student_id for d in decisions}
    flags_by_student: dict[int, list[Flag]] = defaultdict(list)
    for f in Flag.objects.filter(student_id__in=student_ids).exclude(kind="classwide"):
        flags_by_student[f.student_id].append(f)
    plans_by_student: dict[int, list[InterventionPlan]] = defaultdict(list)
    for p in InterventionPlan.objects.filter(student_id__in=student_ids).select_related(
        *PLAN_RELATED
    ):
        plans_by_student[p.student_id].append(p)
    result = []
    for d in decisions:
        day = timezone.localtime(d.meeting.scheduled_at).date()
        answered = list(d.flags.all())
        if not answered:
            # What the meeting would have answered: the student's flags of the domain that are
            # live or were accepted (dates are not read: a demo or an imported district
            # writes its flags after the meetings they stand for).
            answered = [
                f
                for f in flags_by_student[d.student_id]
                if (not d.domain or f.domain == d.domain)
                and f.status in ("open", "on_agenda", "accepted")
            ]
        recs = [
            alignment.Recommendation(
                kind=f.kind,
                recommended_tier=f.recommended_tier,
                classwide_context=f.classwide_context,
            )
            for f in answered
        ]
        plan = None
        if d.type in ("continue", "modify_plan", "intensify", "fade", "exit"):
            plan = next((p for p in plans_by_student[d.student_id] if p.pk == d.plan_id), None)
        if plan is None and d.type in ESCALATIONS:
            live = [
                p
                for p in plans_by_student[d.student_id]
                if (not d.domain or p.domain == d.domain)
                and p.start_date <= day
                and (p.end_date is None or p.end_date >= day)
                and p.pk != d.plan_id
            ]
            live.sort(key=lambda p: (-p.tier, -p.start_date.toordinal(), -p.pk))
            plan = live[0] if live else None
        evidence, minimum = _evidence(plan, day) if plan is not None else (None, 0.0)
        verdict = alignment.judge(d.type, recs=recs, plan=evidence, fidelity_minimum=minimum)
        flag_rule = alignment.follows_rule(d.type, recs)
        result.append(Rejudged(decision_id=d.pk, flag_rule=flag_rule, verdict=verdict))
    return result


@transaction.atomic
def decision_rejudge_all(*, district_id: int | None = None) -> list[Rejudged]:
    """Judge every recorded decision (of a district) again and store the new judgement."""
    qs = Decision.objects.select_related("meeting").prefetch_related("flags").order_by("pk")
    if district_id is not None:
        qs = qs.filter(meeting__school__district_id=district_id)
    decisions = list(qs)
    results = rejudge(decisions)
    by_id = {d.pk: d for d in decisions}
    for r in results:
        d = by_id[r.decision_id]
        d.follows_rule = r.verdict.follows
        d.is_override = r.verdict.follows is False and bool(d.rationale.strip())
        d.recommendation = r.verdict.recommendation[:200]
        d.judged_basis = r.verdict.basis
        d.judged_rule = r.verdict.rule[:40]
        d.judged_evidence = {**r.verdict.evidence, "rejudged": True}
    Decision.objects.bulk_update(
        decisions,
        [
            "follows_rule",
            "is_override",
            "recommendation",
            "judged_basis",
            "judged_rule",
            "judged_evidence",
        ],
    )
    return results
