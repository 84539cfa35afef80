"""Versioned cut-score sets and their rows, one per grade and season."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from screening.models.measures import Measure
from screening.models.values import Season, _score_field
from students.models import GRADE_CHOICES, GRADE_MAX, GRADE_MIN


class CutScoreSet(models.Model):
    """One version of the cut scores for a measure, for a district (or a reference set).

    Never edited in place once scores point at it: `cut_score_set_revise` makes version + 1.
    `method` criterion uses the rows' benchmark / high-risk cut; percentile ranks each score in
    its local norm group (measure, grade, window, district) and applies the two PR edges.
    """

    class Method(models.TextChoices):
        CRITERION = "criterion", _("Criterion (benchmark scores)")
        PERCENTILE = "percentile", _("Percentile rank in the district")

    district = models.ForeignKey(
        "students.District",
        on_delete=models.PROTECT,
        related_name="cut_score_sets",
        null=True,
        blank=True,
        help_text=_("Empty for shipped reference sets, which are read-only."),
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="cut_score_sets")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.CRITERION)
    high_risk_below_pr = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Percentile method: a percentile rank below this is high risk."),
    )
    some_risk_below_pr = models.PositiveSmallIntegerField(
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_(
            "Percentile method: a percentile rank below this (and not high risk) is some risk."
        ),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived_sets",
        help_text=_("The set (previous version or reference) this one was made from."),
    )
    is_active = models.BooleanField(default=True)
    source = models.TextField(blank=True, help_text=_("Where the numbers come from."))
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "district", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "district", "version"],
                nulls_distinct=False,
                name="cut_score_set_version_uniq",
            ),
            models.UniqueConstraint(
                fields=["district", "measure"],
                condition=Q(is_active=True),
                nulls_distinct=False,
                name="cut_score_set_one_active",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="cut_score_set_version"),
            models.CheckConstraint(
                condition=Q(high_risk_below_pr__gte=1)
                & Q(high_risk_below_pr__lte=F("some_risk_below_pr"))
                & Q(some_risk_below_pr__lte=99),
                name="cut_score_set_pr_edges",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_reference(self) -> bool:
        return self.district_id is None


class CutScore(models.Model):
    """The boundaries for one grade and season of a cut-score set.

    Higher-is-better measure: score >= benchmark is at or above; high_risk_cut <= score <
    benchmark is some risk; score < high_risk_cut is high risk.
    Lower-is-better measure (mirror): score <= benchmark is at or above; benchmark < score <=
    high_risk_cut is some risk; score > high_risk_cut is high risk.
    The p10..p90 columns keep published norms (e.g. Hasbrouck & Tindal) for display.
    """

    cut_score_set = models.ForeignKey(CutScoreSet, on_delete=models.CASCADE, related_name="rows")
    grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    season = models.CharField(max_length=10, choices=Season.choices)
    benchmark = _score_field(
        help_text=_(
            "Higher is better: the lowest score that is at or above benchmark. "
            "Lower is better: the highest score that is at or above benchmark."
        )
    )
    high_risk_cut = _score_field(
        help_text=_(
            "Higher is better: scores below this are high risk. "
            "Lower is better: scores above this are high risk."
        )
    )
    p10 = _score_field(null=True, blank=True)
    p25 = _score_field(null=True, blank=True)
    p50 = _score_field(null=True, blank=True)
    p75 = _score_field(null=True, blank=True)
    p90 = _score_field(null=True, blank=True)

    class Meta:
        ordering = ["cut_score_set", "grade", "season"]
        constraints = [
            models.UniqueConstraint(
                fields=["cut_score_set", "grade", "season"], name="cut_score_row_uniq"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=GRADE_MIN) & Q(grade__lte=GRADE_MAX),
                name="cut_score_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return f"grade {self.grade} {self.season}: {self.benchmark} / {self.high_risk_cut}"
