"""`manage.py rejudge_decisions [--district ID] [--apply]`: judge recorded team decisions again
with the right rule (meetings.rejudge) and print how many go against the rules under the
earlier flag-only rule and under the new judgement. Without --apply nothing is written."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meetings.models import Decision
from meetings.rejudge import decision_rejudge_all, rejudge


class Command(BaseCommand):
    help = "Judge recorded team decisions again against the rule that applies to each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", type=int, default=None)
        parser.add_argument("--apply", action="store_true", help="Store the new judgement.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["apply"]:
            results = decision_rejudge_all(district_id=options["district"])
        else:
            qs = Decision.objects.select_related("meeting").prefetch_related("flags")
            if options["district"] is not None:
                qs = qs.filter(meeting__school__district_id=options["district"])
            results = rejudge(list(qs.order_by("pk")))
        n = len(results)
        old_against = sum(1 for r in results if r.flag_rule is False)
        new_against = sum(1 for r in results if r.verdict.follows is False)
        bases = Counter(r.verdict.basis for r in results)
        share = (lambda k: f"{k}/{n} ({k / n:.0%})") if n else (lambda k: "0/0")
        self.stdout.write(f"decisions: {n}")
        self.stdout.write(f"against the rules, flags only (earlier rule): {share(old_against)}")
        self.stdout.write(f"against the rules, judged by the right rule: {share(new_against)}")
        self.stdout.write(
            "judged against: " + ", ".join(f"{k} {v}" for k, v in sorted(bases.items()))
        )
        if options["apply"]:
            self.stdout.write("stored.")
