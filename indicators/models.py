"""School calendars, daily attendance, its per-student summary, and course marks.

Integrity is kept by the database: one calendar day per school and date, one attendance
record per student and date, one mark per student, course and grading period. The big table
(attendance: ~180 rows per student and year) is kept narrow: a one-letter status, the school
copied from the student at import (no foreign-key check per row, no single-column indexes the
composite ones already cover).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One day of a school's calendar. A date a school's calendar does not list is outside
    the calendar: no attendance is taken or counted on it."""

    class Kind(models.TextChoices):
        INSTRUCTIONAL = "instructional", _("School day")
        HOLIDAY = "holiday", _("Holiday")
        NO_SCHOOL = "no_school", _("No school for students")

    school = models.ForeignKey("students.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="calendar_day_one_per_date")
        ]
        indexes = [models.Index(fields=["school_year", "school", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "P", _("Present")
    TARDY = "T", _("Tardy (present)")
    EXCUSED = "E", _("Absent, excused")
    UNEXCUSED = "U", _("Absent, unexcused")


# Both kinds of absence count toward chronic absence (Attendance Works: every missed day).
ABSENT_CODES = (AttendanceStatus.EXCUSED.value, AttendanceStatus.UNEXCUSED.value)


class AttendanceRecord(models.Model):
    """A student's attendance on one school day."""

    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The student's school when the day was imported: the calendar that day belongs to.
    school = models.ForeignKey(
        "students.School",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    date = models.DateField()
    status = models.CharField(max_length=1, choices=AttendanceStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "date"], name="attendance_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_status_display()}"


class AttendanceSummary(models.Model):
    """A student's school year so far: recomputed set-based after every attendance or
    calendar import (indicators/summary.py). Days count only when the school's calendar says
    school was in session."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("students.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.CASCADE, related_name="+"
    )
    days_enrolled = models.PositiveIntegerField()
    days_absent = models.PositiveIntegerField()
    days_excused = models.PositiveIntegerField()
    days_tardy = models.PositiveIntegerField()
    absence_rate = models.FloatField(help_text=_("Days absent / days enrolled, 0 to 1."))
    chronic = models.BooleanField(
        help_text=_("Missed at least the district's chronic-absence share of enrolled days.")
    )
    last_date = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year"], name="attendance_summary_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(absence_rate__gte=0) & Q(absence_rate__lte=1),
                name="attendance_summary_rate_range",
            ),
        ]
        indexes = [models.Index(fields=["school_year", "school"])]

    @property
    def attendance_rate(self) -> float:
        return 1 - self.absence_rate


class MarkRule(models.Model):
    """The district's passing rule for course marks: a percent at or above `passing_percent`
    passes; a letter passes unless it is one of `failing_letters`."""

    district = models.OneToOneField(
        "students.District", on_delete=models.CASCADE, related_name="mark_rule"
    )
    passing_percent = models.DecimalField(max_digits=5, decimal_places=2, default=60)
    failing_letters = models.CharField(
        max_length=200,
        default="F,E,U,NP,NC",
        help_text=_("Comma-separated, for example F,E,NP."),
    )
    core_subjects = models.CharField(
        max_length=200,
        default="ELA,English,Math,Science,Social Studies",
        help_text=_("Course subjects that count as core, comma-separated."),
    )

    def __str__(self) -> str:
        return f"Passing rule of {self.district}"


class CourseMark(models.Model):
    """A student's mark in one course (or class section) for one grading period."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("students.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        "students.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    course_code = models.CharField(max_length=64)
    course_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=100, blank=True)
    core = models.BooleanField(default=False)
    grading_period = models.CharField(max_length=64, help_text=_("For example Q1, S1, T2."))
    period_end = models.DateField(help_text=_("Last day of the grading period."))
    letter = models.CharField(max_length=4, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passing = models.BooleanField(help_text=_("By the district's passing rule at import."))

    class Meta:
        ordering = ["student", "period_end", "course_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year", "course_code", "grading_period"],
                name="course_mark_one_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(letter="") | Q(percent__isnull=False), name="course_mark_has_mark"
            ),
        ]
        indexes = [models.Index(fields=["school_year", "school"])]

    def __str__(self) -> str:
        return f"{self.course_code} {self.grading_period}: {self.letter or self.percent}"
