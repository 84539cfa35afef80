"""The team's decisions about classwide problems: their own module, re-exported by
meetings.models so Django finds them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClasswideDecisionType(models.TextChoices):
    START_CLASSWIDE = "start_classwide", _("Start a classwide intervention")
    CONTINUE_CORE = "continue_core", _("Continue core instruction as it is")


class ClasswideDecision(models.Model):
    """What the team decided about a classwide problem (meetings.classwide): a class-level
    plan (decisions.ClasswidePlan) or core instruction as it is, with the team's reason."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        related_name="classwide_decisions",
    )
    section = models.ForeignKey("students.Section", on_delete=models.PROTECT, related_name="+")
    flags = models.ManyToManyField("decisions.Flag", related_name="+", blank=True)
    type = models.CharField(max_length=20, choices=ClasswideDecisionType.choices)
    plan = models.ForeignKey(
        "decisions.ClasswidePlan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rationale = models.TextField(blank=True)
    follows_rule = models.BooleanField(null=True, blank=True)
    is_override = models.BooleanField(default=False)
    recommendation = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_override=True) | ~Q(rationale=""),
                name="classwide_decision_override_has_rationale",
            ),
            models.CheckConstraint(
                condition=~Q(type="start_classwide") | Q(plan__isnull=False),
                name="classwide_decision_start_has_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} for {self.section}"
