"""`manage.py apply_rules`: run the decision-rule sweep now, in this process, and print what
it changed. The same function as the Celery tasks (decisions.sweep.sweep)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions.models import RuleRun
from decisions.reconcile import ACTIONS
from decisions.sweep import sweep
from students.models import District, School


def _one(model: type, value: str, what: str, **filters: Any) -> Any:
    """A row by id or by exact name (case-insensitive)."""
    qs = model.objects.filter(**filters)
    found = list(qs.filter(pk=int(value))) if value.isdigit() else []
    if not found:
        found = list(qs.filter(name__iexact=value))
    if not found:
        raise CommandError(f"No {what} with the id or name {value!r}.")
    if len(found) > 1:
        raise CommandError(f"Several {what}s are named {value!r}; give the id instead.")
    return found[0]


class Command(BaseCommand):
    help = (
        "Apply the decision rules to a district (or one school) now and print the flags "
        "created, updated, resolved and unchanged per kind. Without --district: every district."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", help="District id or name.")
        parser.add_argument("--school", help="School id or name (within --district if given).")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="Judge the data as of this date, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        district = school = None
        if options["district"]:
            district = _one(District, options["district"], "district")
        if options["school"]:
            filters = {"district": district} if district else {}
            school = _one(School, options["school"], "school", **filters)
            district = school.district
        districts = [district] if district else list(District.objects.order_by("pk"))
        if not districts:
            raise CommandError("There is no district yet: import a roster or run seed_demo.")
        failed = False
        for d in districts:
            where = f"{d.name}" + (f" / {school.name}" if school else "")
            try:
                run = sweep(
                    district_id=d.pk,
                    school_id=school.pk if school else None,
                    as_of=options["as_of"],
                    triggered_by=RuleRun.Trigger.MANUAL,
                )
            except Exception as exc:  # report and go on with the next district
                failed = True
                self.stderr.write(f"{where}: the sweep failed: {exc}")
                continue
            self._report(where, run)
        if failed:
            raise CommandError("At least one sweep failed; see the rule runs in the admin.")

    def _report(self, where: str, run: RuleRun) -> None:
        seconds = run.duration_seconds or 0.0
        self.stdout.write(
            f"{where}: rule run #{run.pk} {run.get_status_display().lower()} in {seconds:.2f} s "
            f"(as of {run.as_of}, rules v{run.rule_set.version if run.rule_set else '-'})"
        )
        if run.error:
            self.stdout.write(f"  {run.error}")
        if not run.counts:
            self.stdout.write("  nothing to judge")
            return
        kinds = sorted(k for k in run.counts if k != "served")
        width = max(len(k) for k in [*kinds, "total"])
        self.stdout.write("  " + "kind".ljust(width) + "".join(a.rjust(11) for a in ACTIONS))
        for kind in kinds:
            row = run.counts[kind]
            self.stdout.write(
                "  " + kind.ljust(width) + "".join(str(row.get(a, 0)).rjust(11) for a in ACTIONS)
            )
        totals = [run.total(a) for a in ACTIONS]
        self.stdout.write("  " + "total".ljust(width) + "".join(str(t).rjust(11) for t in totals))
        served = run.counts.get("served")
        if served:
            self.stdout.write(
                f"  flags now context on a plan already serving the student: {served['linked']}"
                f", no longer covered: {served['unlinked']}"
            )
