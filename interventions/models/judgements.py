"""Decisions about a plan taken outside a team meeting (the plan page, the plans API), with
the verdict they were judged by (interventions.analysis.judgement).

A meeting's decisions are meetings.Decision rows; these are the same judgement for the other
two entry points, so "how often the rules are overridden" counts every decision once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from interventions.models.plans import InterventionPlan


class PlanDecision(models.Model):
    TYPES = [
        ("modify_plan", "Modify the plan (new phase)"),
        ("intensify", "Intensify (more time a week)"),
        ("fade", "Fade (lower tier)"),
        ("exit", "Exit the intervention"),
        ("place_tier3", "Move to Tier 3"),
    ]

    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="decisions")
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="plan_decisions"
    )
    type = models.CharField(max_length=20, choices=TYPES)
    follows_rule = models.BooleanField(
        null=True,
        blank=True,
        help_text=_("Empty when nothing could judge it (too few points)."),
    )
    is_override = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    recommendation = models.CharField(max_length=200, blank=True)
    judged_basis = models.CharField(max_length=20, blank=True)
    judged_rule = models.CharField(max_length=40, blank=True)
    judged_evidence = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_override=True) | ~Q(override_reason=""),
                name="plan_decision_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["student", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on plan {self.plan_id}"
