"""Measures: what an assessment scores, in which direction, for which grades and use."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import Domain, Skill
from screening.models.values import _score_field
from students.models import GRADE_CHOICES, GRADE_MAX, GRADE_MIN


class Measure(models.Model):
    """An assessment: its score range, direction, grades and use (screening, progress or both).

    `district` NULL marks a shipped reference measure (read-only); a district's own measures
    carry its id. `code` is a short slug unique per district (and among reference measures).
    """

    class Area(models.TextChoices):
        ACADEMIC = "academic", _("Academic")
        BEHAVIOR = "behavior", _("Behavior")
        SEL = "sel", _("Social-emotional")

    class Purpose(models.TextChoices):
        SCREENING = "screening", _("Screening")
        PROGRESS = "progress", _("Progress monitoring")
        BOTH = "both", _("Screening and progress monitoring")

    district = models.ForeignKey(
        "students.District",
        on_delete=models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
        help_text=_("Empty for shipped reference measures, which nobody can edit."),
    )
    code = models.SlugField(max_length=50, help_text=_("Short unique name, e.g. orf or srss-e7."))
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    area = models.CharField(max_length=20, choices=Area.choices, default=Area.ACADEMIC)
    skill = models.CharField(
        max_length=30,
        choices=Skill.choices,
        blank=True,
        help_text=_(
            "The skill it screens (phonics, fluency, computation...); empty: the whole "
            "domain. Tier 1 small groups and the district's resources are matched by it."
        ),
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SCREENING)
    unit = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("What the number counts, e.g. words correct/minute."),
    )
    min_score = _score_field(default=Decimal("0"))
    max_score = _score_field()
    higher_is_better = models.BooleanField(
        default=True,
        help_text=_("Off for measures where a lower score is better (errors, problem behavior)."),
    )
    lowest_grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    highest_grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    slope_tolerance = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.5"),
        help_text=_(
            "Progress-monitoring trend-line rule: score units per week either side of the "
            "aim line that still count as on track."
        ),
    )
    instrument = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Instrument and version, e.g. SRSS-IE 2016."),
    )
    description = models.TextField(blank=True, help_text=_("What it measures and its source."))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], nulls_distinct=False, name="measure_code_uniq"
            ),
            models.CheckConstraint(
                condition=Q(min_score__lt=F("max_score")), name="measure_score_range"
            ),
            models.CheckConstraint(
                condition=Q(lowest_grade__lte=F("highest_grade"))
                & Q(lowest_grade__gte=GRADE_MIN)
                & Q(highest_grade__lte=GRADE_MAX),
                name="measure_grade_range",
            ),
            models.CheckConstraint(
                condition=Q(slope_tolerance__gte=0), name="measure_slope_tolerance"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reference(self) -> bool:
        return self.district_id is None

    def serves_grade(self, grade: int) -> bool:
        return self.lowest_grade <= grade <= self.highest_grade
