"""Screening scores as a CSV or Excel export (the registry in students/exports.py finds this
module by name). The rows start from students_visible_to(user), so a teacher exports only
their own students' scores; the file formats and the record of disclosure come with it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from screening.models.scores import ScreeningScore
from students.exports import Column, ExportSpec, register_export
from students.models import User, grade_label
from students.selectors import students_visible_to


def _scores(user: User, options: dict[str, Any]) -> QuerySet[ScreeningScore]:
    students = students_visible_to(user)
    if not options.get("include_inactive"):
        students = students.filter(active=True)
    return (
        ScreeningScore.objects.filter(student__in=students)
        .select_related("student__school", "measure", "window__school_year")
        .order_by(
            "student__school__name",
            "student__last_name",
            "student__first_name",
            "student_id",
            "window__start_date",
            "measure__name",
        )
    )


register_export(
    ExportSpec(
        key="screening_scores",
        label=_("Screening scores"),
        description="One row per screening score of the students you can see: window, measure, "
        "score, risk level and percentile rank.",
        rows=_scores,
        columns=[
            Column("Student ID", lambda s: s.student.local_id),
            Column("Last name", lambda s: s.student.last_name),
            Column("First name", lambda s: s.student.first_name),
            Column("School", lambda s: s.student.school.name),
            Column("Grade when screened", lambda s: grade_label(s.grade)),
            Column("School year", lambda s: s.window.school_year.name),
            Column("Window", lambda s: s.window.name),
            Column("Measure", lambda s: s.measure.name),
            Column("Score", lambda s: s.score),
            # No cut score for that grade and season: "no rule", never read as "no risk".
            Column(
                "Risk level", lambda s: s.get_risk_level_display() if s.risk_level else "No rule"
            ),
            Column("Percentile rank", lambda s: s.percentile_rank),
        ],
        student_id=lambda s: s.student_id,
        order=10,
    )
)
