"""Office referrals: counts by month, location, behavior and hour, bands, most-referred students."""

from __future__ import annotations

from django.db.models import Count

from dashboards.selectors.conditions import Filters, _student_where, group_q
from mtss.lib.thresholds import Thresholds, odr_counted_severities
from mtss.sql import fetch_dicts
from screening.rule_settings import district_thresholds
from students.models import User
from students.selectors import students_visible_to


def referral_aggregates(f: Filters) -> list[dict]:
    """Referrals of the school year up to the as-of date, counted by month, location,
    problem behavior and hour of the day (GROUPING SETS: one query). `dimension` says which
    grouping a row belongs to; a referral without a time has hour None."""
    where, params = _student_where(f)
    sql = f"""
    SELECT CASE WHEN GROUPING(date_trunc('month', r.date)) = 0 THEN 'month'
                WHEN GROUPING(r.location) = 0 THEN 'location'
                WHEN GROUPING(r.problem_behavior) = 0 THEN 'problem_behavior'
                WHEN GROUPING(EXTRACT(HOUR FROM r.time)) = 0 THEN 'hour'
                ELSE 'total' END AS dimension,
           date_trunc('month', r.date)::date AS month, r.location, r.problem_behavior,
           EXTRACT(HOUR FROM r.time)::int AS hour, COUNT(*) AS n
    FROM screening_referral r JOIN students_student st ON st.id = r.student_id
    WHERE r.school_year_id = %(year)s AND r.school_id = ANY(%(schools)s)
      AND r.date <= %(as_of)s AND {where}
    GROUP BY GROUPING SETS ((date_trunc('month', r.date)), (r.location), (r.problem_behavior),
                            (EXTRACT(HOUR FROM r.time)), ())
    """
    return fetch_dicts(sql, {**params, "year": f.year.pk, "as_of": f.as_of or f.year.end_date})


def calendar_school_days(f: Filters) -> dict:
    """School days per month (first of the month -> days) from the schools' calendars, up to
    the as-of date: a date counts once when any school of the filters has school that day.
    Empty when none of the schools has a calendar (the tables then count weekdays)."""
    sql = """
    SELECT date_trunc('month', c.date)::date AS month, COUNT(DISTINCT c.date) AS n
    FROM indicators_calendarday c
    WHERE c.school_year_id = %(year)s AND c.school_id = ANY(%(schools)s)
      AND c.kind = 'instructional' AND c.date <= %(as_of)s
    GROUP BY 1
    """
    rows = fetch_dicts(
        sql,
        {"year": f.year.pk, "schools": list(f.school_ids), "as_of": f.as_of or f.year.end_date},
    )
    return {r["month"]: int(r["n"]) for r in rows}


def referral_bands(f: Filters, thresholds: Thresholds | None = None) -> list[dict]:
    """Students of the filters by their number of referrals this year, in the district's
    bands (`odr_tier`'s edges, defaults 0-1, 2-5, 6+), counting the severities the district
    counts (`odr_counted_severities`: majors only unless minors are switched on). The
    thresholds are the district's, read through screening.rule_settings, unless given."""
    t = thresholds if thresholds is not None else district_thresholds(f.district_id)
    where, params = _student_where(f)
    sql = f"""
    WITH c AS (
        SELECT st.id, COUNT(r.id) AS referrals
        FROM students_student st
        LEFT JOIN screening_referral r ON r.student_id = st.id AND r.school_year_id = %(year)s
             AND r.date <= %(as_of)s AND r.severity = ANY(%(severities)s)
        WHERE {where}
        GROUP BY st.id
    )
    SELECT CASE WHEN referrals >= %(tier3_at)s THEN 3 WHEN referrals >= %(tier2_at)s THEN 2
                ELSE 1 END AS band,
           COUNT(*) AS n
    FROM c GROUP BY 1
    """
    return fetch_dicts(
        sql,
        {
            **params,
            "year": f.year.pk,
            "as_of": f.as_of or f.year.end_date,
            "severities": list(odr_counted_severities(t)),
            "tier2_at": t.odr_tier2_at,
            "tier3_at": t.odr_tier3_at,
        },
    )


def top_referred_students(*, user: User, f: Filters, limit: int = 10) -> list[dict]:
    """The students with the most referrals this year, among those the user may see
    (`students_visible_to`) and the filters."""
    qs = students_visible_to(user).filter(
        school_id__in=f.school_ids, active=True, district_id=f.district_id
    )
    if f.grade is not None:
        qs = qs.filter(grade=f.grade)
    if f.group:
        qs = qs.filter(group_q(f.group))
    # Filtered before the count (an inner join on this year's referrals): grouping every
    # student with a FILTER-ed count of every year's referrals grouped 50,000 students to
    # keep 14,000 (0.6 s at 50,000 students; this way a third of it).
    return list(
        qs.filter(
            referrals__school_year_id=f.year.pk,
            referrals__date__lte=f.as_of or f.year.end_date,
        )
        .annotate(referral_count=Count("referrals"))
        .values(
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "grade",
            "school__name",
            "referral_count",
        )
        .order_by("-referral_count", "last_name", "first_name", "id")[:limit]
    )
