"""Earlier school years for the demo district, so the three-year views have something to
show: each earlier year gets the current year's windows (a year earlier), its screening
scores (the same students a grade lower, some of them at another risk level) and its office
referrals (a year earlier). Synthetic, set-based SQL: seconds for 50,000 students."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from screening.models import ScreeningWindow
from students.models import SchoolYear

RISK_LEVELS = ("at_or_above", "some_risk", "high_risk")


def _year_earlier(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def add_past_years(current: SchoolYear, *, years: int = 2) -> list[SchoolYear]:
    """Copy `current`'s screening windows, scores and referrals into `years` earlier school
    years (skipping a year that already exists). Returns the years created."""
    created = []
    windows = list(ScreeningWindow.objects.filter(school_year=current).order_by("start_date"))
    for back in range(1, years + 1):
        start = _year_earlier(current.start_date, back)
        name = f"{start.year}-{start.year + 1}"
        if SchoolYear.objects.filter(district_id=current.district_id, name=name).exists():
            continue
        year = SchoolYear.objects.create(
            district_id=current.district_id,
            name=name,
            sourced_id=f"demo-year-{name}",
            start_date=start,
            end_date=_year_earlier(current.end_date, back),
            is_current=False,
        )
        created.append(year)
        with connection.cursor() as cursor:
            for w in windows:
                past = ScreeningWindow.objects.create(
                    school_year=year,
                    season=w.season,
                    start_date=_year_earlier(w.start_date, back),
                    end_date=_year_earlier(w.end_date, back),
                    is_open=False,
                )
                # One student in seven moves a risk level (up or down by the year), so the
                # years differ.
                cursor.execute(
                    """
                    INSERT INTO screening_screeningscore
                        (student_id, measure_id, window_id, grade, score, risk_level,
                         percentile_rank, source, entered_at, updated_at, cut_score_set_id)
                    SELECT s.student_id, s.measure_id, %(past)s, s.grade - %(back)s, s.score,
                           CASE WHEN s.risk_level IS NULL OR (s.student_id + %(back)s) %% 7 <> 0
                                THEN s.risk_level
                                WHEN s.risk_level = 'at_or_above' THEN 'some_risk'
                                WHEN s.risk_level = 'some_risk' THEN
                                     CASE WHEN %(back)s = 1 THEN 'high_risk' ELSE 'at_or_above' END
                                ELSE 'some_risk' END,
                           s.percentile_rank, s.source, s.entered_at - %(shift)s,
                           s.updated_at - %(shift)s, s.cut_score_set_id
                    FROM screening_screeningscore s
                    WHERE s.window_id = %(window)s AND s.grade - %(back)s >= -1
                    """,
                    {
                        "past": past.pk,
                        "back": back,
                        "window": w.pk,
                        "shift": dt.timedelta(days=365 * back),
                    },
                )
            cursor.execute(
                """
                INSERT INTO screening_referral
                    (student_id, school_id, school_year_id, date, time, severity, location,
                     problem_behavior, perceived_motivation, others_involved, action_taken,
                     staff_id, staff_name, notes, reported_by_id, created_at)
                SELECT r.student_id, r.school_id, %(year)s, r.date - %(days)s, r.time,
                       r.severity, r.location, r.problem_behavior, r.perceived_motivation,
                       r.others_involved, r.action_taken, r.staff_id, r.staff_name, r.notes,
                       r.reported_by_id, r.created_at - %(shift)s
                FROM screening_referral r
                WHERE r.school_year_id = %(current)s AND (r.id + %(back)s) %% 5 <> 0
                """,
                {
                    "year": year.pk,
                    "days": 365 * back,
                    "shift": dt.timedelta(days=365 * back),
                    "current": current.pk,
                    "back": back,
                },
            )
    return created
