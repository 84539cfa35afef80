"""The classwide-problem rule (domain.md section 2): a class whose median screening score is
below the benchmark gets one classwide flag instead of a flag per student."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from decisions.rule_values import _group_slices, _number, _require, jsonable
from mtss.lib.thresholds import DEFAULT_THRESHOLDS, Thresholds

CLASSWIDE_INPUT = (
    "section_id",
    "measure_id",
    "domain",
    "window_id",
    "score",
    "benchmark",
    "higher_is_better",
)
CLASSWIDE_OUTPUT = (
    "section_id",
    "measure_id",
    "domain",
    "window_id",
    "n",
    "median_score",
    "benchmark",
    "median_gap",
    "flag",
    "evidence",
)


# --- classwide problem -------------------------------------------------------------------


def classwide_problems(
    scores: pd.DataFrame, *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """Sections whose median score on a measure is below the benchmark (VanDerHeyden 2007).

    Input, one row per (student's score, section the student is enrolled in): the columns of
    `CLASSWIDE_INPUT` (section_id, measure_id, domain, window_id, score, benchmark,
    higher_is_better), `benchmark` being that student's own grade/season benchmark.
    Optional `measure_code` and `measure_name` are carried into the evidence. Rows without a score or a
    benchmark are ignored (an unscored student is not a low score).

    A section whose students all share one benchmark (a single-grade class) is a problem
    when its median score is below that benchmark, exactly VanDerHeyden's rule. A mixed-grade
    section, where benchmarks differ, is judged by the median of each student's distance
    from their own grade's benchmark, d * (score - benchmark) with d = -1 for
    lower-is-better measures: a problem when that median is below 0. For a single benchmark
    both readings agree, since a median moves with a constant shift.

    Output, one row per (section_id, measure_id, window_id) with at least one scored
    student: section_id, measure_id, domain, window_id, n (students scored), median_score,
    benchmark (null for mixed benchmarks), median_gap, flag, evidence. With the classwide
    rule switched off in `thresholds`, every row has flag False (so open flags resolve).
    """
    _require(scores, CLASSWIDE_INPUT, "classwide scores")
    keys = ["section_id", "measure_id", "window_id"]
    df = scores.loc[
        scores["score"].notna() & scores["benchmark"].notna() & scores[keys].notna().all(axis=1)
    ].copy()
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CLASSWIDE_OUTPUT})
    for optional in ("measure_code", "measure_name"):
        if optional not in df.columns:
            df[optional] = None
    df["score"] = df["score"].astype(float)
    df["benchmark"] = df["benchmark"].astype(float)
    df["_d"] = np.where(df["higher_is_better"].astype(bool), 1.0, -1.0)
    df["_gap"] = df["_d"] * (df["score"] - df["benchmark"])
    df["_below"] = df["_gap"] < 0

    grouped = df.groupby(keys, sort=True)
    out = grouped.agg(
        domain=("domain", "first"),
        measure_code=("measure_code", "first"),
        measure_name=("measure_name", "first"),
        higher_is_better=("higher_is_better", "first"),
        n=("score", "size"),
        n_below=("_below", "sum"),
        median_score=("score", "median"),
        median_gap=("_gap", "median"),
        bench_min=("benchmark", "min"),
        bench_max=("benchmark", "max"),
        d=("_d", "first"),
    ).reset_index()
    # Each group's distinct benchmarks, sorted: one sort and slices (groups come in the same
    # key order as `out`), not a Python lambda per section.
    distinct = (
        df[[*keys, "benchmark"]].drop_duplicates().sort_values([*keys, "benchmark"], kind="stable")
    )
    values = distinct["benchmark"].tolist()
    benchmarks = pd.Series([values[a:b] for a, b in _group_slices(distinct[keys])])
    uniform = out["bench_min"] == out["bench_max"]
    out["benchmark"] = out["bench_min"].where(uniform)
    below = np.where(
        uniform,
        out["d"] * (out["median_score"] - out["bench_min"]) < 0,
        out["median_gap"] < 0,
    )
    out["flag"] = below & thresholds.classwide_enabled

    evidence = []
    for row, bench_list in zip(out.itertuples(index=False), benchmarks.tolist(), strict=True):
        evidence.append(
            {
                "kind": "classwide",
                "rule": "classwide_median",
                "rule_enabled": bool(thresholds.classwide_enabled),
                "section_id": jsonable(row.section_id),
                "measure_id": jsonable(row.measure_id),
                "measure_code": jsonable(row.measure_code),
                "measure_name": jsonable(row.measure_name),
                "domain": jsonable(row.domain),
                "window_id": jsonable(row.window_id),
                "higher_is_better": bool(row.higher_is_better),
                "n": int(row.n),
                "n_below_benchmark": int(row.n_below),
                "median_score": _number(row.median_score),
                "benchmark": _number(row.benchmark),
                "mixed_benchmarks": len(bench_list) > 1,
                "benchmarks": [_number(b) for b in bench_list],
                "median_gap": _number(row.median_gap),
                "classwide_problem": bool(row.flag),
            }
        )
    out["evidence"] = evidence
    out["n"] = out["n"].astype(int)
    out["flag"] = out["flag"].astype(bool)
    return out[list(CLASSWIDE_OUTPUT)]


def mark_classwide(
    recs: pd.DataFrame, classwide: pd.DataFrame, enrollments: pd.DataFrame
) -> pd.DataFrame:
    """Mark tier-2 recommendations of students in a section with a classwide problem.

    `recs`: output of `screening_tier_recommendations`. `classwide`: output of
    `classwide_problems` (only rows with flag True count). `enrollments`: student_id,
    section_id (the enrollments current in the window; a student in several sections is
    marked if any of them has a classwide problem in the same domain and window).

    Returns a copy of `recs` with a bool column `classwide`; marked rows get a new evidence
    dict with "classwide": [{section_id, measure_id, measure_code, median_score, benchmark,
    median_gap, n, n_below_benchmark}]. Tier 3 recommendations are not marked: an intensive
    individual need does not wait for core instruction to improve (domain.md marks Tier 2).
    """
    _require(recs, ("student_id", "domain", "window_id", "recommended_tier", "evidence"), "recs")
    _require(classwide, ("section_id", "domain", "window_id", "flag", "evidence"), "classwide")
    _require(enrollments, ("student_id", "section_id"), "enrollments")
    out = recs.copy()
    out["classwide"] = False
    problems = classwide.loc[classwide["flag"].astype(bool)]
    if out.empty or problems.empty:
        return out

    summary_keys = (
        "section_id",
        "measure_id",
        "measure_code",
        "measure_name",
        "median_score",
        "benchmark",
        "median_gap",
        "n",
        "n_below_benchmark",
    )
    problems = problems[["section_id", "domain", "window_id", "evidence"]].assign(
        _summary=[{k: ev.get(k) for k in summary_keys} for ev in problems["evidence"]]
    )
    links = enrollments[["student_id", "section_id"]].drop_duplicates()
    hits = links.merge(problems.drop(columns="evidence"), on="section_id", how="inner")
    # Plain dicts keyed by (student, domain, window): much faster than a grouped list
    # aggregation when tens of thousands of students sit in problem sections.
    per_student: dict[tuple[Any, Any, Any], list[dict[str, Any]]] = {}
    for key, summary in zip(
        zip(hits["student_id"], hits["domain"], hits["window_id"], strict=True),
        hits["_summary"],
        strict=True,
    ):
        per_student.setdefault(key, []).append(summary)

    out = out.reset_index(drop=True)
    found = [
        per_student.get(key)
        for key in zip(out["student_id"], out["domain"], out["window_id"], strict=True)
    ]
    marked = [
        summaries is not None and tier == 2
        for summaries, tier in zip(found, out["recommended_tier"].tolist(), strict=True)
    ]
    out["classwide"] = marked
    out["evidence"] = [
        {**ev, "classwide": summaries} if mark else ev
        for ev, mark, summaries in zip(out["evidence"], marked, found, strict=True)
    ]
    return out
