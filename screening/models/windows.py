"""Screening windows: fall, winter or spring of one school year."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from screening.models.values import Season


class ScreeningWindow(models.Model):
    """Fall, winter or spring screening of one school year (and so of one district)."""

    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.PROTECT, related_name="screening_windows"
    )
    season = models.CharField(max_length=10, choices=Season.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    is_open = models.BooleanField(
        default=False,
        help_text=_("Teachers can enter scores only while the window is open."),
    )

    class Meta:
        ordering = ["school_year", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "season"], name="window_season_uniq"),
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="window_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_season_display()} {self.school_year.name}"


class SchoolWindowDates(models.Model):
    """A school that screens on another schedule than the district's window: its own first
    and last day for that window (a school administrator keeps them for their school).

    The district's window stays the one window scores belong to; these dates tell the school's
    staff and the completion pages when that school screens.
    """

    window = models.ForeignKey(
        ScreeningWindow, on_delete=models.CASCADE, related_name="school_dates"
    )
    school = models.ForeignKey("students.School", on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["window", "school"]
        constraints = [
            models.UniqueConstraint(fields=["window", "school"], name="school_window_dates_uniq"),
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="school_window_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.start_date} to {self.end_date}"
