"""Decision-rule demo step: run the sweep over the demo district so the demo has flags.

Called by `seed_demo` after the screening step (students.slots.DEMO_LOADERS order), inside its
transaction. The date judged is today, kept inside the demo school year (so a demo loaded
before or after that year still shows its flags).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from decisions.models import RuleRun
from decisions.sweep import sweep


def seed(ctx: Any) -> None:
    today = timezone.localdate()
    as_of = min(max(today, ctx.year.start_date), ctx.year.end_date)
    sweep(district_id=ctx.district.pk, as_of=as_of, triggered_by=RuleRun.Trigger.DEMO)
