"""API tokens for integrations (`Authorization: Token ...`)."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from students.models import User


@transaction.atomic
def token_issue(*, user: User, rotate: bool = False) -> str:
    """The user's API token, created if missing; `rotate` replaces an existing one."""
    if rotate:
        Token.objects.filter(user=user).delete()
    token, _ = Token.objects.get_or_create(user=user)
    return token.key
