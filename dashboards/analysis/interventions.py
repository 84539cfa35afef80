"""Intervention tables: each plan's verdicts and the effectiveness of each intervention."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext, gettext_noop

from dashboards.analysis.table import Column, Table, _fmt_signed, _num, _rate_block
from dashboards.pipeline_columns import PLAN_SETS
from dashboards.suppression import hidden_label, show_count, show_percent
from interventions.analysis import is_responding


def plan_outcomes(
    plans: pd.DataFrame,
    recs: pd.DataFrame,
    *,
    fidelity_minimum: float = 0.8,
    default_tolerance: float = 0.5,
) -> pd.DataFrame:
    """Per plan: trend (ROI), responding (`interventions.analysis.is_responding`: the trend
    not below the aim slope by more than the measure's tolerance, mirrored for
    lower-is-better, the rule the plan analysis applies), fidelity and its 80 % check,
    exited with the goal met (a completed plan whose last points met the goal: the rules'
    goal-met test, since the exit reason is free text).

    `plans`: plan_id, student_id, school_id, intervention, status, higher_is_better.
    `recs`: plan_id, trend_slope, aim_slope, fidelity, rule, and optionally tolerance (the
    progress measure's; missing or null: `default_tolerance`, the rule set's)."""
    if "tolerance" not in recs.columns:
        recs = recs.assign(tolerance=None)
    merged = plans.merge(
        recs[["plan_id", "trend_slope", "aim_slope", "fidelity", "rule", "tolerance"]],
        on="plan_id",
        how="left",
    )
    d = np.where(
        merged.get("higher_is_better", pd.Series(True, index=merged.index))
        .fillna(True)
        .astype(bool),
        1.0,
        -1.0,
    )
    slope = merged["trend_slope"].astype(float)
    aim = merged["aim_slope"].astype(float)
    known = slope.notna() & aim.notna()
    merged["trend_known"] = known
    tolerance = merged["tolerance"].astype(float).fillna(float(default_tolerance)).to_numpy()
    merged["responding"] = known & is_responding(slope.to_numpy(), aim.to_numpy(), tolerance, d)
    fid = merged["fidelity"].astype(float)
    merged["fidelity_known"] = fid.notna()
    merged["fidelity_ok"] = fid.notna() & (fid >= fidelity_minimum - 1e-9)
    merged["exited"] = (merged["status"] == "completed") & (merged["rule"] == "goal_met")
    return merged


def _units(frame: pd.DataFrame) -> pd.Series:
    """Each plan's ROI unit: its progress measure's unit (or name), and "lower is better"
    for a measure where falling scores are progress."""
    hib = (
        frame["higher_is_better"].fillna(True).astype(bool)
        if "higher_is_better" in frame.columns
        else pd.Series(True, index=frame.index)
    )
    unit = (
        frame["unit"]
        if "unit" in frame.columns
        else pd.Series(gettext("score points"), index=frame.index)
    )
    return unit.fillna(gettext("score points")).astype(str) + np.where(
        hib, "", gettext("; lower is better")
    )


def _effect_aggregates(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of plans: students served, median ROI (plans with a trend), plans with a
    trend and responding, plans and exited with the goal met, median fidelity (plans with
    a known fidelity), how many ROI units its plans use. One grouped pass."""
    f = frame.assign(
        _roi=frame["trend_slope"].astype(float).where(frame["trend_known"].astype(bool)),
        _fid=frame["fidelity"].astype(float).where(frame["fidelity_known"].astype(bool)),
        _trend=frame["trend_known"].astype(int),
        _resp=frame["responding"].astype(int),
        _exit=frame["exited"].astype(int),
    )
    return f.groupby(keys, sort=False).agg(
        served=("student_id", "nunique"),
        median_roi=("_roi", "median"),
        trend_n=("_trend", "sum"),
        responding=("_resp", "sum"),
        plans=("plan_id", "size"),
        exited=("_exit", "sum"),
        median_fidelity=("_fid", "median"),
        unit_count=("_unit", "nunique"),
    )


def _unit_of(frame: pd.DataFrame, keys: list[str]) -> dict[Any, str]:
    """Per group of plans: one of its ROI units (`_unit`; the only one when `unit_count`
    is 1)."""
    first = frame.groupby(keys, sort=False)["_unit"].first()
    return first.to_dict()


