"""Every student's tier history per domain."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from interventions.models.plans import InterventionPlan
from mtss.lib.vocabulary import Domain, Tier


class TierPlacement(models.Model):
    """A student's tier in one domain from `start_date` until `end_date` (open: current).

    Written by the plan services (start, close) and by `tier_place` for team decisions that
    start no plan. `decision_note` says why; the meetings app links its Decision later.
    """

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="tier_placements"
    )
    domain = models.CharField(max_length=20, choices=Domain.choices)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    plan = models.ForeignKey(
        InterventionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["student", "domain", "-start_date", "-id"]
        indexes = [models.Index(fields=["student", "domain", "start_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "domain"],
                condition=Q(end_date__isnull=True),
                name="tier_placement_one_open",
            ),
            models.CheckConstraint(condition=Q(tier__in=[1, 2, 3]), name="tier_placement_tier"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="tier_placement_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"Tier {self.tier} {self.domain} from {self.start_date}"
