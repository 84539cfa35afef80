"""Issue 15's measurement: recorded team decisions judged "against the rules" and the equity
pipeline's "Rules overridden" step, before (the flag-only rule) and after (the right rule:
the plan's analysis, the fidelity gate, else the flags), on the database DATABASE_URL names.

    DATABASE_URL=postgres://... .venv/bin/python manage.py seed_demo --students 3000 --seed 21
    DATABASE_URL=postgres://... .venv/bin/python manage.py apply_rules
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/judgement_report.py

Nothing is kept: both judgements are stored in a transaction that is rolled back, and the
dashboards read the district-wide step (all schools, the default window) under each.
"""

from __future__ import annotations

import os
import sys

from benchkit import setup_django


def _overridden_step() -> tuple[int, int]:
    from django.utils import timezone

    from dashboards.analysis.pipeline import equity_step
    from dashboards.analysis.steps import STEP_BY_KEY
    from dashboards.filters import resolve
    from dashboards.plan_figures import pipeline
    from students.models import Membership

    admin = Membership.objects.filter(role="district_admin").select_related("user").first().user
    resolved = resolve(admin, {}, today=timezone.localdate())
    frame, _ = pipeline(resolved.filters)
    total, _ = equity_step(frame, STEP_BY_KEY["overridden"])
    return total.n, total.x


def main() -> int:
    setup_django(os.environ["DATABASE_URL"])
    from django.db import transaction

    from meetings.models import Decision
    from meetings.rejudge import decision_rejudge_all

    class Rollback(Exception):
        pass

    report: dict[str, object] = {}
    try:
        with transaction.atomic():
            results = decision_rejudge_all()
            by_id = {r.decision_id: r for r in results}
            n = len(results)
            report["decisions"] = n
            report["stored_as_recorded_by_the_demo"] = None
            # Before: what the flag-only rule (the earlier meeting_record_decision) says.
            rows = list(Decision.objects.all())
            for d in rows:
                old = by_id[d.pk].flag_rule
                d.follows_rule = old
                d.is_override = old is False and bool(d.rationale.strip())
            Decision.objects.bulk_update(rows, ["follows_rule", "is_override"])
            report["against_before"] = sum(1 for r in results if r.flag_rule is False)
            report["equity_before"] = _overridden_step()
            # After: the right rule.
            decision_rejudge_all()
            report["against_after"] = sum(1 for r in results if r.verdict.follows is False)
            report["equity_after"] = _overridden_step()
            bases: dict[str, int] = {}
            for r in results:
                bases[r.verdict.basis] = bases.get(r.verdict.basis, 0) + 1
            report["judged_against"] = bases
            report["rows"] = [
                f"  decision {d.pk} {d.type}: before {by_id[d.pk].flag_rule}, after "
                f"{by_id[d.pk].verdict.follows} ({by_id[d.pk].verdict.basis}: "
                f"{by_id[d.pk].verdict.recommendation})"
                for d in rows
            ]
            raise Rollback
    except Rollback:
        pass
    for line in report["rows"]:
        print(line)
    n = report["decisions"] or 1
    print(f"recorded decisions: {report['decisions']}")
    b, a = report["against_before"], report["against_after"]
    print(f"against the rules before (flag-only rule): {b} ({b / n:.1%})")
    print(f"against the rules after (right rule): {a} ({a / n:.1%})")
    print(f"judged against (after): {report['judged_against']}")
    (nb, xb), (na, xa) = report["equity_before"], report["equity_after"]
    print(f"equity 'Rules overridden' before: N={nb} X={xb} ({xb / max(nb, 1):.1%})")
    print(f"equity 'Rules overridden' after:  N={na} X={xa} ({xa / max(na, 1):.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
