"""Class-level plans for classwide problems: their own module, as the roster keeps import jobs
and the outbox in theirs; decisions.models re-exports them so Django finds them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import Domain


class ClasswidePlan(models.Model):
    """A class-level plan for a classwide problem (decisions.classwide_plans): core instruction
    strengthened for the whole section, the class median checked every few days, and its own
    exit. While it is active, the Tier 2 screening flags of the section's students wait."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MET = "met", _("Exit rule met")
        ENDED = "ended", _("Ended by the team")

    school = models.ForeignKey("students.School", on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(
        "students.Section", on_delete=models.CASCADE, related_name="classwide_plans"
    )
    measure = models.ForeignKey("screening.Measure", on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(max_length=20, choices=Domain.choices)
    flag = models.ForeignKey(
        "decisions.Flag",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="classwide_plans",
    )
    benchmark = models.FloatField(help_text=_("The cut the class median must reach."))
    higher_is_better = models.BooleanField(default=True)
    start_date = models.DateField()
    check_every_days = models.PositiveSmallIntegerField(default=7)
    exit_checks = models.PositiveSmallIntegerField(
        default=3,
        help_text=_("Consecutive checks at or above the benchmark that end the plan."),
    )
    checks = models.JSONField(
        default=list, blank=True, help_text=_("[{date, median, n}] in date order.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "domain"],
                condition=Q(status="active"),
                name="classwide_plan_one_active_per_section_domain",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(ended_on__isnull=False),
                name="classwide_plan_ended_has_date",
            ),
            models.CheckConstraint(
                condition=Q(check_every_days__gte=1) & Q(check_every_days__lte=14),
                name="classwide_plan_check_1_to_14_days",
            ),
            models.CheckConstraint(
                condition=Q(exit_checks__gte=1), name="classwide_plan_exit_checks_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Classwide plan, {self.section} ({self.get_status_display()})"
