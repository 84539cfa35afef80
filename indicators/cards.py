"""The student profile's Attendance card (students.slots.PROFILE_CARDS)."""

from __future__ import annotations

from typing import Any

from indicators.models import AttendanceSummary, CourseMark
from students.models import Student, User


def attendance_card(*, user: User, student: Student) -> dict[str, Any]:
    """The student's latest school year: attendance rate, chronic status and failing marks.
    The roster has already checked that the user may see the student."""
    summary = (
        AttendanceSummary.objects.filter(student=student)
        .select_related("school_year")
        .order_by("-school_year__start_date")
        .first()
    )
    marks = []
    if summary is not None or CourseMark.objects.filter(student=student).exists():
        latest: dict[str, CourseMark] = {}
        for m in CourseMark.objects.filter(student=student).order_by("period_end"):
            latest[m.course_code] = m
        marks = sorted(latest.values(), key=lambda m: (m.passing, m.course_code))
    return {"summary": summary, "marks": marks}
