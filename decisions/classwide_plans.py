"""Classwide plans: what follows a classwide flag when the team starts a classwide
intervention (docs/rules.md "Classwide intervention").

The plan checks the class median every `check_every_days` (short-cycle monitoring) and ends
itself when the median is at or above the benchmark for `exit_checks` consecutive checks
(VanDerHeyden, Witt & Gilbertson 2007: the classwide intervention runs until the class
median reaches the criterion, then students are screened individually again). While it is
active, the Tier 2 screening flags of the section's students wait for its result: they are
not proposed on agendas (`held_flag_q`), and the sweep's next run after the plan ends decides
them again, because a held flag was never answered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from decisions.models import ClasswidePlan, Flag, FlagKind
from students.audit import AuditContext, audit_record
from students.models import AccessLog, Enrollment, User

OBJECT = "classwide_plan"
DEFAULT_CHECK_EVERY_DAYS = 7
DEFAULT_EXIT_CHECKS = 3


# --- the pure rule -----------------------------------------------------------------------


def at_or_above(median: float, benchmark: float, *, higher_is_better: bool = True) -> bool:
    """The class median meets the benchmark (lower-is-better measures the other way round)."""
    return median >= benchmark if higher_is_better else median <= benchmark


def exit_met(
    medians: Sequence[float],
    benchmark: float,
    *,
    needed: int,
    higher_is_better: bool = True,
) -> bool:
    """True when the last `needed` checks' class medians all meet the benchmark.

    Consecutive and the most recent ones: a single good week after a run of low ones does not
    end the plan, and an old run of good weeks followed by a low one does not either."""
    if needed < 1 or len(medians) < needed:
        return False
    return all(
        at_or_above(m, benchmark, higher_is_better=higher_is_better) for m in medians[-needed:]
    )


def class_median(scores: Sequence[float]) -> float | None:
    """The class median of one check (None with no score: an empty check is not a low one)."""
    values = np.asarray([float(s) for s in scores if s is not None], dtype=float)
    return float(np.median(values)) if values.size else None


# --- the holds ---------------------------------------------------------------------------


def held_flag_q() -> Q:
    """Flags waiting for a classwide plan: open Tier 2 screening flags of a student actively
    enrolled in a section with an active classwide plan in the flag's domain (one EXISTS
    per query, set-based)."""
    active = ClasswidePlan.objects.filter(
        status=ClasswidePlan.Status.ACTIVE,
        domain=OuterRef("domain"),
        section__enrollments__student_id=OuterRef("student_id"),
        section__enrollments__active=True,
    )
    return Q(kind=FlagKind.SCREENING_RISK, recommended_tier=2) & Q(Exists(active))


def without_held(flags: Any) -> Any:
    """A Flag queryset less the flags waiting for a classwide plan."""
    return flags.exclude(held_flag_q())


# --- the services ------------------------------------------------------------------------


@transaction.atomic
def classwide_plan_start(
    *,
    flag: Flag,
    actor: User | None,
    start_date: dt.date,
    check_every_days: int = DEFAULT_CHECK_EVERY_DAYS,
    exit_checks: int = DEFAULT_EXIT_CHECKS,
    audit: AuditContext | None = None,
) -> ClasswidePlan:
    """Start a classwide plan for the section and measure of a classwide flag."""
    if flag.kind != FlagKind.CLASSWIDE or flag.section_id is None or flag.measure_id is None:
        raise ValidationError({"flag": [gettext("Choose a classwide flag of a class.")]})
    benchmark = (flag.evidence or {}).get("benchmark")
    if benchmark is None:
        # A mixed-grade class was judged on each student's distance from their own cut.
        benchmarks = (flag.evidence or {}).get("benchmarks") or []
        benchmark = class_median(benchmarks)
    if benchmark is None:
        raise ValidationError({"flag": [gettext("This flag names no benchmark to aim for.")]})
    if not 1 <= check_every_days <= 14:
        raise ValidationError(
            {"check_every_days": [gettext("Check the class every 1 to 14 days.")]}
        )
    if not 1 <= exit_checks <= 10:
        raise ValidationError({"exit_checks": [gettext("Choose 1 to 10 checks at benchmark.")]})
    if ClasswidePlan.objects.filter(
        section_id=flag.section_id, domain=flag.domain, status=ClasswidePlan.Status.ACTIVE
    ).exists():
        raise ValidationError(
            {"flag": [gettext("This class already has an active classwide plan.")]}
        )
    plan = ClasswidePlan.objects.create(
        school_id=flag.school_id,
        section_id=flag.section_id,
        measure_id=flag.measure_id,
        domain=flag.domain,
        flag=flag,
        benchmark=float(benchmark),
        higher_is_better=bool((flag.evidence or {}).get("higher_is_better", True)),
        start_date=start_date,
        check_every_days=check_every_days,
        exit_checks=exit_checks,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=OBJECT,
        object_id=plan.pk,
        audit=audit,
        detail={"section": flag.section_id, "flag": flag.pk, "benchmark": plan.benchmark},
    )
    return plan


@transaction.atomic
def classwide_plan_record_check(
    *,
    plan: ClasswidePlan,
    date: dt.date,
    scores: Mapping[int, float],
    actor: User | None,
    audit: AuditContext | None = None,
) -> ClasswidePlan:
    """Record one short-cycle check: each student's score on the plan's measure (student id
    to score). Only students enrolled in the section count; the class median is stored, and
    the plan ends itself ("met") when the exit rule holds, which releases the held flags."""
    plan = ClasswidePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != ClasswidePlan.Status.ACTIVE:
        raise ValidationError({"plan": [gettext("This classwide plan has ended.")]})
    if date < plan.start_date:
        raise ValidationError({"date": [gettext("A check cannot come before the plan started.")]})
    if any(c["date"] >= date.isoformat() for c in plan.checks):
        raise ValidationError({"date": [gettext("Checks go in date order, one a day.")]})
    enrolled = set(
        Enrollment.objects.filter(
            section_id=plan.section_id, active=True, student_id__in=list(scores)
        ).values_list("student_id", flat=True)
    )
    strangers = sorted(set(scores) - enrolled)
    if strangers:
        raise ValidationError(
            {
                "scores": [
                    gettext("Not in this class: students %(strangers)s.") % {"strangers": strangers}
                ]
            }
        )
    median = class_median([scores[s] for s in enrolled])
    if median is None:
        raise ValidationError({"scores": [gettext("Enter at least one score.")]})
    plan.checks = [*plan.checks, {"date": date.isoformat(), "median": median, "n": len(enrolled)}]
    if exit_met(
        [c["median"] for c in plan.checks],
        plan.benchmark,
        needed=plan.exit_checks,
        higher_is_better=plan.higher_is_better,
    ):
        plan.status = ClasswidePlan.Status.MET
        plan.ended_on = date
    plan.save(update_fields=["checks", "status", "ended_on"])
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=OBJECT,
        object_id=plan.pk,
        audit=audit,
        detail={"check": plan.checks[-1], "status": plan.status},
    )
    return plan
