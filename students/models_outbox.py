"""The outbox: follow-up work recorded in PostgreSQL with the change that causes it.

Imported by students/models.py (Django discovers models through the app's models module).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["OutboxEvent"]


class OutboxEvent(models.Model):
    """Something that happened, for the apps that subscribed to it (students/outbox.py).

    Written in the same transaction as the change, so a rolled-back change announces nothing
    and a committed one is never lost; delivered after commit, or by the periodic dispatch
    once the broker is back.
    """

    name = models.CharField(max_length=100, help_text=_('For example "screening.scores_saved".'))
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(dispatched_at__isnull=True), name="outbox_pending"
            )
        ]

    def __str__(self) -> str:
        state = "delivered" if self.dispatched_at else "pending"
        return f"{self.name} #{self.pk} ({state})"
