"""`manage.py demo_logins`: the demo URL and one line per role (username, password, what they see)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from students import demo
from students.models import Membership, User
from students.selectors import students_visible_to


class Command(BaseCommand):
    help = "Print the demo logins for each role and what each one sees."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[d.username for d in demo.DEMO_LOGINS])
        }
        self.stdout.write(f"\nOpen {options['url']}")
        if not users:
            self.stdout.write(
                "No demo accounts in this database. Load them with: "
                "python manage.py seed_demo --if-empty"
            )
            return
        places = {
            m.user_id: m.school.name if m.school else m.district.name
            for m in Membership.objects.filter(user__in=users.values()).select_related(
                "school", "district"
            )
        }
        self.stdout.write(
            f"Demo logins, password '{demo.DEMO_PASSWORD}' for all "
            "(demo data only: never use these accounts on a real server):"
        )
        width = max(len(name) for name in users)
        for login in demo.DEMO_LOGINS:
            user = users.get(login.username)
            if user is None:
                continue
            where = f" at {places[user.pk]}" if user.pk in places else ""
            visible = students_visible_to(user).count()
            self.stdout.write(
                f"  {login.username:<{width}}  {login.role}{where}: "
                f"sees {login.sees} ({visible:,} students)"
            )
        self.stdout.write("")
