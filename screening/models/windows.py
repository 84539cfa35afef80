"""Screening windows: up to five a school year, each using the fall, winter or spring cut
scores (its `season`)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from screening.models.values import Season

MAX_WINDOWS_PER_YEAR = 5


class ScreeningWindow(models.Model):
    """One screening of one school year (and so of one district).

    A district screens up to five times a year. Published cut scores come per fall, winter
    and spring, so each window names the season whose cut scores classify its scores; a
    fourth or fifth window (say a mid-fall check) shares a season with another window and
    has its own name. The service keeps the windows of a year apart and in season order
    (screening/services/window_schedule.py).
    """

    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.PROTECT, related_name="screening_windows"
    )
    name = models.CharField(
        max_length=40, help_text=_("What staff call this window, e.g. Fall or Mid-fall check.")
    )
    season = models.CharField(
        max_length=10,
        choices=Season.choices,
        help_text=_("Whose cut scores classify this window's scores: fall, winter or spring."),
    )
    start_date = models.DateField()
    end_date = models.DateField()
    is_open = models.BooleanField(
        default=False,
        help_text=_("Teachers can enter scores only while the window is open."),
    )

    class Meta:
        ordering = ["school_year", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "name"], name="window_name_uniq"),
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="window_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.get_season_display()} {self.school_year.name}"

    def save(self, *args, **kwargs) -> None:
        # Three windows a year stay as simple as before: unnamed, a window is called after
        # its season.
        if not self.name:
            self.name = self.get_season_display()
        super().save(*args, **kwargs)


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
