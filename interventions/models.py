"""Intervention catalog, plans with their phases, progress scores, sessions, fidelity
observations, student ownership, and every student's tier history per domain.

Writes go through interventions/services.py. The plan keeps its *current* intervention, goal,
goal date, baseline and phase start (so lists and the district sweep read one row per plan);
PlanPhase keeps every phase, the current one included, so earlier phases stay on the record.
Integrity lives in the database: tiers 2/3 on plans and 1-3 on placements, one open placement
per student and domain, one progress score and one session per plan and day, ratings 1-5.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mtss.lib.vocabulary import Domain, Tier

SCORE_DIGITS = 8
SCORE_PLACES = 2


def _score_field(**kwargs) -> models.DecimalField:
    # Same shape as screening scores: progress measures are screening.Measure rows.
    return models.DecimalField(max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES, **kwargs)


def default_tiers() -> list[int]:
    return [2]


class EvidenceLevel(models.TextChoices):
    """ESSA tiers of evidence (ESEA section 8101(21))."""

    STRONG = "strong", "Strong evidence (ESSA tier 1)"
    MODERATE = "moderate", "Moderate evidence (ESSA tier 2)"
    PROMISING = "promising", "Promising evidence (ESSA tier 3)"
    RATIONALE = "rationale", "Demonstrates a rationale (ESSA tier 4)"


class Intervention(models.Model):
    """A catalog entry. `district` NULL: the shared catalog every district sees."""

    district = models.ForeignKey(
        "students.District",
        on_delete=models.PROTECT,
        related_name="interventions",
        null=True,
        blank=True,
        help_text="Empty for the shared catalog.",
    )
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    description = models.TextField(blank=True)
    tiers = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_tiers,
        help_text="The tiers it is meant for: 2, 3 or both.",
    )
    evidence_level = models.CharField(max_length=20, choices=EvidenceLevel.choices, blank=True)
    evidence_url = models.URLField(blank=True, help_text="Where the evidence is reviewed.")
    skills = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    minutes_per_session = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    group_size_min = models.PositiveSmallIntegerField(null=True, blank=True)
    group_size_max = models.PositiveSmallIntegerField(null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Recommended length in weeks."
    )
    entry_criteria = models.JSONField(
        default=dict, blank=True, help_text="See interventions/criteria.py for the form."
    )
    exit_criteria = models.JSONField(default=dict, blank=True)
    fidelity_checklist = models.JSONField(
        default=list, blank=True, help_text="Statements an observer checks, one per item."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], nulls_distinct=False, name="intervention_name_uniq"
            ),
            models.CheckConstraint(
                condition=Q(tiers__contained_by=[2, 3]) & Q(tiers__len__gte=1),
                name="intervention_tiers_2_3",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__isnull=True)
                | (Q(sessions_per_week__gte=1) & Q(sessions_per_week__lte=7)),
                name="intervention_sessions_per_week",
            ),
            models.CheckConstraint(
                condition=Q(group_size_min__isnull=True)
                | Q(group_size_max__isnull=True)
                | Q(group_size_min__lte=F("group_size_max")),
                name="intervention_group_size",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tiers_label(self) -> str:
        return " and ".join(f"Tier {t}" for t in sorted(self.tiers or []))

    @property
    def group_size_label(self) -> str:
        low, high = self.group_size_min, self.group_size_max
        if low and high:
            return "1 (individual)" if low == high == 1 else f"{low}-{high}"
        return str(low or high or "")


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
    # Progress monitoring and dosage. Nullable only for rows made before they existed; the
    # services require them.
    measure = models.ForeignKey(
        "screening.Measure",
        on_delete=models.PROTECT,
        related_name="plans",
        null=True,
        blank=True,
        help_text="The progress-monitoring measure.",
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
        null=True, blank=True, help_text="Empty: the median of the phase's first three points."
    )
    goal = _score_field(null=True, blank=True)
    goal_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    exit_reason = models.TextField(blank=True)
    entry_criteria_met = models.BooleanField(
        null=True, blank=True, help_text="Empty for plans started before criteria were checked."
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

    class Meta:
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="progress_score_day_uniq")
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
    as_of = models.DateField(help_text="Points and sessions up to this day were counted.")
    points = models.PositiveIntegerField()
    latest = models.DateField(null=True, blank=True)
    trend_slope = models.FloatField(null=True, blank=True)
    aim_slope = models.FloatField(null=True, blank=True)
    fidelity = models.FloatField(null=True, blank=True)
    goal_streak = models.PositiveIntegerField(
        help_text="How many of the latest points in a row are at or beyond the goal."
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
        help_text="Set when logged for the whole group at once.",
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
    answers = models.JSONField(help_text="[{'item': statement, 'done': true/false}, ...]")
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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="self_rating_1_to_5"
            )
        ]


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
