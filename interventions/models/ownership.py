"""Student ownership: the student's own goal and self-ratings on a plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from interventions.models.plans import InterventionPlan


class StudentGoalStatement(models.Model):
    """The student's own goal, in their words (student ownership)."""

    plan = models.ForeignKey(
        InterventionPlan, on_delete=models.CASCADE, related_name="goal_statements"
    )
    date = models.DateField()
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written by the student on their own page (ownership/), not typed by staff for them.
    by_student = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-date", "-id"]


class SelfRating(models.Model):
    """The student's own rating of how it is going, 1 (not well) to 5 (very well)."""

    plan = models.ForeignKey(
        InterventionPlan, on_delete=models.CASCADE, related_name="self_ratings"
    )
    date = models.DateField()
    rating = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written by the student on their own page (ownership/), not typed by staff for them.
    by_student = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="self_rating_1_to_5"
            )
        ]
