"""Screening-side decision rules of domain.md section 2, vectorised over a whole district.

Pure functions: pandas frames in, pandas frames out; no ORM, no clock, no settings. Each
output row carries an `evidence` dict that is JSON-ready (plain int / float / str / bool /
None / ISO dates, lists and dicts of those) so a sweep can store it on a Flag as is, and a
`flag` bool with one meaning across rules:

- `flag` True: the rule asks for an open flag with this evidence;
- `flag` False: the rule looked and found nothing; an open flag of the same key should be
  resolved;
- no row at all: the rule had no data to judge (for example an unclassified score), so an
  existing flag is left alone.

Column contracts are in each function's docstring and in docs/rules.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from mtss.lib.thresholds import DEFAULT_THRESHOLDS, Thresholds, odr_tier
from mtss.lib.vocabulary import Domain, RiskLevel

TIER_OF_RISK: dict[str, int] = {
    RiskLevel.AT_OR_ABOVE.value: 1,
    RiskLevel.SOME_RISK.value: 2,
    RiskLevel.HIGH_RISK.value: 3,
}
RISK_OF_TIER: dict[int, str] = {tier: risk for risk, tier in TIER_OF_RISK.items()}

SCREENING_INPUT = (
    "student_id",
    "domain",
    "measure_id",
    "measure_code",
    "measure_name",
    "window_id",
    "season",
    "grade",
    "score",
    "risk_level",
    "benchmark",
    "high_risk_cut",
    "higher_is_better",
    "cut_score_set_id",
    "cut_score_version",
    "percentile_rank",
)
SCREENING_OUTPUT = (
    "student_id",
    "domain",
    "window_id",
    "season",
    "grade",
    "recommended_tier",
    "risk_level",
    "flag",
    "evidence",
)
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
ODR_OUTPUT = (
    "student_id",
    "domain",
    "kind",
    "referrals",
    "recommended_tier",
    "flag",
    "evidence",
)


# --- JSON-ready values -------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def jsonable(value: Any) -> Any:
    """One value as plain JSON: numpy scalars unboxed, NaN/NA/NaT to None, dates to ISO."""
    if isinstance(value, np.generic):
        value = value.item()
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def _number(value: Any) -> float | int | None:
    """A score-like number: ints stay ints (38, not 38.0), others become floats."""
    value = jsonable(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    value = float(value)
    return int(value) if value.is_integer() else value


def json_list(values: pd.Series, kind: str = "any") -> list[Any]:
    """A whole column as JSON-ready Python values, converted column-wise (fast at scale).

    kind "number": floats, whole values as ints (38 rather than 38.0); "int": ints;
    "bool": bools; "any": Python scalars as they come (ids, strings). Missing -> None.
    """
    missing = values.isna().to_numpy()
    if kind in {"number", "int"}:
        numbers = pd.to_numeric(values.astype(object).where(~missing, np.nan)).astype(float)
        array = numbers.to_numpy()
        out = array.astype(object)
        whole = ~missing & (np.floor(array) == array) & np.isfinite(array)
        if kind == "int":
            whole = ~missing
        out[whole] = array[whole].astype(np.int64).astype(object)
    elif kind == "bool":
        out = values.astype(object).to_numpy().copy()
        out[~missing] = [bool(v) for v in out[~missing]]
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.dt.strftime("%Y-%m-%d").astype(object).to_numpy().copy()
    else:
        out = values.astype(object).to_numpy().copy()
    out[missing] = None
    result = out.tolist()
    if kind == "any" and values.dtype == object:
        # An object column may hold numpy scalars, Decimals or dates: convert those cells.
        result = [v if type(v) in _PLAIN else jsonable(v) for v in result]
    return result


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def _to_day(values: pd.Series) -> pd.Series:
    """Dates (date objects, strings or datetimes) as midnight timestamps."""
    return pd.to_datetime(values).dt.normalize()


def _group_slices(keys: pd.DataFrame) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal key rows in a frame already sorted by the keys."""
    if len(keys) == 0:
        return []
    change = np.zeros(len(keys), dtype=bool)
    change[0] = True
    for column in keys.columns:
        values = keys[column].to_numpy()
        change[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(change)
    stops = np.append(starts[1:], len(keys))
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


# --- screening risk -> tier per domain ---------------------------------------------------


def screening_tier_recommendations(scores: pd.DataFrame) -> pd.DataFrame:
    """Tier recommendation per (student, domain, window): the most intensive risk.

    Input, one row per classified screening score: the columns of `SCREENING_INPUT`
    (student_id, domain, measure_id, measure_code, measure_name, window_id, season, grade,
    score, risk_level, benchmark, high_risk_cut, higher_is_better, cut_score_set_id,
    cut_score_version, percentile_rank). `risk_level` is a `RiskLevel` value or null; null
    rows (no cut score, no norm group) are ignored. benchmark / high_risk_cut / cut-score
    columns / percentile_rank may be null (a percentile-classified score has no cut score).

    Output, one row per (student_id, domain, window_id) with at least one classified score:
    student_id, domain, window_id, season, grade, recommended_tier (1/2/3), risk_level (of
    that tier), flag (tier 2 or 3), evidence. Tier 1 rows are returned so a sweep can
    resolve a flag for a student now at benchmark.

    evidence = {"kind": "screening", "rule": "screening_risk", "domain", "window_id",
    "season", "grade", "recommended_tier", "risk_level", "scores": [one dict per
    contributing score: measure_id, measure_code, measure_name, score, risk_level, tier,
    benchmark, high_risk_cut, higher_is_better, cut_score_set_id, cut_score_version,
    percentile_rank, grade, decisive]}. `decisive` marks the scores at the recommended tier
    (ties: all of them); decisive scores come first, then by measure code.
    """
    _require(scores, SCREENING_INPUT, "screening scores")
    keys = ["student_id", "domain", "window_id"]
    df = scores.loc[scores["risk_level"].notna() & scores[keys].notna().all(axis=1)].copy()
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SCREENING_OUTPUT})

    df["risk_level"] = df["risk_level"].astype(str)
    unknown = sorted(set(df["risk_level"]) - set(TIER_OF_RISK))
    if unknown:
        raise ValueError(f"unknown risk level(s): {', '.join(unknown)}")
    df["_tier"] = df["risk_level"].map(TIER_OF_RISK).astype(int)
    df["_top"] = df.groupby(keys, sort=False)["_tier"].transform("max")
    df["_decisive"] = df["_tier"] == df["_top"]
    df["_code"] = df["measure_code"].fillna("").astype(str)
    df["_mid"] = df["measure_id"].astype(str)
    df = df.sort_values(
        [*keys, "_decisive", "_code", "_mid"],
        ascending=[True, True, True, False, True, True],
        kind="stable",
    ).reset_index(drop=True)

    # Column-wise conversion, then one zip: far cheaper than per-cell work in pandas.
    columns: dict[str, list[Any]] = {
        "measure_id": json_list(df["measure_id"]),
        "measure_code": json_list(df["measure_code"]),
        "measure_name": json_list(df["measure_name"]),
        "score": json_list(df["score"], "number"),
        "risk_level": df["risk_level"].tolist(),
        "tier": json_list(df["_tier"], "int"),
        "benchmark": json_list(df["benchmark"], "number"),
        "high_risk_cut": json_list(df["high_risk_cut"], "number"),
        "higher_is_better": json_list(df["higher_is_better"], "bool"),
        "cut_score_set_id": json_list(df["cut_score_set_id"]),
        "cut_score_version": json_list(df["cut_score_version"], "int"),
        "percentile_rank": json_list(df["percentile_rank"], "number"),
        "grade": json_list(df["grade"]),
        "decisive": json_list(df["_decisive"], "bool"),
    }
    names = list(columns)
    score_dicts = [
        dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)
    ]

    slices = _group_slices(df[keys])
    firsts = [start for start, _ in slices]
    out = df.loc[firsts, [*keys, "season", "grade", "_top"]].reset_index(drop=True)
    out = out.rename(columns={"_top": "recommended_tier"})
    out["recommended_tier"] = out["recommended_tier"].astype(int)
    out["risk_level"] = out["recommended_tier"].map(RISK_OF_TIER)
    out["flag"] = out["recommended_tier"] >= 2

    evidence = [
        {
            "kind": "screening",
            "rule": "screening_risk",
            "domain": domain,
            "window_id": window,
            "season": season,
            "grade": grade,
            "recommended_tier": tier,
            "risk_level": risk,
            "scores": score_dicts[start:stop],
        }
        for (start, stop), domain, window, season, grade, tier, risk in zip(
            slices,
            json_list(out["domain"]),
            json_list(out["window_id"]),
            json_list(out["season"]),
            json_list(out["grade"]),
            json_list(out["recommended_tier"], "int"),
            out["risk_level"].tolist(),
            strict=True,
        )
    ]
    out["evidence"] = evidence
    return out[list(SCREENING_OUTPUT)]


