"""Progress-monitoring rules for many plans at once: the district sweep's form of
`interventions.analysis.analyze_plan`.

Same rules, same order, same mirroring, same fidelity arithmetic; grouped pandas operations
instead of a Python loop per plan (OLS from grouped centred sums, last-k checks from
`groupby().tail()`). tests/decisions/test_progress_rules.py checks with random plans that
both give the same recommendation, rule and dual-discrepancy flag, and slopes within 1e-9.
The evidence dicts are built in decisions/progress_evidence.py.

Column contracts (docs/rules.md):

plans, one row per plan (its current phase): plan_id (unique), phase_start, goal, goal_date,
baseline (null -> median of the first three points of the phase), higher_is_better, tier,
tolerance (null -> the rule set's default), sessions_per_week (null -> fidelity unknown),
benchmark (the progress measure's benchmark this season, null if none). Optional
(`PLAN_OPTIONAL`): exit_goal_met_points and exit_at_benchmark_screening (the intervention's exit
criteria; null -> the rule set's default), screening_at_benchmark (the latest screening in the
domain since the phase start; null -> none yet), growth_norm and growth_norm_peers (peers'
growth criterion for the measure and grade; null -> dual discrepancy not judged).
points: plan_id, date, score. Rows of one plan on the same date keep their given order.
sessions (optional): plan_id, date, attended (bool).

Output, one row per plan, in the order of `plans`: plan_id, points, trend_slope, aim_slope,
tolerance, fidelity, recommendation, rule, dual_discrepancy, flag (the recommendation asks
the team to act: raise_goal, change_intervention, improve_fidelity or exit), evidence (the
same dict `analyze_plan` puts in `Analysis.evidence`). Numeric columns are floats with NaN
for "none"; evidence holds None instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from decisions.progress_evidence import (
    evidence_rows,
    floats,
    ints_or_none,
    iso_days,
    optional_bools,
    recent_points,
)
from decisions.thresholds import DEFAULT_THRESHOLDS, Thresholds
from interventions.analysis import EPS, Recommendation, Rule
from interventions.analysis.growth import dual_discrepancy_many

PLAN_INPUT = (
    "plan_id",
    "phase_start",
    "goal",
    "goal_date",
    "baseline",
    "higher_is_better",
    "tier",
    "tolerance",
    "sessions_per_week",
    "benchmark",
)
# Optional plan columns and their value when absent (docs/rules.md): the intervention's exit
# criteria (null: the rule set's default), the latest screening since the phase start, and
# peers' growth criterion for the measure and grade (interventions.analysis.growth).
PLAN_OPTIONAL: dict[str, Any] = {
    "exit_goal_met_points": np.nan,
    "exit_at_benchmark_screening": None,
    "screening_at_benchmark": None,
    "growth_norm": np.nan,
    "growth_norm_peers": np.nan,
}
PROGRESS_OUTPUT = (
    "plan_id",
    "points",
    "trend_slope",
    "aim_slope",
    "tolerance",
    "fidelity",
    "recommendation",
    "rule",
    "dual_discrepancy",
    "flag",
    "evidence",
)
ACTIONABLE = frozenset(
    {
        Recommendation.RAISE_GOAL.value,
        Recommendation.CHANGE_INTERVENTION.value,
        Recommendation.IMPROVE_FIDELITY.value,
        Recommendation.EXIT.value,
    }
)


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def _day(values: pd.Series) -> pd.Series:
    if len(values) == 0:
        return pd.Series(pd.to_datetime([]), index=values.index)
    return pd.to_datetime(values).dt.normalize()


def _per_plan(values: pd.Series, index: pd.Index, fill: Any = np.nan) -> np.ndarray:
    """A per-plan aggregate (indexed by plan_id) aligned to the plans' order."""
    return values.reindex(index, fill_value=fill).to_numpy()


