"""Whether a student meets an intervention's entry criteria, from their latest screening."""

from __future__ import annotations

from interventions.criteria import EntryCheck, entry_check
from interventions.models import Intervention
from interventions.services.checks import _domain_label
from students.models import Student


def latest_domain_risk(*, student: Student, domain: str) -> str | None:
    """The most intensive risk among the student's scores of the latest screening window
    that has a classified score in the domain (domain.md: tier recommendation per domain)."""
    from screening.models import ScreeningScore

    rows = list(
        ScreeningScore.objects.filter(
            student=student, measure__domain=domain, risk_level__isnull=False
        )
        .order_by("-window__start_date", "-window_id")
        .values_list("window_id", "risk_level")[:20]
    )
    if not rows:
        return None
    latest = rows[0][0]
    order = {"at_or_above": 0, "some_risk": 1, "high_risk": 2}
    return max((r for w, r in rows if w == latest), key=lambda r: order.get(r, -1))


def plan_entry_check(
    *, student: Student, intervention: Intervention, domain: str | None = None
) -> EntryCheck:
    """Whether the student meets the intervention's entry criteria (shown before starting)."""
    domain = domain or intervention.domain
    return entry_check(
        intervention.entry_criteria or {},
        grade=student.grade,
        risk_level=latest_domain_risk(student=student, domain=domain),
        domain_label=_domain_label(domain),
    )
