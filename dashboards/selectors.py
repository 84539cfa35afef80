"""Reads of the dashboards: set-based SQL that returns plain rows (dicts) for analysis.py.

Who reads what (docs/dashboards.md):

- the dashboards are for school teams: team members and school administrators read the
  aggregates of their schools, district administrators of every school of their district
  (`dashboard_school_ids`); teachers, interventionists and accounts without a role are
  refused (403), because a school's aggregates describe students they do not see;
- a list of students (the most-referred students, the students missing a score) is read
  through `students.selectors.students_visible_to`, so it never shows a student the user
  could not open elsewhere.

Every query groups in PostgreSQL (GROUP BY, FILTER, percentile_cont) and returns a few
hundred rows at most, whatever the size of the district; none runs per school or per
student. Filters (`Filters`) are applied the same way everywhere: the students counted are
the active students of the chosen schools (their current school and grade), narrowed by
grade and student group. Score panels use the grade a student had when screened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, OuterRef, Q

from mtss.sql import fetch_dicts
from screening.models import Measure, ScreeningScore, ScreeningWindow
from students.models import (
    SCHOOL_WIDE_ROLES,
    Role,
    School,
    SchoolYear,
    User,
)
from students.selectors import memberships_of, school_ids_with_role, students_visible_to

DASHBOARD_ROLES = (*SCHOOL_WIDE_ROLES, Role.DISTRICT_ADMIN)


# -- who may read ------------------------------------------------------------------------------


def may_view_dashboards(user: User) -> bool:
    """School team members, school and district administrators (and superusers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(m.role in DASHBOARD_ROLES for m in memberships_of(user))


def dashboard_school_ids(user: User) -> set[int]:
    """Schools whose aggregates the user reads: a school-wide role there, or the district."""
    if not may_view_dashboards(user):
        return set()
    return school_ids_with_role(user, tuple(SCHOOL_WIDE_ROLES))


def dashboard_schools(ids: Iterable[int]) -> list[School]:
    return list(School.objects.filter(pk__in=list(ids)).order_by("name", "pk"))


def school_years_for(district_ids: Iterable[int]) -> list[SchoolYear]:
    return list(
        SchoolYear.objects.filter(district_id__in=list(district_ids)).order_by("-start_date")
    )


def windows_for(year: SchoolYear) -> list[ScreeningWindow]:
    return list(
        ScreeningWindow.objects.filter(school_year=year)
        .select_related("school_year")
        .order_by("start_date", "pk")
    )


def window_before(window: ScreeningWindow) -> ScreeningWindow | None:
    """The district's screening window just before this one (last year's spring for fall)."""
    return (
        ScreeningWindow.objects.filter(
            school_year__district_id=window.school_year.district_id,
            start_date__lt=window.start_date,
        )
        .select_related("school_year")
        .order_by("-start_date", "-pk")
        .first()
    )


def measures_for(*, district_id: int, year: SchoolYear) -> list[Measure]:
    """Screening measures the district uses: its own, and reference measures with scores this
    year (an unused reference measure would only add empty rows)."""
    used = ScreeningScore.objects.filter(measure_id=OuterRef("pk"), window__school_year=year)
    return list(
        Measure.objects.filter(
            active=True, purpose__in=[Measure.Purpose.SCREENING, Measure.Purpose.BOTH]
        )
        .filter(
            Q(district_id=district_id) | Q(district__isnull=True, pk__in=used.values("measure_id"))
        )
        .order_by("domain", "name", "pk")
    )


# -- the filters, as SQL -------------------------------------------------------------------------

# Student groups: key -> (label, SQL condition on students_student aliased `st`).
FLAG_GROUPS: dict[str, tuple[str, str]] = {
    "english_learner": ("English learners", "st.english_learner"),
    "iep": ("Students with an IEP", "st.iep"),
    "section_504": ("Students with a 504 plan", "st.section_504"),
    "economically_disadvantaged": ("Economically disadvantaged", "st.economically_disadvantaged"),
}


@dataclass(frozen=True)
class Filters:
    """What the dashboards count, once the user's choices are checked against their scope."""

    district_id: int
    school_ids: tuple[int, ...]
    year: SchoolYear
    window: ScreeningWindow | None
    previous_window: ScreeningWindow | None
    grade: int | None = None
    domain: str = ""
    group: str = ""
    measure_id: int | None = None
    as_of: dt.date | None = None


def _student_where(
    f: Filters, *, alias: str = "st", grade_column: str | None = None
) -> tuple[str, dict]:
    """WHERE conditions on the students table for the filters (named parameters)."""
    parts = [
        f"{alias}.school_id = ANY(%(schools)s)",
        f"{alias}.district_id = %(district)s",
        f"{alias}.active",
    ]
    params: dict[str, Any] = {"schools": list(f.school_ids), "district": f.district_id}
    if f.grade is not None:
        parts.append(f"{grade_column or alias + '.grade'} = %(grade)s")
        params["grade"] = f.grade
    if f.group:
        if f.group in FLAG_GROUPS:
            parts.append(FLAG_GROUPS[f.group][1].replace("st.", f"{alias}."))
        elif f.group.startswith("race:"):
            parts.append(f"{alias}.race_ethnicity = %(group_value)s")
            params["group_value"] = f.group.split(":", 1)[1]
        elif f.group.startswith("sex:"):
            parts.append(f"{alias}.sex = %(group_value)s")
            params["group_value"] = f.group.split(":", 1)[1]
    return " AND ".join(parts), params


# Up to this many schools, the score aggregates are narrowed to the chosen students first;
# for more (a district administrator's default), aggregating the window's scores whole and
# joining the students once is cheaper than probing the semi-join per score.
NARROW_SCHOOLS = 10


def _narrow(f: Filters, column: str) -> str:
    if len(f.school_ids) <= NARROW_SCHOOLS:
        return f" AND {column} IN (SELECT id FROM pop)"
    return ""


TIER_SQL = (
    "MAX(CASE s.risk_level WHEN 'at_or_above' THEN 1 WHEN 'some_risk' THEN 2 "
    "WHEN 'high_risk' THEN 3 END)"
)


def _domain_condition(f: Filters, alias: str = "m") -> tuple[str, dict]:
    if f.domain:
        return f" AND {alias}.domain = %(domain)s", {"domain": f.domain}
    return "", {}


# -- tiers -------------------------------------------------------------------------------------


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


def classwide_flag_counts(f: Filters) -> list[dict]:
    """Per school and measure: class sections the decision rules flagged with a classwide
    problem in the window (decisions.Flag, kind "classwide", any status but "resolved by
    newer data"). The district view reads the rules' verdicts instead of recomputing every
    class's median; one school's view computes its classes live (`section_benchmarks`)."""
    if f.window is None:
        return []
    dom = " AND fl.domain = %(domain)s" if f.domain else ""
    measure = " AND fl.measure_id = %(measure)s" if f.measure_id else ""
    grade = " AND sec.grade = %(grade)s" if f.grade is not None else ""
    sql = f"""
    SELECT fl.school_id, fl.measure_id, COUNT(DISTINCT fl.section_id) AS problems
    FROM decisions_flag fl JOIN students_section sec ON sec.id = fl.section_id
    WHERE fl.kind = 'classwide' AND fl.window_id = %(window)s AND fl.status <> 'resolved'
      AND fl.school_id = ANY(%(schools)s){dom}{measure}{grade}
    GROUP BY fl.school_id, fl.measure_id
    """
    return fetch_dicts(
        sql,
        {
            "window": f.window.pk,
            "schools": list(f.school_ids),
            "domain": f.domain,
            "measure": f.measure_id,
            "grade": f.grade,
        },
    )


# -- core instruction --------------------------------------------------------------------------


def _score_where(f: Filters) -> tuple[str, dict]:
    where, params = _student_where(f, grade_column="s.grade")
    dom, dparams = _domain_condition(f)
    extra = ""
    if f.measure_id:
        extra = " AND s.measure_id = %(measure)s"
        params["measure"] = f.measure_id
    return where + dom + extra, {**params, **dparams}


def benchmark_counts(f: Filters) -> list[dict]:
    """Per measure, school and grade (when screened): scored, classified, at or above."""
    if f.window is None:
        return []
    where, params = _score_where(f)
    sql = f"""
    SELECT s.measure_id, st.school_id, s.grade, COUNT(*) AS scored,
           COUNT(s.risk_level) AS classified,
           COUNT(*) FILTER (WHERE s.risk_level = 'at_or_above') AS at_or_above
    FROM screening_screeningscore s
    JOIN students_student st ON st.id = s.student_id
    JOIN screening_measure m ON m.id = s.measure_id
    WHERE s.window_id = %(window)s AND {where}
    GROUP BY s.measure_id, st.school_id, s.grade
    """
    return fetch_dicts(sql, {**params, "window": f.window.pk})


def section_benchmarks(f: Filters) -> list[dict]:
    """Per class section of the window's year and measure: scored students, at or above,
    and the median distance from each student's own benchmark (domain.md's classwide check:
    d * (score - benchmark), d = -1 for lower-is-better; a median below 0 is a classwide
    problem, the rule of decisions.rules.classwide_problems). A student in two sections
    counts in both. One query."""
    if f.window is None:
        return []
    where, params = _score_where(f)
    sql = f"""
    SELECT e.section_id, sec.name AS section_name, sec.school_id, s.measure_id,
           COUNT(*) AS scored, COUNT(s.risk_level) AS classified,
           COUNT(*) FILTER (WHERE s.risk_level = 'at_or_above') AS at_or_above,
           COUNT(c.benchmark) AS with_benchmark,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.score) AS median_score,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY
               CASE WHEN m.higher_is_better THEN s.score - c.benchmark
                    ELSE c.benchmark - s.score END) AS median_gap,
           MIN(c.benchmark) AS benchmark_min, MAX(c.benchmark) AS benchmark_max
    FROM screening_screeningscore s
    JOIN students_student st ON st.id = s.student_id
    JOIN screening_measure m ON m.id = s.measure_id
    JOIN students_enrollment e ON e.student_id = s.student_id AND e.active
    JOIN students_section sec ON sec.id = e.section_id AND sec.school_year_id = %(year)s
         AND sec.active
    LEFT JOIN screening_cutscore c ON c.cut_score_set_id = s.cut_score_set_id
         AND c.grade = s.grade AND c.season = %(season)s
    WHERE s.window_id = %(window)s AND sec.school_id = ANY(%(schools)s) AND {where}
    GROUP BY e.section_id, sec.name, sec.school_id, s.measure_id
    """
    return fetch_dicts(
        sql,
        {
            **params,
            "window": f.window.pk,
            "year": f.window.school_year_id,
            "season": f.window.season,
        },
    )


def growth(f: Filters) -> list[dict]:
    """Per measure, school and grade (now): students scored in both windows, the median
    change of score, and how many moved up or down a risk level. One query."""
    if f.window is None or f.previous_window is None:
        return []
    where, params = _score_where(f)
    sql = f"""
    SELECT s.measure_id, st.school_id, s.grade, COUNT(*) AS matched,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.score - a.score) AS median_change,
           COUNT(*) FILTER (WHERE s.risk_level IS NOT NULL AND a.risk_level IS NOT NULL)
               AS classified_both,
           COUNT(*) FILTER (WHERE {_rank("s")} < {_rank("a")}) AS moved_up,
           COUNT(*) FILTER (WHERE {_rank("s")} > {_rank("a")}) AS moved_down,
           BOOL_AND(m.higher_is_better) AS higher_is_better
    FROM screening_screeningscore s
    JOIN screening_screeningscore a ON a.student_id = s.student_id
         AND a.measure_id = s.measure_id AND a.window_id = %(previous)s
    JOIN students_student st ON st.id = s.student_id
    JOIN screening_measure m ON m.id = s.measure_id
    WHERE s.window_id = %(window)s AND {where}
    GROUP BY s.measure_id, st.school_id, s.grade
    """
    return fetch_dicts(sql, {**params, "window": f.window.pk, "previous": f.previous_window.pk})


def _rank(alias: str) -> str:
    return (
        f"(CASE {alias}.risk_level WHEN 'at_or_above' THEN 1 WHEN 'some_risk' THEN 2 "
        f"WHEN 'high_risk' THEN 3 END)"
    )


# -- completion --------------------------------------------------------------------------------


def completion_counts(f: Filters, measures: list[Measure]) -> list[dict]:
    """Per measure, school and grade: active students in the measure's grades, and how many
    have a score in the window. One query for every measure."""
    if f.window is None or not measures:
        return []
    where, params = _student_where(f)
    sql = f"""
    SELECT m.id AS measure_id, st.school_id, st.grade, COUNT(*) AS enrolled,
           COUNT(s.id) AS scored
    FROM students_student st
    JOIN screening_measure m ON m.id = ANY(%(measures)s)
         AND st.grade BETWEEN m.lowest_grade AND m.highest_grade
    LEFT JOIN screening_screeningscore s ON s.student_id = st.id AND s.measure_id = m.id
         AND s.window_id = %(window)s
    WHERE {where}
    GROUP BY m.id, st.school_id, st.grade
    """
    return fetch_dicts(sql, {**params, "window": f.window.pk, "measures": [m.pk for m in measures]})


def completion_sections(f: Filters, measures: list[Measure]) -> list[dict]:
    """Per section and measure: active students in the measure's grades, and scored."""
    if f.window is None or not measures:
        return []
    where, params = _student_where(f)
    sql = f"""
    SELECT e.section_id, sec.name AS section_name, sec.school_id, m.id AS measure_id,
           COUNT(*) AS enrolled, COUNT(s.id) AS scored
    FROM students_enrollment e
    JOIN students_section sec ON sec.id = e.section_id AND sec.school_year_id = %(year)s
         AND sec.active
    JOIN students_student st ON st.id = e.student_id
    JOIN screening_measure m ON m.id = ANY(%(measures)s)
         AND st.grade BETWEEN m.lowest_grade AND m.highest_grade
    LEFT JOIN screening_screeningscore s ON s.student_id = st.id AND s.measure_id = m.id
         AND s.window_id = %(window)s
    WHERE e.active AND sec.school_id = ANY(%(schools)s) AND {where}
    GROUP BY e.section_id, sec.name, sec.school_id, m.id
    """
    return fetch_dicts(
        sql,
        {
            **params,
            "window": f.window.pk,
            "year": f.window.school_year_id,
            "measures": [m.pk for m in measures],
        },
    )


# -- equity pipeline ---------------------------------------------------------------------------


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _has_field(model: Any, name: str) -> bool:
    return model is not None and any(f.name == name for f in model._meta.get_fields())


def pipeline_sources() -> dict[str, bool]:
    """Which pipeline steps have a source table in this installation: a step whose table
    does not exist yet (the meetings app's decisions, say) is shown as "no data yet"."""
    plan = _model("interventions.InterventionPlan")
    decision = _model("meetings.Decision")
    meetings = _has_field(decision, "is_override") and _has_field(decision, "type")
    progress = _model("interventions.ProgressScore") is not None
    return {
        "screened": True,
        "at_risk": True,
        "flagged": _model("decisions.Flag") is not None,
        "placed": plan is not None,
        "fidelity": _model("interventions.InterventionSession") is not None and progress,
        "responding": progress,
        "exited": progress,
        "referred": meetings,
        "overridden": True,
        "meetings": meetings,
    }


PLAN_SETS = ("fidelity_known", "fidelity_ok", "trend_known", "responding", "exited")
PIPELINE_COLUMNS = (
    "race_ethnicity",
    "sex",
    "english_learner",
    "iep",
    "section_504",
    "economically_disadvantaged",
    "screened",
    "classified",
    "at_risk",
    "flagged",
    "placed",
    "decided",
    "overridden",
    "referred",
    *PLAN_SETS,
)


def _int_array(values: Iterable[int]) -> str:
    """An array literal for `%(name)s::bigint[]` (or int[]). psycopg quotes a list element by
    element, about a microsecond each: ~50 ms for a district's 25,000 students with plans;
    one string of digits costs nothing."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"


def _plan_bits(plan_sets: dict[str, Iterable[int]]) -> tuple[str, str]:
    """Students with at least one plan-derived step, and for each a bit per PLAN_SETS step:
    two parallel arrays, so the query joins them once instead of probing five sets."""
    bits: dict[int, int] = {}
    for i, key in enumerate(PLAN_SETS):
        for student_id in plan_sets.get(key, ()):
            bits[student_id] = bits.get(student_id, 0) | (1 << i)
    return _int_array(bits), _int_array(bits.values())


def pipeline_counts(f: Filters, *, plan_sets: dict[str, Iterable[int]] | None = None) -> list[dict]:
    """Students grouped by their groups (race/ethnicity, sex, EL, IEP, 504, economically
    disadvantaged) and by where they are in the pipeline this year and window; `n` counts
    the students of each combination. One query; analysis.py turns it into each step's
    N and X per group.

    `plan_sets`: students per plan-derived step (analysis.student_plan_flags), passed in as
    arrays so the grouping stays in the database.

    Columns: PIPELINE_COLUMNS and n.

    Shape, for a district (50,000 students, ~1,500 combinations): the per-student rows are
    a MATERIALIZED CTE, so the final GROUP BY sees columns without statistics and hashes
    them; grouped straight off the joins, PostgreSQL expected one group per student and
    sorted 50,000 rows on 19 keys (text under the database's collation first), a third of
    the query's time.
    """
    where, params = _student_where(f)
    dom_scores, dparams = _domain_condition(f)
    # The measure is joined only to filter on its domain: every score has one.
    measure_join = " JOIN screening_measure m ON m.id = s.measure_id" if f.domain else ""
    flag_dom = " AND fl.domain = %(domain)s" if f.domain else ""
    plan_dom = " AND p.domain = %(domain)s" if f.domain else ""
    dec_dom = " AND (d.domain = %(domain)s OR d.domain = '')" if f.domain else ""
    window_id = f.window.pk if f.window else None
    plan_students, plan_bits = _plan_bits(plan_sets or {})
    set_columns = ", ".join(
        f"COALESCE((plans.bits & {1 << i}) <> 0, FALSE) AS {k}" for i, k in enumerate(PLAN_SETS)
    )
    if pipeline_sources()["meetings"]:
        decisions = f"""
    , dec AS (
        SELECT d.student_id,
               BOOL_OR(d.type = 'refer_evaluation') AS referred,
               BOOL_OR(d.follows_rule IS NOT NULL) AS judged,
               BOOL_OR(d.is_override) AS overridden
        FROM meetings_decision d
        WHERE d.created_at::date BETWEEN %(year_start)s AND %(year_end)s
          {_narrow(f, "d.student_id")}{dec_dom}
        GROUP BY d.student_id
    )"""
        dec_join = "LEFT JOIN dec ON dec.student_id = pop.id"
        referred = "COALESCE(dec.referred, FALSE)"
        decided = "COALESCE(fl.decided, FALSE) OR COALESCE(dec.judged, FALSE)"
        overridden = "COALESCE(fl.overridden, FALSE) OR COALESCE(dec.overridden, FALSE)"
    else:
        decisions, dec_join, referred = "", "", "FALSE"
        decided = "COALESCE(fl.decided, FALSE)"
        overridden = "COALESCE(fl.overridden, FALSE)"
    columns = ", ".join(PIPELINE_COLUMNS)
    sql = f"""
    WITH pop AS (
        SELECT st.id, st.race_ethnicity, st.sex, st.english_learner, st.iep, st.section_504,
               st.economically_disadvantaged
        FROM students_student st WHERE {where}
    ),
    sc AS (
        SELECT s.student_id, {TIER_SQL} AS tier
        FROM screening_screeningscore s{measure_join}
        WHERE s.window_id = %(window)s {dom_scores}{_narrow(f, "s.student_id")}
        GROUP BY s.student_id
    ),
    fl AS (
        SELECT fl.student_id,
               BOOL_OR(fl.status IN ('accepted', 'dismissed')) AS decided,
               BOOL_OR(fl.status = 'dismissed') AS overridden
        FROM decisions_flag fl
        WHERE fl.school_year_id = %(year)s AND fl.school_id = ANY(%(schools)s)
          AND fl.student_id IS NOT NULL{_narrow(f, "fl.student_id")} {flag_dom}
        GROUP BY fl.student_id
    ){decisions},
    plans AS (
        SELECT * FROM unnest(%(plan_students)s::bigint[], %(plan_bits)s::int[])
            AS u(student_id, bits)
    ),
    per_student AS MATERIALIZED (
        SELECT pop.race_ethnicity, pop.sex, pop.english_learner, pop.iep, pop.section_504,
               pop.economically_disadvantaged,
               sc.student_id IS NOT NULL AS screened,
               COALESCE(sc.tier IS NOT NULL, FALSE) AS classified,
               COALESCE(sc.tier >= 2, FALSE) AS at_risk,
               fl.student_id IS NOT NULL AS flagged,
               EXISTS (SELECT 1 FROM interventions_interventionplan p WHERE p.student_id = pop.id
                       AND p.start_date BETWEEN %(year_start)s AND %(year_end)s{plan_dom}) AS placed,
               {decided} AS decided,
               {overridden} AS overridden,
               {referred} AS referred,
               {set_columns}
        FROM pop
        LEFT JOIN sc ON sc.student_id = pop.id
        LEFT JOIN fl ON fl.student_id = pop.id
        {dec_join}
        LEFT JOIN plans ON plans.student_id = pop.id
    )
    SELECT {columns}, COUNT(*) AS n FROM per_student GROUP BY {columns}
    """
    return fetch_dicts(
        sql,
        {
            **params,
            **dparams,
            "plan_students": plan_students,
            "plan_bits": plan_bits,
            "window": window_id,
            "year": f.year.pk,
            "year_start": f.year.start_date,
            "year_end": f.year.end_date,
        },
    )


def pipeline_has_rows(f: Filters) -> dict[str, bool]:
    """Whether flags and plans exist at all in the chosen schools this year: with none, the
    step says "no data yet" (the rules have not run, no plan is recorded) rather than 0."""
    sql = """
    SELECT EXISTS (SELECT 1 FROM decisions_flag fl WHERE fl.school_year_id = %(year)s
                   AND fl.school_id = ANY(%(schools)s) AND fl.student_id IS NOT NULL) AS flags,
           EXISTS (SELECT 1 FROM interventions_interventionplan p
                   JOIN students_student st ON st.id = p.student_id
                   WHERE st.school_id = ANY(%(schools)s)
                     AND p.start_date BETWEEN %(year_start)s AND %(year_end)s) AS plans,
           EXISTS (SELECT 1 FROM decisions_flag fl WHERE fl.school_year_id = %(year)s
                   AND fl.school_id = ANY(%(schools)s)
                   AND fl.status IN ('accepted', 'dismissed')) AS decisions
    """
    [row] = fetch_dicts(
        sql,
        {
            "year": f.year.pk,
            "schools": list(f.school_ids),
            "year_start": f.year.start_date,
            "year_end": f.year.end_date,
        },
    )
    return row


# -- interventions -----------------------------------------------------------------------------


def plan_outcomes(f: Filters, *, goal_points: int = 3) -> list[dict]:
    """Intervention plans started this school year for students of the filters, one row per
    plan: plan_id, student_id, school_id, intervention, status, higher_is_better, points,
    trend_slope, aim_slope, fidelity and goal_met (the last `goal_points` points at or beyond
    the goal), as defined in interventions.progress_summary (the definitions of
    decisions.progress_rules; tests/dashboards/test_selectors.py checks both agree).

    The figures come from the plans' stored rows (interventions.PlanProgress, kept current by
    the services and refreshed nightly), so a district's ~30,000 plans cost one join rather
    than re-reading their points and sessions. A plan without a stored row, or with one stored
    for a later day than `as_of` and counting a point after `as_of` (a plan of a past school
    year that went on after the year's end), is worked out live in one more query."""
    from interventions import progress_summary

    where, params = _student_where(f)
    plan_dom = " AND p.domain = %(domain)s" if f.domain else ""
    as_of = f.as_of or f.year.end_date
    figure_columns = ", ".join(f"pp.{c}" for c in progress_summary.FIGURES)
    sql = f"""
        SELECT p.id AS plan_id, p.student_id, st.school_id, i.name AS intervention, p.status,
               COALESCE(m.higher_is_better, TRUE) AS higher_is_better,
               pp.plan_id IS NOT NULL AS stored, {figure_columns}
        FROM interventions_interventionplan p
        JOIN interventions_intervention i ON i.id = p.intervention_id
        JOIN students_student st ON st.id = p.student_id
        LEFT JOIN screening_measure m ON m.id = p.measure_id
        LEFT JOIN interventions_planprogress pp
               ON pp.plan_id = p.id
              -- A row stored later still fits when its last counted point is on or before
              -- the day asked about: no point between the two days, so the same figures.
              AND (pp.as_of <= %(as_of)s OR pp.latest IS NULL OR pp.latest <= %(as_of)s)
        WHERE p.start_date BETWEEN %(year_start)s AND %(year_end)s AND {where}{plan_dom}
    """
    rows = fetch_dicts(
        sql,
        {
            **params,
            "domain": f.domain,
            "year_start": f.year.start_date,
            "year_end": f.year.end_date,
            "as_of": as_of,
        },
    )
    missing = [r["plan_id"] for r in rows if not r["stored"]]
    live = {r["plan_id"]: r for r in progress_summary.figures(missing, as_of=as_of)}
    for row in rows:
        if not row.pop("stored"):
            row.update(live[row["plan_id"]])
        row["goal_met"] = row["goal_streak"] is not None and row["goal_streak"] >= goal_points
        del row["goal_streak"], row["latest"]
    return rows


def district_thresholds(district_id: int):  # -> decisions.thresholds.Thresholds
    """The district's active decision-rule thresholds (defaults when it has none)."""
    from decisions.models import RuleSet
    from decisions.thresholds import DEFAULT_THRESHOLDS

    rule_set = RuleSet.objects.filter(district_id=district_id, is_active=True).first()
    return rule_set.as_thresholds() if rule_set is not None else DEFAULT_THRESHOLDS


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


# -- behavior ----------------------------------------------------------------------------------


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


def referral_bands(f: Filters) -> list[dict]:
    """Students of the filters by their number of referrals this year (0-1, 2-5, 6+)."""
    where, params = _student_where(f)
    sql = f"""
    WITH c AS (
        SELECT st.id, COUNT(r.id) AS referrals
        FROM students_student st
        LEFT JOIN screening_referral r ON r.student_id = st.id AND r.school_year_id = %(year)s
             AND r.date <= %(as_of)s
        WHERE {where}
        GROUP BY st.id
    )
    SELECT CASE WHEN referrals <= 1 THEN 1 WHEN referrals <= 5 THEN 2 ELSE 3 END AS band,
           COUNT(*) AS n
    FROM c GROUP BY 1
    """
    return fetch_dicts(sql, {**params, "year": f.year.pk, "as_of": f.as_of or f.year.end_date})


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
    return list(
        qs.annotate(
            referral_count=Count(
                "referrals",
                filter=Q(
                    referrals__school_year_id=f.year.pk,
                    referrals__date__lte=f.as_of or f.year.end_date,
                ),
            ),
        )
        .filter(referral_count__gt=0)
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


def group_q(group: str) -> Q:
    """The student-group filter as an ORM condition (the same groups as FLAG_GROUPS etc.)."""
    if group in FLAG_GROUPS:
        return Q(**{group: True})
    if group.startswith("race:"):
        return Q(race_ethnicity=group.split(":", 1)[1])
    if group.startswith("sex:"):
        return Q(sex=group.split(":", 1)[1])
    return Q()
