"""The intervention catalog: one row per intervention approach, shared or a district's own."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import Domain


def default_tiers() -> list[int]:
    return [2]


class EvidenceLevel(models.TextChoices):
    """ESSA tiers of evidence (ESEA section 8101(21))."""

    STRONG = "strong", _("Strong evidence (ESSA tier 1)")
    MODERATE = "moderate", _("Moderate evidence (ESSA tier 2)")
    PROMISING = "promising", _("Promising evidence (ESSA tier 3)")
    RATIONALE = "rationale", _("Demonstrates a rationale (ESSA tier 4)")


class EvidenceKind(models.TextChoices):
    """What the evidence is about: a named program studied as such (reviewed against ESSA's
    tiers, e.g. by the WWC's intervention reports or Evidence for ESSA), or a practice
    recommended by a practice guide (rated with that guide's own levels: strong, moderate,
    minimal/low). A practice never carries an ESSA tier."""

    PROGRAM = "program", _("Program")
    PRACTICE = "practice", _("Practice")


class Intervention(models.Model):
    """A catalog entry. `district` NULL: the shared catalog every district sees."""

    district = models.ForeignKey(
        "students.District",
        on_delete=models.PROTECT,
        related_name="interventions",
        null=True,
        blank=True,
        help_text=_("Empty for the shared catalog."),
    )
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    description = models.TextField(blank=True)
    tiers = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_tiers,
        help_text=_("The tiers it is meant for: 2, 3 or both."),
    )
    evidence_level = models.CharField(max_length=20, choices=EvidenceLevel.choices, blank=True)
    evidence_url = models.URLField(blank=True, help_text=_("Where the evidence is reviewed."))
    evidence_kind = models.CharField(
        max_length=20,
        choices=EvidenceKind.choices,
        blank=True,
        help_text=_("A named program with its own studies, or a practice from a practice guide."),
    )
    evidence_source = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "The review: e.g. the WWC practice guide and recommendation, or the program review."
        ),
    )
    evidence_rating = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The level in the source's own terms (e.g. 'Strong evidence' for a practice "
            "guide recommendation)."
        ),
    )
    publisher = models.CharField(max_length=200, blank=True, help_text=_("Programs: who sells it."))
    skills = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    minutes_per_session = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    group_size_min = models.PositiveSmallIntegerField(null=True, blank=True)
    group_size_max = models.PositiveSmallIntegerField(null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Recommended length in weeks.")
    )
    entry_criteria = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("See interventions/criteria.py for the form."),
    )
    exit_criteria = models.JSONField(default=dict, blank=True)
    fidelity_checklist = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Statements an observer checks, one per item."),
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
                condition=~Q(evidence_kind="practice") | Q(evidence_level=""),
                name="intervention_practice_has_no_essa_tier",
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
