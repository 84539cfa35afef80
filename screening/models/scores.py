"""Screening scores, their change history, and the SRSS-IE ratings some of them come from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import RiskLevel
from screening.models.cut_scores import CutScoreSet
from screening.models.measures import Measure
from screening.models.values import _score_field
from screening.models.windows import ScreeningWindow
from students.models import GRADE_CHOICES


class BehaviorRating(models.Model):
    """An SRSS-IE rating of one student in one window (each item 0-3).

    Saving one (services.behavior_rating_record) also records the subscale totals as
    screening scores of the SRSS-E7 and SRSS-I5 / SRSS-I6 measures, so the decision rules
    treat behavior like any other screening measure.
    """

    class SchoolLevel(models.TextChoices):
        ELEMENTARY = "elementary", _("Elementary (SRSS-I5)")
        SECONDARY = "secondary", _("Middle and high school (SRSS-I6)")

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="behavior_ratings"
    )
    window = models.ForeignKey(
        ScreeningWindow, on_delete=models.PROTECT, related_name="behavior_ratings"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    instrument_version = models.CharField(max_length=50, default="SRSS-IE 2016")
    school_level = models.CharField(max_length=20, choices=SchoolLevel.choices)
    items = models.JSONField(help_text=_("Item key -> rating 0 (never) to 3 (frequently)."))
    externalizing_total = models.PositiveSmallIntegerField()
    internalizing_total = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "window"], name="behavior_rating_uniq"),
            models.CheckConstraint(
                condition=Q(externalizing_total__lte=21), name="behavior_rating_e7_range"
            ),
            models.CheckConstraint(
                condition=Q(internalizing_total__lte=18), name="behavior_rating_i_range"
            ),
        ]


class ScreeningScore(models.Model):
    """One student's score on one measure in one window, with the risk it was given.

    `cut_score_set` is the exact version that classified it (NULL when no cut score applied,
    and then `risk_level` is NULL too: "no rule", never "no risk"). `grade` is the student's
    grade when screened, so history stays right after promotion.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered by hand")
        IMPORTED = "imported", _("Imported from a file")
        RATING = "rating", _("From a behavior rating")

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="screening_scores"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="scores")
    # No index of its own: the (window, measure, grade) index below serves every lookup by
    # window, and with both the planner read a whole window's scores through this one to
    # keep one measure's (growth norms: 172,000 rows for 27,000 at 50,000 students).
    window = models.ForeignKey(
        ScreeningWindow, on_delete=models.PROTECT, related_name="scores", db_index=False
    )
    grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    score = _score_field()
    risk_level = models.CharField(
        max_length=20, choices=RiskLevel.choices, null=True, blank=True, db_index=True
    )
    percentile_rank = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("1 to 99, within the district's grade for this window."),
    )
    cut_score_set = models.ForeignKey(
        CutScoreSet, on_delete=models.PROTECT, null=True, blank=True, related_name="scores"
    )
    behavior_rating = models.ForeignKey(
        BehaviorRating, on_delete=models.SET_NULL, null=True, blank=True, related_name="scores"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (students/versioning.py): a grid cell sends back the version it
    # showed; a colleague's newer save is shown, not overwritten. The database default covers
    # the COPY path of imports, which names its columns.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["window", "measure", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "measure", "window"], name="screening_score_uniq"
            ),
            models.CheckConstraint(
                condition=Q(percentile_rank__isnull=True)
                | (Q(percentile_rank__gte=1) & Q(percentile_rank__lte=99)),
                name="screening_score_pr_range",
            ),
            models.CheckConstraint(
                condition=Q(risk_level__isnull=True) | Q(risk_level__in=RiskLevel.values),
                name="screening_score_risk_level",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="screening_score_version"),
        ]
        indexes = [
            # The local norm group and completion counts: one window, measure and grade.
            models.Index(fields=["window", "measure", "grade"]),
            models.Index(fields=["student", "measure"]),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.measure_id} {self.window_id}: {self.score}"

    @property
    def cut_score_version(self) -> int | None:
        return self.cut_score_set.version if self.cut_score_set_id else None


class ScoreChange(models.Model):
    """A re-entered score: what it was, what it became, who changed it and when."""

    score = models.ForeignKey(ScreeningScore, on_delete=models.CASCADE, related_name="changes")
    old_value = _score_field()
    new_value = _score_field()
    old_risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    new_risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
