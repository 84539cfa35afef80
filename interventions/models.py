"""Intervention catalog and plans.

Only the parts other apps already rely on (the scoping function needs an interventionist's
caseload); the interventions issue grows this module.
"""

from django.conf import settings
from django.db import models

from mtss.lib.vocabulary import Domain, Tier


class Intervention(models.Model):
    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=20, choices=Domain.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InterventionPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        DISCONTINUED = "discontinued", "Discontinued"

    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="plans")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="plans")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    interventionist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload_plans",
        null=True,
        blank=True,
    )
    start_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        indexes = [models.Index(fields=["interventionist", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=[2, 3]), name="plan_tier_2_or_3")
        ]