def _effect_figures(a: Any, unit: str) -> Callable[[bool], tuple[dict, dict]]:
    served = int(a.served)
    hidden_text = hidden_label(served)
    roi = _num(a.median_roi)
    # A median of slopes means something only in one unit and one direction.
    mixed = int(a.unit_count) > 1
    if mixed:
        unit, roi = gettext("mixed measures: see each school"), None
    responding = a.responding / a.trend_n if a.trend_n else None
    exited = a.exited / a.plans if a.plans else None
    med_fid = _num(a.median_fidelity)

    def f(hidden: bool) -> tuple[dict, dict]:
        return (
            {
                "served": show_count(served, hidden),
                "median_roi": hidden_text
                if hidden
                else (
                    (unit if mixed else gettext("no data yet"))
                    if roi is None
                    else gettext("%(change)s per week (%(unit)s)")
                    % {"change": _fmt_signed(roi, 2), "unit": unit}
                ),
                "responding_pct": hidden_text
                if hidden
                else (
                    gettext("no data yet")
                    if responding is None
                    else show_percent(float(responding), False)
                ),
                "exited_pct": show_percent(
                    None if exited is None else float(exited), hidden, of=served
                ),
                "median_fidelity": hidden_text
                if hidden
                else (gettext("no data yet") if med_fid is None else show_percent(med_fid, False)),
            },
            {
                "served": None if hidden else served,
                "median_roi": None if hidden else roi,
                "roi_unit": None if hidden else unit,
                "responding_share": None if hidden or responding is None else float(responding),
                "exited_share": None if hidden or exited is None else float(exited),
                "median_fidelity": None if hidden else med_fid,
            },
        )

    return f


def effectiveness_table(outcomes: pd.DataFrame, *, school_names: dict[int, str]) -> Table:
    """Per intervention and school: students served, median ROI, percent responding,
    percent exited with the goal met, median fidelity. A row of fewer than 10 students is
    hidden whole, and a second row of the same intervention when the intervention's total
    is shown."""
    table = Table(
        key="effectiveness",
        caption=gettext("Intervention effectiveness"),
        columns=[
            Column("intervention", gettext_noop("Intervention"), False),
            Column("unit", gettext_noop("School"), False),
            Column("served", gettext_noop("Students served")),
            Column(
                "median_roi", gettext_noop("Median rate of improvement (unit per week; direction)")
            ),
            Column("responding_pct", gettext_noop("Responding")),
            Column("exited_pct", gettext_noop("Exited with the goal met")),
            Column("median_fidelity", gettext_noop("Median fidelity")),
        ],
    )
    if outcomes.empty:
        return table
    outcomes = outcomes.assign(_unit=_units(outcomes))
    per_school = _effect_aggregates(outcomes, ["intervention", "school_id"])
    per_intervention = _effect_aggregates(outcomes, ["intervention"])
    school_units = _unit_of(outcomes, ["intervention", "school_id"])
    intervention_units = _unit_of(outcomes, ["intervention"])
    schools_of: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for (intervention, school_id), a in per_school.iterrows():
        schools_of[intervention].append((school_id, a))
    for intervention in sorted(schools_of):
        rows = sorted(schools_of[intervention], key=lambda kv: school_names.get(kv[0], ""))
        items = [
            (
                school_names.get(sid, str(sid)),
                {"intervention": intervention, "unit": school_names.get(sid, str(sid))},
                {"intervention": intervention, "unit": school_names.get(sid, str(sid))},
                int(a.served),
                _effect_figures(a, school_units[(intervention, sid)]),
            )
            for sid, a in rows
        ]
        total = None
        if len(items) > 1:
            a = per_intervention.loc[intervention]
            unit = {"intervention": intervention, "unit": gettext("All schools")}
            total = (
                unit,
                dict(unit),
                int(a.served),
                _effect_figures(a, intervention_units[intervention]),
            )
        _rate_block(table, items, total=total)
    return table


def student_plan_flags(outcomes: pd.DataFrame) -> dict[str, set[Any]]:
    """Students per plan-derived pipeline step (a student's latest plan decides)."""
    if outcomes.empty:
        return {k: set() for k in PLAN_SETS}
    latest = outcomes.sort_values(["student_id", "plan_id"]).groupby("student_id").tail(1)
    out = {
        col: set(latest.loc[latest[col].astype(bool), "student_id"].tolist())
        for col in ("fidelity_known", "fidelity_ok", "trend_known", "responding")
    }
    out["exited"] = set(outcomes.loc[outcomes["exited"].astype(bool), "student_id"].tolist())
    return out
