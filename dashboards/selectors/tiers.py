"""Tier counts: students by screening tier or tier placement, and movement between windows."""

from __future__ import annotations

from dashboards.selectors.conditions import (
    TIER_SQL,
    Filters,
    _domain_condition,
    _narrow,
    _rank,
    _student_where,
)
from mtss.sql import fetch_dicts


def tier_counts(f: Filters) -> list[dict]:
    """Per school, grade and domain: students by screening tier in the window (the most
    intensive risk over the domain's measures), and the students in the grades the domain's
    measures serve who have no classified score (`tier` None). One query.

    A domain screened with one measure this window gives each student at most one score
    (one score per student, measure and window), so its tiers are counted straight from the
    scores; only domains with several measures need the per-student maximum, the costly
    part at district scale."""
    if f.window is None:
        return []
    where, params = _student_where(f)
    dom, dparams = _domain_condition(f)
    sql = f"""
    WITH pop AS (SELECT st.id, st.school_id, st.grade FROM students_student st WHERE {where}),
    wm AS (
        SELECT m.id, m.domain, m.lowest_grade, m.highest_grade FROM screening_measure m
        WHERE EXISTS (SELECT 1 FROM screening_screeningscore x
                      WHERE x.window_id = %(window)s AND x.measure_id = m.id) {dom}
    ),
    multi AS (SELECT domain FROM wm GROUP BY domain HAVING COUNT(*) > 1),
    dg AS (SELECT domain, MIN(lowest_grade) AS lo, MAX(highest_grade) AS hi FROM wm GROUP BY domain),
    one AS (
        SELECT pop.school_id, pop.grade, wm.domain, {_rank("s")} AS tier, COUNT(*) AS n
        FROM screening_screeningscore s JOIN wm ON wm.id = s.measure_id
        JOIN pop ON pop.id = s.student_id
        WHERE s.window_id = %(window)s AND s.risk_level IS NOT NULL
          AND wm.domain NOT IN (SELECT domain FROM multi)
        GROUP BY 1, 2, 3, 4
    ),
    per_student AS (
        SELECT s.student_id, wm.domain, {TIER_SQL} AS tier
        FROM screening_screeningscore s JOIN wm ON wm.id = s.measure_id
        WHERE s.window_id = %(window)s AND s.risk_level IS NOT NULL
          AND wm.domain IN (SELECT domain FROM multi){_narrow(f, "s.student_id")}
        GROUP BY s.student_id, wm.domain
    ),
    several AS (
        SELECT pop.school_id, pop.grade, t.domain, t.tier, COUNT(*) AS n
        FROM per_student t JOIN pop ON pop.id = t.student_id
        GROUP BY 1, 2, 3, 4
    ),
    scored AS (SELECT * FROM one UNION ALL SELECT * FROM several),
    pc AS (SELECT school_id, grade, COUNT(*) AS n FROM pop GROUP BY school_id, grade)
    SELECT school_id, grade, domain, tier, n FROM scored
    UNION ALL
    SELECT pc.school_id, pc.grade, dg.domain, NULL, pc.n - COALESCE(SUM(sc.n), 0)
    FROM pc JOIN dg ON pc.grade BETWEEN dg.lo AND dg.hi
    LEFT JOIN scored sc ON sc.school_id = pc.school_id AND sc.grade = pc.grade
         AND sc.domain = dg.domain
    GROUP BY pc.school_id, pc.grade, dg.domain, pc.n
    HAVING pc.n - COALESCE(SUM(sc.n), 0) > 0
    """
    return fetch_dicts(sql, {**params, **dparams, "window": f.window.pk})


