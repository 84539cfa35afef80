"""The progress rules' side of a cut-score switch (decisions.whatif_cuts).

A new cut-score version changes two facts the progress rules read (decisions.sweep_progress),
both for students on an intervention plan:
- the benchmark of a plan whose progress measure is the version's measure (its cut for the
  student's grade in the season under way): the level half of dual discrepancy (a Tier 2
  student below benchmark AND growing slower than peers; domain.md section 3);
- the risk level of the current window's scores of the measure, so whether the student's
  latest screening in the plan's domain since the phase start was at benchmark: the
  "at benchmark at the next screening" exit.

The progress module's own load gives the plans as they are; the same rows with those two
facts as the switch would leave them (the draft's cut looked up like the load's query does,
the screening fact read by the load's own reader with the window's new levels,
interventions.selectors.rule_inputs.Relevel) go through the module's own rules, and each
side is reconciled with the stored flags as a sweep would. Plans whose facts do not move are
the same on both sides: read as they stand when the stored flags are current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from decisions.sweep_progress import load_plans, load_progress
from decisions.sweep_scope import RuleModule, SweepScope
from decisions.whatif_flags import live_after, stored_live
from interventions.selectors.rule_inputs import Relevel, screening_at_benchmark
from screening.models import CutScoreSet, ScreeningWindow


@dataclass
class ProgressSides:
    before: pd.DataFrame
    after: pd.DataFrame
    plans_changed: int


def _draft_benchmarks(plans: pd.DataFrame, cut_set: CutScoreSet, season: str) -> np.ndarray:
    """Each plan's benchmark once `cut_set` is the district's set of its measure: its row for
    the student's grade and `season` (none: no benchmark, as the load's LEFT JOIN gives)."""
    cuts = {
        grade: float(bench)
        for grade, bench in cut_set.rows.filter(season=season).values_list("grade", "benchmark")
    }
    mine = pd.to_numeric(plans["measure_id"]).to_numpy() == cut_set.measure_id
    drafted = plans["grade"].map(lambda g: cuts.get(int(g), np.nan)).to_numpy(float)
    return np.where(mine, drafted, plans["benchmark"].astype(float).to_numpy())


def _switched_plans(
    plans: pd.DataFrame,
    *,
    cut_set: CutScoreSet,
    season: str,
    window: ScreeningWindow | None,
    new_levels: dict[int, str | None],
    as_of: date,
) -> pd.DataFrame:
    out = plans.copy()
    out["benchmark"] = _draft_benchmarks(plans, cut_set, season)
    if window is not None and new_levels:
        students = pd.to_numeric(plans["student_id"]).isin(list(new_levels))
        ids = pd.to_numeric(plans.loc[students, "plan_id"]).astype("int64").tolist()
        at = screening_at_benchmark(
            ids,
            as_of=as_of,
            relevel=Relevel(window_id=window.pk, measure_id=cut_set.measure_id, levels=new_levels),
        )
        column = out["screening_at_benchmark"].astype(object).copy()
        for i, plan_id in zip(
            out.index[students.to_numpy()], ids, strict=True
        ):  # a plan with no classified screening left since its phase start has none
            column.at[i] = at.get(plan_id)
        out["screening_at_benchmark"] = column
    return out


def _moved(before: pd.DataFrame, after: pd.DataFrame) -> np.ndarray:
    b, a = before["benchmark"].astype(float).to_numpy(), after["benchmark"].astype(float).to_numpy()
    bench = ~((b == a) | (np.isnan(b) & np.isnan(a)))
    screen = before["screening_at_benchmark"].astype(object).to_numpy() != (
        after["screening_at_benchmark"].astype(object).to_numpy()
    )
    return bench | screen


def _only(data: dict, plans: pd.DataFrame) -> dict:
    ids = set(pd.to_numeric(plans["plan_id"]).tolist())
    keep = dict(data, plans=plans)
    for name in ("points", "sessions"):
        frame = data[name]
        if len(frame):
            keep[name] = frame.loc[pd.to_numeric(frame["plan_id"]).isin(ids)]
    return keep


def progress_sides(
    *,
    scope: SweepScope,
    module: RuleModule,
    cut_set: CutScoreSet,
    window: ScreeningWindow | None,
    new_levels: dict[int, str | None],
    stored: bool,
) -> ProgressSides:
    """The progress flags live before and after the switch (scope.existing loaded).
    `new_levels`: the students whose window score of the measure changes risk level, with
    the new level."""
    kinds = module.kinds
    mine = scope.for_module(module)
    loading = scope.for_module(module, load=True)
    if stored:
        # Only the plans whose facts can move are loaded (their points and sessions are
        # most of the module's rows): those on the measure whose benchmark the draft sets
        # otherwise, and those of the students whose screening level moves.
        listed, season = load_plans(loading)
        bench = _draft_benchmarks(listed, cut_set, season)
        old = listed["benchmark"].astype(float).to_numpy()
        differs = ~((bench == old) | (np.isnan(bench) & np.isnan(old)))
        students = set(pd.to_numeric(listed.loc[differs, "student_id"]).astype("int64").tolist())
        data = load_progress(loading, student_ids=sorted(students | set(new_levels)))
    else:
        data = module.load(loading)
    plans = data["plans"]
    if plans.empty:
        flags = stored_live(scope.existing, kinds=kinds, inside=True)
        return ProgressSides(before=flags, after=flags, plans_changed=0)
    switched = _switched_plans(
        plans,
        cut_set=cut_set,
        season=data["season"],
        window=window,
        new_levels=new_levels,
        as_of=scope.as_of,
    )
    moved = _moved(plans, switched)
    if stored:
        # Only the plans whose facts move can change; the others' flags stand as stored.
        data = _only(data, plans.loc[moved])
        switched = switched.loc[moved]
    before = live_after(module.apply(mine, data), scope.existing, kinds)
    after = live_after(module.apply(mine, dict(data, plans=switched)), scope.existing, kinds)
    return ProgressSides(before=before, after=after, plans_changed=int(moved.sum()))
