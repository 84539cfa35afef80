"""python manage.py create_api_token USERNAME [--read-only] [--days N] [--rotate]."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from students.models import User
from students.tokens import token_issue


class Command(BaseCommand):
    help = (
        "Make a new API token for a user and print its key, for `Authorization: Token <key>`. "
        "The key is shown only this once; only its hash is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="The token may read (GET) but is refused on every change.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until the token expires (default: API_TOKEN_EXPIRY_DAYS).",
        )
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="End the user's other tokens at once.",
        )

    def handle(
        self,
        *args: Any,
        username: str,
        read_only: bool,
        days: int | None,
        rotate: bool,
        **options: Any,
    ) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The account {username!r} is deactivated; reactivate it first.")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        # Only the key on stdout, so scripts can capture it.
        self.stdout.write(token_issue(user=user, rotate=rotate, read_only=read_only, days=days))
