"""API tokens for integrations (`Authorization: Token ...`).

A token is 32 random bytes, shown once when it is made; the database keeps its SHA-256 (a
random key needs no slow hash: there is nothing to guess) and its first 8 characters, so
a stolen copy of the database holds no usable token. A token expires after
API_TOKEN_EXPIRY_DAYS, may be read-only (refused with 403 on anything but GET, HEAD and
OPTIONS), and dies when its user's password changes: it remembers a fingerprint of the
password hash it was made under.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS

from students.models import ApiToken, User

PREFIX_LENGTH = 8


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    # A digest of the stored (already salted) password hash: changes whenever it does.
    return hashlib.sha256(user.password.encode()).hexdigest()


@transaction.atomic
def token_issue(
    *, user: User, rotate: bool = False, read_only: bool = False, days: int | None = None
) -> str:
    """Make a token for the user and return its key (the only time it is seen).

    `rotate` ends the user's other tokens; `days` overrides API_TOKEN_EXPIRY_DAYS.
    """
    if rotate:
        ApiToken.objects.filter(user=user).delete()
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        prefix=key[:PREFIX_LENGTH],
        digest=token_digest(key),
        read_only=read_only,
        password_fingerprint=password_fingerprint(user),
        expires_at=timezone.now()
        + dt.timedelta(days=days if days is not None else settings.API_TOKEN_EXPIRY_DAYS),
    )
    return key


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's `Token` header scheme, looked up by digest, with expiry, scope and revocation."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and result[1].read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This token is read-only."))
        return result

    def authenticate_credentials(self, key: str):
        try:
            token = ApiToken.objects.select_related("user").get(digest=token_digest(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user = token.user
        if not hmac.compare_digest(token.password_fingerprint, password_fingerprint(user)):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("Invalid token: the password of its account has changed.")
            )
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired; ask for a new one."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, token)
