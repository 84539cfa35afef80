"""python manage.py create_api_token USERNAME [--rotate]: print the user's API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from students.models import User
from students.tokens import token_issue


class Command(BaseCommand):
    help = (
        "Print the API token of a user (created when missing) for "
        "`Authorization: Token <key>`. --rotate replaces an existing token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the user's token; the old one stops working at once.",
        )

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The account {username!r} is deactivated; reactivate it first.")
        # Only the key on stdout, so scripts can capture it.
        self.stdout.write(token_issue(user=user, rotate=rotate))