def progress_recommendations(
    plans: pd.DataFrame,
    points: pd.DataFrame,
    sessions: pd.DataFrame | None = None,
    *,
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """Apply domain.md section 3 to every plan; see the module docstring for the columns."""
    t = thresholds
    _require(plans, PLAN_INPUT, "plans")
    _require(points, ("plan_id", "date", "score"), "points")
    if plans["plan_id"].duplicated().any():
        raise ValueError("plans: plan_id must be unique (one row per plan's current phase)")
    if sessions is None:
        sessions = pd.DataFrame({"plan_id": [], "date": [], "attended": []})
    _require(sessions, ("plan_id", "date", "attended"), "sessions")

    p = plans.reset_index(drop=True).copy()
    for column, absent in PLAN_OPTIONAL.items():
        if column not in p.columns:
            p[column] = absent
    ids = pd.Index(p["plan_id"])
    start = _day(p["phase_start"])
    goal_date = _day(p["goal_date"])
    asof = pd.Timestamp(as_of)
    goal = p["goal"].astype(float).to_numpy()
    d = np.where(p["higher_is_better"].astype(bool).to_numpy(), 1.0, -1.0)
    tol = p["tolerance"].astype(float).fillna(float(t.default_tolerance)).to_numpy()
    given_baseline = p["baseline"].astype(float).to_numpy()
    spw = p["sessions_per_week"].astype(float).to_numpy()
    benchmark = p["benchmark"].astype(float).to_numpy()
    tier = p["tier"].astype(int).to_numpy()
    # Exit criteria: the intervention's own values win where its catalog entry sets them.
    own_k = p["exit_goal_met_points"].notna().to_numpy()
    k_plan = (
        p["exit_goal_met_points"].astype(float).fillna(float(t.goal_met_points)).astype(int)
    ).to_numpy()
    exit_screen = np.array(
        [
            t.exit_at_benchmark_screening if v is None or v != v else bool(v)
            for v in p["exit_at_benchmark_screening"].astype(object).tolist()
        ],
        dtype=bool,
    )
    screen_at_bench = np.array(
        [v is True or v is np.True_ for v in p["screening_at_benchmark"].astype(object).tolist()],
        dtype=bool,
    )
    norm_growth = p["growth_norm"].astype(float).to_numpy()
    norm_peers = p["growth_norm_peers"].astype(float).to_numpy()

    # --- points of the current phase, sorted by plan, date, entry order -------------------
    plan_start = pd.DataFrame({"plan_id": p["plan_id"], "_start": start})
    pts = points[["plan_id", "date", "score"]].copy()
    pts["_order"] = np.arange(len(pts))
    pts["_day"] = _day(pts["date"])
    pts = pts.merge(plan_start, on="plan_id", how="inner")
    pts = pts.loc[(pts["_day"] >= pts["_start"]) & (pts["_day"] <= asof)]
    pts = pts.sort_values(["plan_id", "_day", "_order"], kind="stable").reset_index(drop=True)
    pts["score"] = pts["score"].astype(float)
    pts["_x"] = (pts["_day"] - pts["_start"]).dt.days.astype(float) / 7
    g = pts.groupby("plan_id", sort=False)

    n = _per_plan(g.size(), ids, 0).astype(int)
    latest_day = g["_day"].last().reindex(ids)
    first_day = g["_day"].first().reindex(ids)
    latest_score = _per_plan(g["score"].last(), ids)

    # --- baseline and aim slope ------------------------------------------------------------
    first3 = g.head(3).groupby("plan_id", sort=False)["score"]
    median3 = np.where(
        _per_plan(first3.size(), ids, 0) == 3, _per_plan(first3.median(), ids), np.nan
    )
    has_given = ~np.isnan(given_baseline)
    baseline = np.where(has_given, given_baseline, median3)
    baseline_source = np.where(
        has_given, "given", np.where(np.isnan(median3), "missing", "median_first_three")
    )
    goal_weeks = (goal_date - start).dt.days.astype(float).to_numpy() / 7
    with np.errstate(divide="ignore", invalid="ignore"):
        aim = np.where(goal_weeks > 0, (goal - baseline) / goal_weeks, np.nan)
    aim = np.where(np.isnan(baseline), np.nan, aim)

    # --- OLS trend from grouped centred sums -----------------------------------------------
    pts["_dx"] = pts["_x"] - g["_x"].transform("sum") / g["_x"].transform("size")
    pts["_dy"] = pts["score"] - g["score"].transform("sum") / g["score"].transform("size")
    pts["_dxx"] = pts["_dx"] * pts["_dx"]
    pts["_dxy"] = pts["_dx"] * pts["_dy"]
    g = pts.groupby("plan_id", sort=False)
    sxx = _per_plan(g["_dxx"].sum(), ids)
    sxy = _per_plan(g["_dxy"].sum(), ids)
    x_spread = _per_plan(g["_x"].max() - g["_x"].min(), ids)
    mean_x = _per_plan(g["_x"].sum() / g["_x"].size(), ids)
    mean_y = _per_plan(g["score"].sum() / g["score"].size(), ids)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where((n >= 2) & (x_spread > 0), sxy / sxx, np.nan)
    intercept = mean_y - slope * mean_x

    # --- goal met: the plan's last k points at or above the goal ---------------------------
    pts["_from_end"] = g.cumcount(ascending=False)
    last_k = pts[["plan_id", "score", "_from_end"]].merge(
        pd.DataFrame({"plan_id": p["plan_id"], "_goal": goal, "_d": d, "_k": k_plan}),
        on="plan_id",
    )
    last_k = last_k.loc[last_k["_from_end"] < last_k["_k"]]
    last_k["_ok"] = last_k["_d"] * (last_k["score"] - last_k["_goal"]) >= 0
    gk = last_k.groupby("plan_id", sort=False)["_ok"]
    goal_met = (_per_plan(gk.size(), ids, 0) == k_plan) & _per_plan(gk.all(), ids, False).astype(
        bool
    )
    bench_exit = ~goal_met & exit_screen & screen_at_bench

    # --- data-point rule: the last run of points against the aim line ----------------------
    run = t.data_point_run
    recent = g.tail(run)[["plan_id", "_day", "_x", "score"]].merge(
        pd.DataFrame({"plan_id": p["plan_id"], "_b": baseline, "_aim": aim, "_d": d}),
        on="plan_id",
    )
    recent["_aim_value"] = recent["_b"] + recent["_aim"] * recent["_x"]
    recent_gap = recent["_d"] * (recent["score"] - recent["_aim_value"])
    recent["_above"] = recent_gap > EPS
    recent["_below"] = recent_gap < -EPS
    gr = recent.groupby("plan_id", sort=False)
    all_above = _per_plan(gr["_above"].all(), ids, False).astype(bool)
    all_below = _per_plan(gr["_below"].all(), ids, False).astype(bool)

    # --- the rules in order ----------------------------------------------------------------
    trend_gap = d * (slope - aim)
    no_aim = np.isnan(aim)
    exits = goal_met | bench_exit
    use_trend = ~exits & ~no_aim & (n >= t.min_points_trend) & ~np.isnan(slope)
    use_points = ~exits & ~no_aim & ~use_trend & (n >= t.min_points_data_point)
    rule = np.select(
        [goal_met, bench_exit, use_trend, use_points],
        [
            Rule.GOAL_MET.value,
            Rule.BENCHMARK_AT_SCREENING.value,
            Rule.TREND_LINE.value,
            Rule.DATA_POINT.value,
        ],
        Rule.NONE.value,
    )
    rec = np.select(
        [
            exits,
            use_trend & (trend_gap > tol + EPS),
            use_trend & (trend_gap < -tol - EPS),
            use_trend,
            use_points & all_above,
            use_points & all_below,
            use_points,
        ],
        [
            Recommendation.EXIT.value,
            Recommendation.RAISE_GOAL.value,
            Recommendation.CHANGE_INTERVENTION.value,
            Recommendation.CONTINUE.value,
            Recommendation.RAISE_GOAL.value,
            Recommendation.CHANGE_INTERVENTION.value,
            Recommendation.CONTINUE.value,
        ],
        Recommendation.INSUFFICIENT_DATA.value,
    )

    # --- fidelity: sessions from the phase start to the latest point -----------------------
    span = pd.DataFrame(
        {"plan_id": p["plan_id"], "_start": start, "_latest": latest_day.to_numpy()}
    )
    ses = sessions[["plan_id", "date", "attended"]].copy()
    ses["_day"] = _day(ses["date"])
    ses = ses.merge(span, on="plan_id", how="inner")
    ses = ses.loc[(ses["_day"] >= ses["_start"]) & (ses["_day"] <= ses["_latest"])]
    ses["_attended"] = ses["attended"].astype(bool).astype(int)
    gs = ses.groupby("plan_id", sort=False)["_attended"]
    logged = _per_plan(gs.size(), ids, 0).astype(int)
    attended = _per_plan(gs.sum(), ids, 0).astype(int)
    has_point = n > 0
    span_days = np.where(
        has_point, (latest_day.to_numpy() - start.to_numpy()) / np.timedelta64(1, "D") + 1, np.nan
    )
    planned = np.where(has_point & (spw > 0), spw * span_days / 7, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        fidelity = np.where(
            (logged > 0) & ~np.isnan(planned), np.minimum(1.0, attended / planned), np.nan
        )

    before_gate = rec.copy()
    gated = (rec == Recommendation.CHANGE_INTERVENTION.value) & (
        np.isnan(fidelity) | (fidelity < t.fidelity_minimum - EPS)
    )
    rec = np.where(gated, Recommendation.IMPROVE_FIDELITY.value, rec)

    dual, dual_status = dual_discrepancy_many(
        tier=tier,
        points=n,
        min_points=t.min_points_trend,
        trend_slope=slope,
        latest_score=latest_score,
        benchmark=benchmark,
        direction=d,
        fidelity=fidelity,
        fidelity_minimum=float(t.fidelity_minimum),
        norm_growth=norm_growth,
    )

    # --- evidence, the same dict analyze_plan builds (decisions.progress_evidence) --------
    has_span = ~np.isnan(span_days)
    columns: dict[str, list[Any]] = {
        "phase_start": iso_days(start),
        "as_of": [as_of.isoformat()] * len(p),
        "points": n.tolist(),
        "first_point_date": iso_days(first_day),
        "latest_point_date": iso_days(latest_day),
        "latest_score": floats(latest_score),
        "baseline": floats(baseline),
        "baseline_source": baseline_source.astype(str).tolist(),
        "goal": goal.astype(float).tolist(),
        "goal_date": iso_days(goal_date),
        "higher_is_better": (d > 0).tolist(),
        "aim_slope": floats(aim),
        "trend_slope": floats(slope),
        "trend_intercept": floats(intercept),
        "tolerance": tol.astype(float).tolist(),
        "fidelity": floats(fidelity),
        "sessions_attended": ints_or_none(attended, has_span),
        "sessions_logged": ints_or_none(logged, has_span),
        "sessions_planned": floats(planned),
        "span_days": [None if v is None else int(v) for v in floats(span_days)],
        "sessions_per_week": floats(spw),
        "tier": tier.tolist(),
        "benchmark": floats(benchmark),
        "rule": rule.astype(str).tolist(),
        "recommendation": rec.astype(str).tolist(),
        "recommendation_before_fidelity_gate": before_gate.astype(str).tolist(),
        "dual_discrepancy": dual.astype(bool).tolist(),
        "dual_discrepancy_status": dual_status.astype(str).tolist(),
        "growth_norm": floats(norm_growth),
        "growth_norm_peers": [None if v is None else int(v) for v in floats(norm_peers)],
        "goal_met_points": k_plan.tolist(),
        "goal_met_points_source": np.where(own_k, "intervention", "rule_set").tolist(),
        "exit_at_benchmark_screening": exit_screen.tolist(),
        "screening_at_benchmark": optional_bools(p["screening_at_benchmark"]),
    }
    evidence = evidence_rows(
        p["plan_id"].tolist(),
        columns,
        recent=recent_points(recent),
        constants={
            "fidelity_minimum": float(t.fidelity_minimum),
            "growth_percentile": int(t.dual_discrepancy_growth_percentile),
            "min_points_trend": t.min_points_trend,
            "min_points_data_point": t.min_points_data_point,
            "data_point_run": t.data_point_run,
        },
    )

    out = pd.DataFrame(
        {
            "plan_id": p["plan_id"],
            "points": n,
            "trend_slope": slope,
            "aim_slope": aim,
            "tolerance": tol,
            "fidelity": fidelity,
            "recommendation": rec.astype(str),
            "rule": rule.astype(str),
            "dual_discrepancy": dual.astype(bool),
        }
    )
    out["flag"] = out["recommendation"].isin(ACTIONABLE)
    out["evidence"] = evidence
    return out[list(PROGRESS_OUTPUT)]