def tier_movement(f: Filters) -> list[dict]:
    """Per domain: students by (tier in the previous window, tier in this one). One query.

    As in `tier_counts`, a domain screened with the same single measure in both windows is
    counted from pairs of scores (one index probe per score of this window); only domains
    with several measures need each student's maximum per window."""
    if f.window is None or f.previous_window is None:
        return []
    where, params = _student_where(f)
    dom, dparams = _domain_condition(f)
    sql = f"""
    WITH pop AS (SELECT st.id FROM students_student st WHERE {where}),
    wm AS (
        SELECT x.window_id, m.id, m.domain FROM screening_measure m
        JOIN LATERAL (
            SELECT w AS window_id FROM unnest(ARRAY[%(window)s, %(previous)s]::bigint[]) AS w
            WHERE EXISTS (SELECT 1 FROM screening_screeningscore y
                          WHERE y.window_id = w AND y.measure_id = m.id)
        ) x ON TRUE
        WHERE TRUE {dom}
    ),
    simple AS (
        SELECT domain, MIN(id) AS measure_id FROM wm GROUP BY domain
        HAVING COUNT(DISTINCT id) = 1
    ),
    pairs AS (
        SELECT sm.domain, {_rank("a")} AS tier_from, {_rank("s")} AS tier_to, COUNT(*) AS n
        FROM simple sm
        JOIN screening_screeningscore s ON s.window_id = %(window)s
             AND s.measure_id = sm.measure_id AND s.risk_level IS NOT NULL
        JOIN screening_screeningscore a ON a.student_id = s.student_id
             AND a.measure_id = s.measure_id AND a.window_id = %(previous)s
             AND a.risk_level IS NOT NULL
        JOIN pop ON pop.id = s.student_id
        GROUP BY 1, 2, 3
    ),
    t AS (
        SELECT s.window_id, s.student_id, m.domain, {TIER_SQL} AS tier
        FROM screening_screeningscore s JOIN screening_measure m ON m.id = s.measure_id
        WHERE s.window_id IN (%(window)s, %(previous)s) AND s.risk_level IS NOT NULL {dom}
          AND m.domain NOT IN (SELECT domain FROM simple){_narrow(f, "s.student_id")}
        GROUP BY s.window_id, s.student_id, m.domain
    )
    SELECT domain, tier_from, tier_to, n FROM pairs
    UNION ALL
    SELECT a.domain, a.tier AS tier_from, b.tier AS tier_to, COUNT(*) AS n
    FROM t a JOIN t b ON b.student_id = a.student_id AND b.domain = a.domain
    JOIN pop ON pop.id = a.student_id
    WHERE a.window_id = %(previous)s AND b.window_id = %(window)s
    GROUP BY a.domain, a.tier, b.tier
    """
    return fetch_dicts(
        sql, {**params, **dparams, "window": f.window.pk, "previous": f.previous_window.pk}
    )


def placement_counts(f: Filters) -> list[dict]:
    """Per school, grade and domain: students by their tier placement open on the as-of
    date (interventions.TierPlacement); students without one count as Tier 1. Only domains
    with at least one placement in the chosen schools. One query."""
    where, params = _student_where(f)
    dom = " AND tp.domain = %(domain)s" if f.domain else ""
    sql = f"""
    WITH pop AS (SELECT st.id, st.school_id, st.grade FROM students_student st WHERE {where}),
    tp AS (
        SELECT DISTINCT ON (tp.student_id, tp.domain) tp.student_id, tp.domain, tp.tier
        FROM interventions_tierplacement tp
        WHERE tp.student_id IN (SELECT id FROM pop) AND tp.start_date <= %(as_of)s
          AND (tp.end_date IS NULL OR tp.end_date >= %(as_of)s){dom}
        ORDER BY tp.student_id, tp.domain, tp.start_date DESC, tp.id DESC
    ),
    doms AS (SELECT DISTINCT domain FROM tp)
    SELECT pop.school_id, pop.grade, doms.domain, COALESCE(tp.tier, 1) AS tier, COUNT(*) AS n
    FROM pop CROSS JOIN doms
    LEFT JOIN tp ON tp.student_id = pop.id AND tp.domain = doms.domain
    GROUP BY 1, 2, 3, 4
    """
    return fetch_dicts(sql, {**params, "domain": f.domain, "as_of": f.as_of or f.year.end_date})
