"""Reads of attendance, summaries and marks: always from the students the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from indicators.models import AttendanceRecord, AttendanceSummary, CourseMark
from students.models import User
from students.selectors import students_visible_to


def attendance_visible_to(user: User) -> QuerySet[AttendanceRecord]:
    return AttendanceRecord.objects.filter(student__in=students_visible_to(user)).order_by(
        "student_id", "date"
    )


def summaries_visible_to(user: User) -> QuerySet[AttendanceSummary]:
    return AttendanceSummary.objects.filter(student__in=students_visible_to(user)).order_by(
        "student_id", "school_year_id"
    )


def marks_visible_to(user: User) -> QuerySet[CourseMark]:
    return CourseMark.objects.filter(student__in=students_visible_to(user)).order_by(
        "student_id", "period_end", "course_code"
    )


def student_summary(*, student_id: int, school_year_id: int | None) -> AttendanceSummary | None:
    """For the profile card (the caller has already checked the student is visible)."""
    qs = AttendanceSummary.objects.filter(student_id=student_id)
    if school_year_id is not None:
        qs = qs.filter(school_year_id=school_year_id)
    return qs.order_by("-last_date").first()
