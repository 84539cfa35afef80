"""The equity pipeline: students per group and step, and which steps have data yet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.apps import apps
from django.db import connection

from dashboards import figure_cache
from dashboards.panel_reads import Reads
from dashboards.pipeline_columns import PIPELINE_COLUMNS, PLAN_SETS
from dashboards.selectors.conditions import Filters, _student_where
from dashboards.selectors.pipeline_parts import bits_for, params_material, read_part, unroll
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


GROUP_COLUMNS = PIPELINE_COLUMNS[:6]
STEP_COLUMNS = PIPELINE_COLUMNS[6:]
# Each step column from the parts (selectors.pipeline_parts): true when any of its
# (part, bit) is set. The decisions part counts only where the meetings app is installed.
STEP_BITS: dict[str, tuple[tuple[str, int], ...]] = {
    "screened": (("sc", 1),),
    "classified": (("sc", 2),),
    "at_risk": (("sc", 4),),
    "flagged": (("fl", 1),),
    "placed": (("placed", 1),),
    "decided": (("fl", 2), ("dec", 4)),
    "overridden": (("fl", 4), ("dec", 8)),
    "referred": (("dec", 2),),
    "major_referral": (("disc", 2),),
    "suspended": (("disc", 4),),
    "attendance_known": (("att", 1),),
    "chronic_absent": (("att", 2),),
    "marks_known": (("mk", 1),),
    "course_failing": (("mk", 2),),
}


@dataclass(frozen=True)
class Population:
    """The filters' students, by id, with their groups as codes."""

    ids: np.ndarray
    race: np.ndarray  # index into race_values
    sex: np.ndarray  # index into sex_values
    flags: np.ndarray  # bit i: GROUP_COLUMNS[2 + i]
    race_values: tuple[str, ...]
    sex_values: tuple[str, ...]


def population(f: Filters) -> Population:
    """The students the pipeline counts (`_student_where`), kept in the dashboards' cache
    while the students table is unchanged."""
    where, params = _student_where(f)
    flags = " | ".join(f"(st.{c}::int << {i})" for i, c in enumerate(GROUP_COLUMNS[2:]))
    # Grouped in the database: a few dozen rows of id arrays rather than a Python row per
    # student (~25 ms instead of ~70 ms for a district of 50,000).
    sql = f"""
        SELECT st.race_ethnicity, st.sex, {flags} AS flags, array_agg(st.id)
        FROM students_student st WHERE {where} GROUP BY 1, 2, 3
    """

    def build() -> Population:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            groups = cursor.fetchall()
        race_values = tuple(sorted({g[0] for g in groups}))
        sex_values = tuple(sorted({g[1] for g in groups}))
        ids, spread = unroll(groups)
        return Population(
            ids=ids,
            race=spread([race_values.index(g[0]) for g in groups]),
            sex=spread([sex_values.index(g[1]) for g in groups]),
            flags=spread([g[2] for g in groups]),
            race_values=race_values,
            sex_values=sex_values,
        )

    return figure_cache.remember(
        "pipeline-population",
        (sql, params_material(params)),
        reads=Reads(("students_student",)),
        windows=[],
        build=build,
    )


def pipeline_count_columns(
    f: Filters,
    *,
    plan_sets: dict[str, Iterable[int]] | None = None,
    columns: Iterable[str] | None = None,
) -> dict[str, list]:
    """Students grouped by their groups (race/ethnicity, sex, EL, IEP, 504, economically
    disadvantaged) and by where they are in the pipeline this year and window; `n` counts
    the students of each combination; analysis.pipeline turns them into each step's N and X
    per group.

    `plan_sets`: students per plan-derived step (analysis.interventions.student_plan_flags).
    `columns`: the step columns wanted (default: all of STEP_COLUMNS); one step's figures
    (an earlier year of the three-year view, the district behind an alternate risk ratio)
    need two, and only their parts are read. Each column is worked out the same way either
    way, so the counts agree.

    Returned as columns ({name: values}): the group columns, the step columns asked for,
    and n (pipeline_counts: one dict per combination).

    The per-student facts come from selectors.pipeline_parts (each part cached under its
    own tables' data version) and are grouped here: ~1,500-6,000 combinations for a district
    of 50,000, by packing each student's groups and steps into one integer.
    """
    asked = set(STEP_COLUMNS if columns is None else columns)
    if unknown := asked - set(STEP_COLUMNS):
        raise ValueError(f"Not a pipeline step column: {', '.join(sorted(unknown))}.")
    wanted = [c for c in STEP_COLUMNS if c in asked]
    pop = population(f)
    meetings = pipeline_sources()["meetings"]
    terms = {
        c: [(p, bit) for p, bit in STEP_BITS.get(c, ()) if meetings or p != "dec"] for c in wanted
    }
    names = dict.fromkeys(p for c in wanted for p, _ in terms[c])
    parts = {p: bits_for(pop.ids, read_part(p, f)) for p in names}
    steps = np.zeros(len(pop.ids), dtype=np.int64)
    for i, c in enumerate(wanted):
        if c in PLAN_SETS:
            fact = np.isin(pop.ids, _ids((plan_sets or {}).get(c, ())))
        else:
            fact = np.zeros(len(pop.ids), dtype=bool)
            for p, bit in terms[c]:
                fact |= (parts[p] & bit) != 0
        steps |= fact.astype(np.int64) << i
    width = len(wanted)
    groups = (pop.race * len(pop.sex_values) + pop.sex) << 4 | pop.flags
    keys, counts = np.unique(groups << width | steps, return_counts=True)
    return _decode(pop, keys, counts, wanted)


def _ids(values: Iterable[int]) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values
    return np.fromiter(values, dtype=np.int64)


def pipeline_counts(f: Filters, **kwargs: Any) -> list[dict]:
    """pipeline_count_columns as one dict per combination."""
    columns = pipeline_count_columns(f, **kwargs)
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _decode(
    pop: Population, keys: np.ndarray, counts: np.ndarray, wanted: list[str]
) -> dict[str, list]:
    width = len(wanted)
    groups = keys >> width
    people = groups >> 4
    columns: dict[str, list] = {
        "race_ethnicity": [pop.race_values[i] for i in (people // len(pop.sex_values)).tolist()],
        "sex": [pop.sex_values[i] for i in (people % len(pop.sex_values)).tolist()],
    }
    for i, c in enumerate(GROUP_COLUMNS[2:]):
        columns[c] = ((groups >> i) & 1).astype(bool).tolist()
    for i, c in enumerate(wanted):
        columns[c] = ((keys >> i) & 1).astype(bool).tolist()
    columns["n"] = counts.tolist()
    return columns


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
