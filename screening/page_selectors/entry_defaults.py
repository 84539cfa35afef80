"""What score entry preselects when a teacher opens it without choosing: their class, the
open window of its school year and the class's measure, so the first score box is the
first thing to type in (issue 20: it took 36 key presses to get there).

Only values the user could pick in the form themselves (the same `entry_*` querysets), so a
default never widens what they may enter.
"""

from __future__ import annotations

from django.db.models import Count, Q

from screening.models.scores import ScreeningScore
from screening.page_selectors.sections import entry_measures, entry_sections, entry_windows
from screening.services.school_windows import SchoolDays
from students.models import Enrollment, Section, User


def _class_grade(section: Section) -> int | None:
    """The section's grade, else the most common grade of its active students."""
    if section.grade is not None:
        return section.grade
    row = (
        Enrollment.objects.filter(section=section, active=True, student__active=True)
        .values("student__grade")
        .annotate(n=Count("pk"))
        .order_by("-n", "student__grade")
        .first()
    )
    return row["student__grade"] if row else None


def _class_measure(section: Section, user: User) -> int | None:
    """The measure the class was screened with most this school year; before any score, the
    first screening measure that serves the class's grade."""
    measures = entry_measures(user)
    used = (
        ScreeningScore.objects.filter(
            window__school_year_id=section.school_year_id,
            measure__in=measures,
            student__enrollments__section=section,
            student__enrollments__active=True,
        )
        .values("measure_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "measure_id")
        .first()
    )
    if used:
        return used["measure_id"]
    grade = _class_grade(section)
    if grade is None:
        return None
    return (
        measures.filter(Q(lowest_grade__lte=grade), Q(highest_grade__gte=grade))
        .values_list("pk", flat=True)
        .first()
    )


def entry_defaults(user: User, chosen: dict[str, str]) -> dict[str, str]:
    """`chosen` (the GET parameters) completed with the defaults for what is missing.

    The class: the chosen one, else the first class the user teaches (by school and name).
    The window: the open window of the class's school year (the later, if two are). The measure: the class's.
    Returns only the keys it could fill; an empty answer leaves the form unbound.
    """
    data = {k: v for k, v in chosen.items() if k in ("section", "window", "measure") and v}
    if {"section", "window", "measure"} <= data.keys():
        return data
    sections = entry_sections(user)
    section = None
    if "section" in data:
        section = sections.filter(pk=data["section"]).first() if data["section"].isdigit() else None
    else:
        section = sections.filter(teachers=user).first()
        if section is not None:
            data["section"] = str(section.pk)
    if section is None:
        return data if "section" in data else {}
    if "window" not in data:
        # The window open for the class's school (its own dates, else the district's
        # switch); two open at once: the later one.
        candidates = list(
            entry_windows(user)
            .filter(school_year_id=section.school_year_id)
            .order_by("-start_date", "-pk")
        )
        days = SchoolDays(candidates)
        window = next((w for w in candidates if days.is_open(w, section.school_id)), None)
        if window is not None:
            data["window"] = str(window.pk)
    if "measure" not in data:
        measure = _class_measure(section, user)
        if measure is not None:
            data["measure"] = str(measure)
    return data