# --- classwide problem -------------------------------------------------------------------


def classwide_problems(
    scores: pd.DataFrame, *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """Sections whose median score on a measure is below the benchmark (VanDerHeyden 2007).

    Input, one row per (student's score, section the student is enrolled in): the columns of
    `CLASSWIDE_INPUT` (section_id, measure_id, domain, window_id, score, benchmark,
    higher_is_better), `benchmark` being that student's own grade/season benchmark.
    Optional `measure_code` is carried into the evidence. Rows without a score or a
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
    if "measure_code" not in df.columns:
        df["measure_code"] = None
    df["score"] = df["score"].astype(float)
    df["benchmark"] = df["benchmark"].astype(float)
    df["_d"] = np.where(df["higher_is_better"].astype(bool), 1.0, -1.0)
    df["_gap"] = df["_d"] * (df["score"] - df["benchmark"])
    df["_below"] = df["_gap"] < 0

    grouped = df.groupby(keys, sort=True)
    out = grouped.agg(
        domain=("domain", "first"),
        measure_code=("measure_code", "first"),
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


# --- office discipline referrals --------------------------------------------------------


def october_catch_date(year_start: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> date:
    """The catch deadline of a school year: the first 31 October (by default) on or after
    the year's start."""
    day = date(year_start.year, thresholds.october_catch_month, thresholds.october_catch_day)
    if day < year_start:
        day = date(year_start.year + 1, day.month, day.day)
    return day


def odr_recommendations(
    referrals: pd.DataFrame,
    *,
    year_start: date,
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    student_ids: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Office discipline referral bands and the October catch, per student, for one year.

    Input: one row per referral, columns student_id, date. Referrals dated from `year_start`
    to `as_of` (both inclusive) count; earlier ones belong to last year and later ones are
    not yet known to a run dated `as_of`. `student_ids` (optional): every student to judge;
    students without referrals get Tier 1 rows, so their open ODR flags resolve.

    Output: two rows per student, domain "behavior":
    - kind "odr": referrals = count this year, recommended_tier from the bands
      (0-1 -> 1, 2-5 -> 2, 6+ -> 3), flag when tier >= 2;
    - kind "october_catch": referrals = count dated on or before the catch date (31 October
      of the school year), flag when that count reaches 2. The flag is raised as soon as the
      2nd such referral exists (even in September) and stays raised for the rest of the school
      year: it records an early-year fact that predicts later problems (McIntosh et al. 2010).
      recommended_tier 2 when raised, else 1.
    evidence = {"kind", "rule", "year_start", "as_of", "referrals", "referral_dates",
    "tier2_at", "tier3_at", "october_catch_date", "october_referrals", "october_catch_count",
    "recommended_tier"}.
    """
    _require(referrals, ("student_id", "date"), "referrals")
    start = pd.Timestamp(year_start)
    end = pd.Timestamp(as_of)
    catch_day = october_catch_date(year_start, thresholds)
    catch = pd.Timestamp(catch_day)

    df = referrals.loc[referrals["student_id"].notna(), ["student_id", "date"]].copy()
    df["date"] = _to_day(df["date"]) if len(df) else pd.Series(dtype="datetime64[ns]")
    df = df.loc[df["date"].notna()]
    in_year = (df["date"] >= start) & (df["date"] <= end)
    df["_in_year"] = in_year
    df["_by_catch"] = in_year & (df["date"] <= catch)

    all_ids = list(dict.fromkeys([*(student_ids or []), *df["student_id"].tolist()]))
    counted = df.loc[df["_in_year"]].sort_values(["student_id", "date"], kind="stable")
    # Slices of the sorted frame instead of a per-group lambda: fast for 50,000 students.
    iso = json_list(counted["date"])
    sorted_ids = counted["student_id"].tolist()
    dates_map = {sorted_ids[a]: iso[a:b] for a, b in _group_slices(counted[["student_id"]])}
    oct_map = df.loc[df["_by_catch"], "student_id"].value_counts().to_dict()

    behavior = Domain.BEHAVIOR.value
    constant = {
        "domain": behavior,
        "year_start": year_start.isoformat(),
        "as_of": as_of.isoformat(),
        "tier2_at": thresholds.odr_tier2_at,
        "tier3_at": thresholds.odr_tier3_at,
        "october_catch_date": catch_day.isoformat(),
        "october_catch_count": thresholds.october_catch_count,
    }
    rows = []
    for student in all_ids:
        dates = dates_map.get(student, [])
        count = len(dates)
        in_october = int(oct_map.get(student, 0))
        tier = odr_tier(count, thresholds)
        caught = in_october >= thresholds.october_catch_count
        base = {
            **constant,
            "referrals": count,
            "referral_dates": dates,
            "october_referrals": in_october,
        }
        rows.append(
            {
                "student_id": student,
                "domain": behavior,
                "kind": "odr",
                "referrals": count,
                "recommended_tier": tier,
                "flag": tier >= 2,
                "evidence": {"kind": "odr", "rule": "odr_bands", **base, "recommended_tier": tier},
            }
        )
        rows.append(
            {
                "student_id": student,
                "domain": behavior,
                "kind": "october_catch",
                "referrals": in_october,
                "recommended_tier": 2 if caught else 1,
                "flag": caught,
                "evidence": {
                    "kind": "october_catch",
                    "rule": "october_catch",
                    **base,
                    "recommended_tier": 2 if caught else 1,
                },
            }
        )
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ODR_OUTPUT})
    return pd.DataFrame(rows, columns=list(ODR_OUTPUT))
