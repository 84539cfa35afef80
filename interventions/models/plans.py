"""Plans, their phases, and the groups whose students are taught together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interventions.models.catalog import Intervention
from interventions.models.fields import _score_field
from mtss.lib.vocabulary import Domain, Tier


class InterventionGroup(models.Model):
    """Students taught together; sessions of a group are logged for all its plans at once."""

    school = models.ForeignKey("students.School", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    interventionist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intervention_groups"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "interventionist", "name"], name="intervention_group_name_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InterventionPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DISCONTINUED = "discontinued", _("Discontinued")

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
    # Progress monitoring and dosage. Nullable only for rows made before they existed; the
    # services require them.
    measure = models.ForeignKey(
        "screening.Measure",
        on_delete=models.PROTECT,
        related_name="plans",
        null=True,
        blank=True,
        help_text=_("The progress-monitoring measure."),
    )
    planned_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_per_session = models.PositiveSmallIntegerField(null=True, blank=True)
    group = models.ForeignKey(
        InterventionGroup,
        on_delete=models.SET_NULL,
        related_name="plans",
        null=True,
        blank=True,
    )
    # The current phase (copied from its PlanPhase row).
    phase_start = models.DateField(null=True, blank=True)
    baseline = _score_field(
        null=True,
        blank=True,
        help_text=_("Empty: the median of the phase's first three points."),
    )
    goal = _score_field(null=True, blank=True)
    goal_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    exit_reason = models.TextField(blank=True)
    entry_criteria_met = models.BooleanField(
        null=True,
        blank=True,
        help_text=_("Empty for plans started before criteria were checked."),
    )
    entry_check = models.JSONField(default=dict, blank=True)
    entry_override_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["interventionist", "status"]),
            models.Index(fields=["student", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=[2, 3]), name="plan_tier_2_or_3"),
            models.CheckConstraint(
                condition=Q(sessions_per_week__isnull=True)
                | (Q(sessions_per_week__gte=1) & Q(sessions_per_week__lte=7)),
                name="plan_sessions_per_week",
            ),
            models.CheckConstraint(
                condition=Q(goal_date__isnull=True)
                | Q(phase_start__isnull=True)
                | Q(goal_date__gt=F("phase_start")),
                name="plan_goal_after_phase_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} for student {self.student_id}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def current_phase_start(self):
        return self.phase_start or self.start_date


class PlanPhase(models.Model):
    """One phase of a plan: a change of intervention or goal starts the next one."""

    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    baseline = _score_field(null=True, blank=True)
    goal = _score_field()
    goal_date = models.DateField()
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_phase_number_uniq"),
            models.CheckConstraint(
                condition=Q(goal_date__gt=F("start_date")), name="plan_phase_goal_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Phase {self.number} from {self.start_date}"
