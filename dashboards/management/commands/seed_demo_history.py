"""Give the demo district (each one of them) two earlier school years (dashboards.demo), for the three-year
views: `python manage.py seed_demo_history` after `seed_demo`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dashboards.demo import add_past_years
from students.models import SchoolYear


class Command(BaseCommand):
    help = "Copy the demo's current school year into earlier years for the three-year views."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=2)

    def handle(self, *args, years: int, **options):
        # Every district's current year: a multi-district demo (seed_demo --districts N)
        # gets its history in each district.
        currents = list(SchoolYear.objects.filter(is_current=True).order_by("pk"))
        if not currents:
            raise CommandError("No current school year: run seed_demo first.")
        created = [y for current in currents for y in add_past_years(current, years=years)]
        names = ", ".join(dict.fromkeys(y.name for y in created)) or "none (they exist already)"
        self.stdout.write(f"Earlier school years added: {names}.")
