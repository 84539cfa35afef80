"""Give the demo district two earlier school years (dashboards.demo), for the three-year
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
        current = SchoolYear.objects.filter(is_current=True).order_by("pk").first()
        if current is None:
            raise CommandError("No current school year: run seed_demo first.")
        created = add_past_years(current, years=years)
        names = ", ".join(y.name for y in created) or "none (they exist already)"
        self.stdout.write(f"Earlier school years added: {names}.")
