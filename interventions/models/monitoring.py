"""What is recorded against a plan: progress scores and their stored figures, sessions, fidelity."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interventions.models.fields import _score_field
from interventions.models.plans import InterventionGroup, InterventionPlan


class ProgressScore(models.Model):
    """One progress-monitoring score of a plan (one per day)."""

    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="scores")
    date = models.DateField()
    score = _score_field()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (students/versioning.py): a correction names the version it edited.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="progress_score_day_uniq"),
            models.CheckConstraint(condition=Q(version__gte=1), name="progress_score_version"),
        ]


class PlanProgress(models.Model):
    """A plan's progress figures (trend, aim, fidelity, trailing points at goal), worked out by
    interventions.progress_summary and stored so district dashboards read ~30,000 plans
    without re-reading their points and sessions. Refreshed by the services in the same
    transaction as every change to a plan's points, sessions, phase or goal, and nightly for
    every plan (a change made around the services is caught up then)."""

    plan = models.OneToOneField(
        InterventionPlan, on_delete=models.CASCADE, primary_key=True, related_name="progress"
    )
    as_of = models.DateField(help_text=_("Points and sessions up to this day were counted."))
    points = models.PositiveIntegerField()
    latest = models.DateField(null=True, blank=True)
    trend_slope = models.FloatField(null=True, blank=True)
    aim_slope = models.FloatField(null=True, blank=True)
    fidelity = models.FloatField(null=True, blank=True)
    goal_streak = models.PositiveIntegerField(
        help_text=_("How many of the latest points in a row are at or beyond the goal.")
    )
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Progress of plan {self.plan_id} as of {self.as_of}"


class InterventionSession(models.Model):
    """A delivered (attended) or missed session of a plan (one per day)."""

    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    attended = models.BooleanField(default=True)
    group = models.ForeignKey(
        InterventionGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        help_text=_("Set when logged for the whole group at once."),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="session_day_uniq"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=480), name="session_minutes_range"
            ),
        ]


class FidelityObservation(models.Model):
    """An observer's checklist of one session: which items were delivered as written."""

    plan = models.ForeignKey(
        InterventionPlan, on_delete=models.CASCADE, related_name="fidelity_observations"
    )
    date = models.DateField()
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(help_text=_("[{'item': statement, 'done': true/false}, ...]"))
    percentage = models.DecimalField(max_digits=5, decimal_places=2)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100),
                name="fidelity_observation_percentage",
            )
        ]
