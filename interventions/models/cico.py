"""Check-in/check-out (CICO): each school's point-card layout and the daily cards of CICO
plans. A card's daily percentage is saved as the plan's progress score of that day
(interventions/services/cico.py), so the plan's graph and rules read it like any measure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from interventions.models.plans import InterventionPlan

DEFAULT_PERIODS = ["Morning", "Before lunch", "After lunch", "Afternoon"]
DEFAULT_EXPECTATIONS = ["Be safe", "Be respectful", "Be responsible"]


class CicoSetup(models.Model):
    """A school's daily point card: the periods of the day (rows) and its school-wide
    expectations (columns), each rated 0 to `max_points` by the teacher of the period."""

    school = models.OneToOneField("students.School", on_delete=models.CASCADE, related_name="+")
    periods = models.JSONField(default=list, help_text=_('For example ["Period 1", "Period 2"].'))
    expectations = models.JSONField(default=list, help_text=_('For example ["Be safe"].'))
    max_points = models.PositiveSmallIntegerField(default=2)
    goal_percent = models.PositiveSmallIntegerField(
        default=80,
        help_text=_("A day is at goal when the card earns this share of its points."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=1) & Q(max_points__lte=5), name="cico_max_points_range"
            ),
            models.CheckConstraint(
                condition=Q(goal_percent__gte=1) & Q(goal_percent__lte=100),
                name="cico_goal_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Point card of {self.school}"


class CicoCard(models.Model):
    """One day's point card of a CICO plan."""

    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="cico_cards")
    date = models.DateField()
    points = models.JSONField(
        help_text=_("One list per period, one rating (or null: not rated) per expectation.")
    )
    max_points = models.PositiveSmallIntegerField()
    checked_in = models.BooleanField(default=False)
    checked_out = models.BooleanField(default=False)
    home_copy_returned = models.BooleanField(default=False)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Null: nothing rated."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "date"]
        constraints = [models.UniqueConstraint(fields=["plan", "date"], name="cico_card_day_uniq")]

    def __str__(self) -> str:
        return f"Point card {self.date}"
