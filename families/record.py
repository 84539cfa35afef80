"""The documentation a referral carries (34 CFR 300.311(a)(7)): when response to
intervention is part of a learning-disability evaluation, the evaluation report must document
the instructional strategies used and the student-centered data collected, and that the
parents were informed of the data collected, of strategies to increase the rate of learning,
and of their right to request an evaluation.

`assemble(referral, today=)` reads everything in a fixed number of queries and returns plain
JSON: the interventions given (with planned and delivered dosage and fidelity), the progress
data with the rules and cut-score versions in force, the flags the rules raised (with the
rule-set and cut-score versions that produced them), the team's decisions, and the dates the
parents were informed. Sign-off stores it on the referral, where it no longer changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from decisions.models import Flag, RuleSet
from families.models import EvaluationReferral, FamilyLetter
from interventions.models import FidelityObservation, InterventionPlan
from interventions.selectors import PLAN_RELATED, plan_views
from meetings.models import Decision
from screening.models import CutScoreSet

SCHEMA = "34 CFR 300.311(a)(7) record, version 1"


def _iso(day: dt.date | dt.datetime | None) -> str | None:
    return day.isoformat() if day is not None else None


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None


def _plans(student_id: int, today: dt.date) -> list[dict[str, Any]]:
    plans = list(
        InterventionPlan.objects.filter(student_id=student_id)
        .select_related(*PLAN_RELATED)
        .order_by("start_date", "id")
    )
    views = plan_views(plans, as_of=today)
    observations: dict[int, list[float]] = defaultdict(list)
    for plan_id, pct in FidelityObservation.objects.filter(
        plan_id__in=[p.pk for p in plans]
    ).values_list("plan_id", "percentage"):
        observations[plan_id].append(float(pct))
    measure_ids = {p.measure_id for p in plans if p.measure_id}
    cut_versions = {
        m: v
        for m, v in CutScoreSet.objects.filter(measure_id__in=measure_ids, is_active=True)
        .order_by("measure_id", "district_id")
        .values_list("measure_id", "version")
    }
    out = []
    for plan in plans:
        view = views[plan.pk]
        delivered = [s for s in view.sessions if s.attended]
        analysis = view.analysis
        observed = observations.get(plan.pk, [])
        out.append(
            {
                "plan_id": plan.pk,
                "intervention": plan.intervention.name,
                "evidence_level": plan.intervention.get_evidence_level_display()
                if hasattr(plan.intervention, "get_evidence_level_display")
                else "",
                "tier": plan.tier,
                "domain": plan.get_domain_display(),
                "interventionist": plan.interventionist.display_name()
                if plan.interventionist
                else "",
                "start_date": _iso(plan.start_date),
                "end_date": _iso(plan.end_date),
                "status": plan.get_status_display(),
                "exit_reason": plan.exit_reason,
                "dosage_planned": {
                    "sessions_per_week": plan.sessions_per_week,
                    "minutes_per_session": plan.minutes_per_session,
                    "weeks": plan.planned_weeks,
                },
                "dosage_delivered": {
                    "sessions_logged": len(view.sessions),
                    "sessions_attended": len(delivered),
                    "minutes": sum(s.minutes for s in delivered),
                },
                "fidelity": {
                    "sessions_delivered_share": _num(analysis.fidelity) if analysis else None,
                    "observations": len(observed),
                    "observed_average_percent": round(sum(observed) / len(observed), 1)
                    if observed
                    else None,
                },
                "phases": [
                    {
                        "number": ph.number,
                        "start_date": _iso(ph.start_date),
                        "intervention": ph.intervention.name,
                        "goal": _num(ph.goal),
                        "goal_date": _iso(ph.goal_date),
                        "reason": ph.reason,
                    }
                    for ph in view.phases
                ],
                "progress": {
                    "measure": plan.measure.name if plan.measure else "",
                    "cut_score_version_in_force": cut_versions.get(plan.measure_id),
                    "benchmark": view.benchmark,
                    "baseline": _num(plan.baseline),
                    "goal": _num(plan.goal),
                    "goal_date": _iso(plan.goal_date),
                    "points": [
                        {"date": _iso(p.date), "score": float(p.score)} for p in view.points
                    ],
                    "trend_per_week": analysis.trend_slope if analysis else None,
                    "aim_per_week": analysis.aim_slope if analysis else None,
                    "recommendation": analysis.recommendation if analysis else None,
                    "rule": analysis.rule if analysis else None,
                },
            }
        )
    return out


def _flags(student_id: int) -> list[dict[str, Any]]:
    rows = (
        Flag.objects.filter(student_id=student_id)
        .select_related("rule_set", "measure")
        .order_by("created_at", "id")
    )
    out = []
    for f in rows:
        scores = (f.evidence or {}).get("scores") or []
        out.append(
            {
                "date": _iso(timezone.localdate(f.created_at)),
                "kind": f.get_kind_display(),
                "domain": f.get_domain_display(),
                "recommended_tier": f.recommended_tier,
                "rule": f.rule,
                "rule_set_version": f.rule_set.version,
                "status": f.get_status_display(),
                "scores": [
                    {
                        "measure": s.get("measure_name"),
                        "score": s.get("score"),
                        "benchmark": s.get("benchmark"),
                        "cut_score_version": s.get("cut_score_version"),
                    }
                    for s in scores
                    if isinstance(s, dict)
                ],
            }
        )
    return out


def _decisions(student_id: int) -> list[dict[str, Any]]:
    return [
        {
            "date": _iso(timezone.localdate(d.meeting.scheduled_at)),
            "meeting": d.meeting.title,
            "decision": d.get_type_display(),
            "rationale": d.rationale,
            "rules_recommended": d.recommendation,
            "against_the_rules": d.is_override,
        }
        for d in Decision.objects.filter(student_id=student_id)
        .select_related("meeting", "meeting__window")
        .order_by("created_at", "id")
    ]


def _parents_informed(referral: EvaluationReferral) -> list[dict[str, Any]]:
    informed = [
        {
            "date": _iso(timezone.localdate(letter.sent_at)),
            "what": letter.get_kind_display(),
            "how": letter.get_sent_via_display(),
            "language": letter.language,
        }
        for letter in FamilyLetter.objects.filter(
            student_id=referral.student_id, status=FamilyLetter.Status.SENT
        ).order_by("sent_at", "id")
    ]
    if referral.consent_requested_on:
        informed.append(
            {
                "date": _iso(referral.consent_requested_on),
                "what": "Consent to evaluate requested (with the notice of procedural safeguards)",
                "how": "",
                "language": "",
            }
        )
    return sorted(informed, key=lambda row: row["date"] or "")


def assemble(referral: EvaluationReferral, *, today: dt.date) -> dict[str, Any]:
    student = referral.student
    rule_set = (
        RuleSet.objects.filter(district_id=student.district_id, is_active=True)
        .values_list("version", flat=True)
        .first()
    )
    return {
        "schema": SCHEMA,
        "assembled_on": today.isoformat(),
        "student": {
            "name": f"{student.first_name} {student.last_name}",
            "student_id": student.local_id,
            "grade": student.grade_label,
            "school": student.school.name,
        },
        "referral": {
            "kind": referral.get_kind_display(),
            "referred_on": _iso(referral.referred_on),
            "consent_requested_on": _iso(referral.consent_requested_on),
            "consent_given_on": _iso(referral.consent_given_on),
            "consent_refused_on": _iso(referral.consent_refused_on),
            "timeline_days": referral.timeline_days,
            "outcome": referral.get_outcome_display(),
            "outcome_on": _iso(referral.outcome_on),
        },
        "rule_set_version_in_force": rule_set,
        "interventions": _plans(student.pk, today),
        "flags": _flags(student.pk),
        "team_decisions": _decisions(student.pk),
        "parents_informed": _parents_informed(referral),
    }
