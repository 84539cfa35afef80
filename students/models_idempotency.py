"""Idempotency keys: one row per decision a form or an API client sent, so a second send of
the same form records nothing new (students/idempotency.py).

Imported by students/models.py (Django discovers models through the app's models module).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["IdempotencyKey"]


class IdempotencyKey(models.Model):
    """A key claimed by one write (`scope`, for example "meeting_decision"), in the write's
    own transaction. The unique constraint is what makes a double submit safe under a race:
    the second INSERT waits for the first transaction and then finds the key taken."""

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    result_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("The id of what the first request recorded.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_uniq"),
            models.CheckConstraint(condition=~Q(key=""), name="idempotency_key_set"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
