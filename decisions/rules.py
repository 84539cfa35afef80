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

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from decisions.classwide_rules import (
    CLASSWIDE_INPUT,
    CLASSWIDE_OUTPUT,
    classwide_problems,
    mark_classwide,
)
from decisions.rule_values import _group_slices, _require, _to_day, json_list, jsonable
from mtss.lib.thresholds import (
    DEFAULT_THRESHOLDS,
    Thresholds,
    odr_counted_severities,
    odr_tier,
)
from mtss.lib.vocabulary import Domain, RiskLevel

# The classwide rule and the JSON helpers live beside this module; callers import them here.
__all__ = [
    "CLASSWIDE_INPUT",
    "CLASSWIDE_OUTPUT",
    "ODR_OUTPUT",
    "RISK_OF_TIER",
    "SCREENING_INPUT",
    "SCREENING_OUTPUT",
    "TIER_OF_RISK",
    "classwide_problems",
    "json_list",
    "jsonable",
    "mark_classwide",
    "october_catch_date",
    "odr_recommendations",
    "odr_tier",
    "screening_tier_recommendations",
]

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
ODR_OUTPUT = (
    "student_id",
    "domain",
    "kind",
    "referrals",
    "recommended_tier",
    "flag",
    "evidence",
)


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

    Input: one row per referral, columns student_id, date and (optional) severity ("major" or
    "minor"; without the column every referral is taken as major). Only the severities
    `odr_counted_severities(thresholds)` names count: majors only by default, as SWIS counts
    them; minors too when the district switched `odr_count_minors` on. Referrals dated from
    `year_start` to `as_of` (both inclusive) count; earlier ones belong to last year and later
    ones are not yet known to a run dated `as_of`. `student_ids` (optional): every student to
    judge; students without referrals get Tier 1 rows, so their open ODR flags resolve (a
    student whose referrals are all minors gets Tier 1 rows too).

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
    "counted_severities", "recommended_tier"}.
    """
    _require(referrals, ("student_id", "date"), "referrals")
    counted_severities = odr_counted_severities(thresholds)
    start = pd.Timestamp(year_start)
    end = pd.Timestamp(as_of)
    catch_day = october_catch_date(year_start, thresholds)
    catch = pd.Timestamp(catch_day)

    df = referrals.loc[referrals["student_id"].notna()].copy()
    severity = df["severity"] if "severity" in df.columns else pd.Series("major", index=df.index)
    df = df[["student_id", "date"]]
    df["date"] = _to_day(df["date"]) if len(df) else pd.Series(dtype="datetime64[ns]")
    # Every student with a referral is judged (so a flag raised before minors stopped
    # counting resolves), but only the counted severities count.
    all_ids = list(dict.fromkeys([*(student_ids or []), *df["student_id"].tolist()]))
    df = df.loc[df["date"].notna() & severity.isin(counted_severities)]
    in_year = (df["date"] >= start) & (df["date"] <= end)
    df["_in_year"] = in_year
    df["_by_catch"] = in_year & (df["date"] <= catch)

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
        "counted_severities": list(counted_severities),
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
