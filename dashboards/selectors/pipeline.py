"""The equity pipeline: students per group and step, and which steps have data yet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps

from dashboards.pipeline_columns import PIPELINE_COLUMNS, PLAN_SETS
from dashboards.selectors.conditions import (
    TIER_SQL,
    Filters,
    _domain_condition,
    _narrow,
    _student_where,
)
from mtss.sql import fetch_dicts


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
        # Referrals are always recorded in the screening app; suspensions are the referrals
        # whose action taken was an in- or out-of-school suspension.
        "discipline": True,
        # Attendance summaries and course marks (the indicators app).
        "attendance": _model("indicators.AttendanceSummary") is not None,
        "marks": _model("indicators.CourseMark") is not None,
    }


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


GROUP_COLUMNS = PIPELINE_COLUMNS[:6]
STEP_COLUMNS = PIPELINE_COLUMNS[6:]


def pipeline_counts(
    f: Filters,
    *,
    plan_sets: dict[str, Iterable[int]] | None = None,
    columns: Iterable[str] | None = None,
) -> list[dict]:
    """Students grouped by their groups (race/ethnicity, sex, EL, IEP, 504, economically
    disadvantaged) and by where they are in the pipeline this year and window; `n` counts
    the students of each combination. One query; analysis.pipeline turns it into each
    step's N and X per group.

    `plan_sets`: students per plan-derived step (analysis.interventions.student_plan_flags),
    passed in as arrays so the grouping stays in the database.

    `columns`: the step columns wanted (default: all of STEP_COLUMNS). One step's figures
    (an earlier year of the three-year view, the district behind an alternate risk ratio)
    need two: the query then reads only their sources and groups far fewer combinations.
    Each column is the same expression either way, so the counts agree.

    Columns: the group columns, the step columns asked for, and n.

    Shape, for a district (50,000 students, ~1,500 combinations): the per-student rows are
    a MATERIALIZED CTE, so the final GROUP BY sees columns without statistics and hashes
    them; grouped straight off the joins, PostgreSQL expected one group per student and
    sorted 50,000 rows on 19 keys (text under the database's collation first), a third of
    the query's time. One step's query (8 keys, no plan probe) is left to the planner, which
    hashes it anyway: on the 50,000-student district the earlier years' "at risk" query took
    ~20% less, "major referrals" ~35% less; with "placed" (a probe of the plans per student)
    it sorted again, so that column keeps the CTE materialized.
    """
    asked = set(STEP_COLUMNS if columns is None else columns)
    if unknown := asked - set(STEP_COLUMNS):
        raise ValueError(f"Not a pipeline step column: {', '.join(sorted(unknown))}.")
    wanted = [c for c in STEP_COLUMNS if c in asked]
    where, params = _student_where(f)
    _, dparams = _domain_condition(f)
    meetings = pipeline_sources()["meetings"]
    parts = _sources(f, meetings=meetings)
    expressions = _expressions(f, meetings=meetings)
    plan_students, plan_bits = _plan_bits(plan_sets or {})
    needed = [name for name in parts if any(name in expressions[c][1] for c in wanted)]
    ctes = "".join(f",\n    {name} AS ({parts[name][0]})" for name in needed)
    joins = "\n        ".join(parts[name][1] for name in needed)
    selected = ", ".join([*GROUP_COLUMNS, *(f"{expressions[c][0]} AS {c}" for c in wanted)])
    grouped = ", ".join([*GROUP_COLUMNS, *wanted])
    materialized = "MATERIALIZED" if columns is None or "placed" in wanted else "NOT MATERIALIZED"
    sql = f"""
    WITH pop AS (
        SELECT st.id, st.race_ethnicity, st.sex, st.english_learner, st.iep, st.section_504,
               st.economically_disadvantaged
        FROM students_student st WHERE {where}
    ){ctes},
    per_student AS {materialized} (
        SELECT {selected}
        FROM pop
        {joins}
    )
    SELECT {grouped}, COUNT(*) AS n FROM per_student GROUP BY {grouped}
    """
    return fetch_dicts(
        sql,
        {
            **params,
            **dparams,
            "plan_students": plan_students,
            "plan_bits": plan_bits,
            "window": f.window.pk if f.window else None,
            "year": f.year.pk,
            "year_start": f.year.start_date,
            "year_end": f.year.end_date,
            "as_of": f.as_of or f.year.end_date,
        },
    )


def _expressions(f: Filters, *, meetings: bool) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each step column: its expression over the per-student joins, and the sources (CTEs)
    it reads."""
    plan_dom = " AND p.domain = %(domain)s" if f.domain else ""
    if meetings:
        decided = ("COALESCE(fl.decided, FALSE) OR COALESCE(dec.judged, FALSE)", ("fl", "dec"))
        overridden = (
            "COALESCE(fl.overridden, FALSE) OR COALESCE(dec.overridden, FALSE)",
            ("fl", "dec"),
        )
        referred = ("COALESCE(dec.referred, FALSE)", ("dec",))
    else:
        decided = ("COALESCE(fl.decided, FALSE)", ("fl",))
        overridden = ("COALESCE(fl.overridden, FALSE)", ("fl",))
        referred = ("FALSE", ())
    out = {
        "screened": ("sc.student_id IS NOT NULL", ("sc",)),
        "classified": ("COALESCE(sc.tier IS NOT NULL, FALSE)", ("sc",)),
        "at_risk": ("COALESCE(sc.tier >= 2, FALSE)", ("sc",)),
        "flagged": ("fl.student_id IS NOT NULL", ("fl",)),
        "placed": (
            "EXISTS (SELECT 1 FROM interventions_interventionplan p WHERE p.student_id = pop.id"
            f" AND p.start_date BETWEEN %(year_start)s AND %(year_end)s{plan_dom})",
            (),
        ),
        "decided": decided,
        "overridden": overridden,
        "referred": referred,
        "major_referral": ("COALESCE(disc.major_referral, FALSE)", ("disc",)),
        "suspended": ("COALESCE(disc.suspended, FALSE)", ("disc",)),
        "attendance_known": ("att.student_id IS NOT NULL", ("att",)),
        "chronic_absent": ("COALESCE(att.chronic, FALSE)", ("att",)),
        "marks_known": ("mk.student_id IS NOT NULL", ("mk",)),
        "course_failing": ("COALESCE(mk.failing, FALSE)", ("mk",)),
    }
    for i, key in enumerate(PLAN_SETS):
        out[key] = (f"COALESCE((plans.bits & {1 << i}) <> 0, FALSE)", ("plans",))
    return out


def _sources(f: Filters, *, meetings: bool) -> dict[str, tuple[str, str]]:
    """The per-student sources, in the order they are joined: name -> (CTE body, join)."""
    # The measure is joined only to filter on its domain: every score has one.
    measure_join = " JOIN screening_measure m ON m.id = s.measure_id" if f.domain else ""
    dom_scores = " AND m.domain = %(domain)s" if f.domain else ""
    flag_dom = " AND fl.domain = %(domain)s" if f.domain else ""
    plan_dom = " AND p.domain = %(domain)s" if f.domain else ""
    dec_dom = " AND (d.domain = %(domain)s OR d.domain = '')" if f.domain else ""
    out: dict[str, tuple[str, str]] = {
        "sc": (
            f"""
        SELECT s.student_id, {TIER_SQL} AS tier
        FROM screening_screeningscore s{measure_join}
        WHERE s.window_id = %(window)s {dom_scores}{_narrow(f, "s.student_id")}
        GROUP BY s.student_id
    """,
            "LEFT JOIN sc ON sc.student_id = pop.id",
        ),
        "fl": (
            f"""
        SELECT fl.student_id,
               BOOL_OR(fl.status IN ('accepted', 'dismissed')) AS decided,
               BOOL_OR(fl.status = 'dismissed') AS overridden
        FROM decisions_flag fl
        WHERE fl.school_year_id = %(year)s AND fl.school_id = ANY(%(schools)s)
          AND fl.student_id IS NOT NULL{_narrow(f, "fl.student_id")} {flag_dom}
        GROUP BY fl.student_id
    """,
            "LEFT JOIN fl ON fl.student_id = pop.id",
        ),
    }
    if meetings:
        out["dec"] = (
            f"""
        -- Team decisions and plan-page/API decisions, each with its recorded judgement
        -- (meetings.alignment.judge, interventions.analysis.judgement): "overridden" is a
        -- decision judged against the rules that apply to it, not against an older flag.
        SELECT j.student_id, BOOL_OR(j.referred) AS referred, BOOL_OR(j.judged) AS judged,
               BOOL_OR(j.overridden) AS overridden
        FROM (
            SELECT d.student_id, d.type = 'refer_evaluation' AS referred,
                   d.follows_rule IS NOT NULL AS judged,
                   d.is_override OR d.follows_rule IS FALSE AS overridden
            FROM meetings_decision d
            WHERE d.created_at::date BETWEEN %(year_start)s AND %(year_end)s
              {_narrow(f, "d.student_id")}{dec_dom}
            UNION ALL
            SELECT pd.student_id, FALSE, pd.follows_rule IS NOT NULL,
                   pd.is_override OR pd.follows_rule IS FALSE
            FROM interventions_plandecision pd
            JOIN interventions_interventionplan p ON p.id = pd.plan_id
            WHERE pd.created_at::date BETWEEN %(year_start)s AND %(year_end)s
              {_narrow(f, "pd.student_id")}{plan_dom}
        ) j
        GROUP BY j.student_id
    """,
            "LEFT JOIN dec ON dec.student_id = pop.id",
        )
    out["disc"] = (
        f"""
        SELECT r.student_id,
               BOOL_OR(r.severity = 'major') AS major_referral,
               BOOL_OR(r.action_taken IN ('in_school_suspension', 'out_of_school_suspension'))
                   AS suspended
        FROM screening_referral r
        WHERE r.school_year_id = %(year)s AND r.school_id = ANY(%(schools)s)
          AND r.date <= %(as_of)s{_narrow(f, "r.student_id")}
        GROUP BY r.student_id
    """,
        "LEFT JOIN disc ON disc.student_id = pop.id",
    )
    out["att"] = (
        f"""
        SELECT a.student_id, BOOL_OR(a.chronic) AS chronic
        FROM indicators_attendancesummary a
        WHERE a.school_year_id = %(year)s AND a.school_id = ANY(%(schools)s)
          {_narrow(f, "a.student_id")}
        GROUP BY a.student_id
    """,
        "LEFT JOIN att ON att.student_id = pop.id",
    )
    out["mk"] = (
        f"""
        SELECT m.student_id, BOOL_OR(NOT m.passing) AS failing
        FROM (SELECT DISTINCT ON (c.student_id, c.course_code) c.student_id, c.passing
              FROM indicators_coursemark c
              WHERE c.school_year_id = %(year)s AND c.school_id = ANY(%(schools)s)
                {_narrow(f, "c.student_id")}
              ORDER BY c.student_id, c.course_code, c.period_end DESC) m
        GROUP BY m.student_id
    """,
        "LEFT JOIN mk ON mk.student_id = pop.id",
    )
    out["plans"] = (
        """
        SELECT * FROM unnest(%(plan_students)s::bigint[], %(plan_bits)s::int[])
            AS u(student_id, bits)
    """,
        "LEFT JOIN plans ON plans.student_id = pop.id",
    )
    return out


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
                   AND fl.status IN ('accepted', 'dismissed')) AS decisions,
           EXISTS (SELECT 1 FROM screening_referral r WHERE r.school_year_id = %(year)s
                   AND r.school_id = ANY(%(schools)s)) AS referrals,
           EXISTS (SELECT 1 FROM indicators_attendancesummary a
                   WHERE a.school_year_id = %(year)s AND a.school_id = ANY(%(schools)s))
               AS attendance,
           EXISTS (SELECT 1 FROM indicators_coursemark c
                   WHERE c.school_year_id = %(year)s AND c.school_id = ANY(%(schools)s)) AS marks
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
