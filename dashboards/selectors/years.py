"""The last three school years side by side: which years, and the figures read per year.

Everything here reads stored rows (scores, referrals); the equity pipeline of an earlier year
is the same query as this year's (selectors.pipeline) with that year's filters
(`year_filters`).
"""

from __future__ import annotations

import dataclasses

from dashboards.selectors.conditions import Filters, _student_where
from mtss.sql import fetch_dicts
from screening.models import Measure, ScreeningWindow
from students.models import SchoolYear

SPAN = 3


def recent_years(f: Filters, *, span: int = SPAN) -> list[SchoolYear]:
    """The chosen year and up to `span - 1` years of the district before it, oldest first."""
    years = list(
        SchoolYear.objects.filter(
            district_id=f.district_id, start_date__lte=f.year.start_date
        ).order_by("-start_date", "-pk")[:span]
    )
    return years[::-1]


def windows_of(years: list[SchoolYear]) -> list[ScreeningWindow]:
    return list(
        ScreeningWindow.objects.filter(school_year__in=years)
        .select_related("school_year")
        .order_by("start_date", "pk")
    )


def year_filters(f: Filters, year: SchoolYear, windows: list[ScreeningWindow]) -> Filters:
    """The filters for another school year: its last window that has started by the chosen
    window's day of the year (the same season), else its last window; as of its last day."""
    if year.pk == f.year.pk:
        return f
    own = [w for w in windows if w.school_year_id == year.pk]
    window = own[-1] if own else None
    if f.window is not None:
        same = [w for w in own if w.season == f.window.season]
        window = same[-1] if same else window
    return dataclasses.replace(
        f, year=year, window=window, previous_window=None, as_of=year.end_date, past=True
    )


def risk_levels_by_window(f: Filters, windows: list[ScreeningWindow]) -> list[dict]:
    """Scores per window, measure and risk level (at or above, some risk, high risk, no cut
    score) of the chosen schools' students, active or since gone; the grade filter is the
    grade at screening. One pass over the windows' scores."""
    where, params = _student_where(dataclasses.replace(f, grade=None, past=True))
    grade = " AND s.grade = %(grade)s" if f.grade is not None else ""
    domain = " AND m.domain = %(domain)s" if f.domain else ""
    sql = f"""
    SELECT s.window_id, s.measure_id, s.risk_level, COUNT(*) AS n
    FROM screening_screeningscore s
    JOIN students_student st ON st.id = s.student_id
    JOIN screening_measure m ON m.id = s.measure_id
    WHERE s.window_id = ANY(%(windows)s) AND {where}{grade}{domain}
    GROUP BY s.window_id, s.measure_id, s.risk_level
    """
    return fetch_dicts(
        sql,
        {
            **params,
            "windows": [w.pk for w in windows],
            "grade": f.grade,
            "domain": f.domain,
        },
    )


def referrals_by_year(f: Filters, years: list[SchoolYear]) -> list[dict]:
    """Per school year: referrals, major referrals, students with a major referral and with a
    suspension (chosen schools; this year up to the as-of date)."""
    where, params = _student_where(dataclasses.replace(f, past=True))
    sql = f"""
    SELECT r.school_year_id, COUNT(*) AS referrals,
           COUNT(*) FILTER (WHERE r.severity = 'major') AS majors,
           COUNT(DISTINCT r.student_id) FILTER (WHERE r.severity = 'major') AS students_major,
           COUNT(DISTINCT r.student_id) FILTER (
               WHERE r.action_taken IN ('in_school_suspension', 'out_of_school_suspension')
           ) AS students_suspended
    FROM screening_referral r JOIN students_student st ON st.id = r.student_id
    WHERE r.school_year_id = ANY(%(years)s) AND r.school_id = ANY(%(schools)s)
      AND r.date <= %(as_of)s AND {where}
    GROUP BY r.school_year_id
    """
    return fetch_dicts(
        sql,
        {**params, "years": [y.pk for y in years], "as_of": f.as_of or f.year.end_date},
    )


def measure_names(ids: set[int]) -> dict[int, str]:
    return dict(Measure.objects.filter(pk__in=ids).values_list("pk", "name"))
