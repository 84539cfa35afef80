"""The flags before and after switching a district to a draft cut-score version.

The switch itself (screening/services/reclassify.py) classifies the current window's scores
of the version's measure again with `screening.services.classify_frame`; the preview calls the
same function on the same scores, then runs the sweep's screening module (its load, its pure
rules) on the rows that can change, once as they are and once switched.

What can change, and so what is run:
- a student's screening flag follows their own scores: it can change only for the students
  whose risk level moves (`moved`). The module runs on all their scores (every measure of
  the domain counts for the tier);
- a class's classwide flag for the measure compares the class median with its students'
  benchmarks: it can change only in the sections of a student whose benchmark moves. The
  module runs on those sections' students' scores of the measure (the only rows that flag
  reads);
- every other flag is the same on both sides and is read as it stands when the district's
  stored flags are current (decisions.whatif_flags.stored_flags_current). When they are not,
  the screening module runs on the whole district on both sides, and the other modules once.

- the progress flags of students on a plan (dual discrepancy reads the plan measure's
  benchmark, the exit reads the latest screening's risk level): decisions.whatif_progress
  runs the progress module on the plans whose benchmark or screening result moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext_noop

from decisions.models import FlagKind
from decisions.sweep import rule_modules
from decisions.sweep_scope import RuleModule, SweepScope, empty_wanted
from decisions.sweep_screening import apply_classwide, load_screening
from decisions.whatif_flags import live_after, standing, stored_live
from decisions.whatif_progress import progress_sides
from screening.models import CutScoreSet, ScreeningWindow
from screening.services import classify_frame

_VERDICT_COLUMNS = (
    "risk_level",
    "benchmark",
    "high_risk_cut",
    "cut_score_set_id",
    "cut_score_version",
)


@dataclass
class CutSides:
    """Flags live before and after the switch (KEY columns and tier), and the students whose
    risk level on the measure moves."""

    before: pd.DataFrame
    after: pd.DataFrame
    risk_changed: set[int]
    progress_plans_changed: int = 0


def _verdicts(part: pd.DataFrame, cut_set: CutScoreSet) -> pd.DataFrame:
    """Per student (index), the window score's new risk level, benchmark, high-risk cut and
    version, and whether the level or the benchmark moves."""
    verdict = classify_frame(part, cut_set)
    old = part["risk_level"].astype(object).where(part["risk_level"].notna(), None)
    new_bench = verdict["benchmark"].to_numpy(float)
    old_bench = part["benchmark"].astype(float).to_numpy()
    out = pd.DataFrame(
        {
            "risk_level": verdict["risk_level"].to_numpy(object),
            "benchmark": new_bench,
            "high_risk_cut": verdict["high_risk_cut"].to_numpy(float),
            "cut_score_set_id": verdict["cut_score_set_id"].astype(object).to_numpy(),
            "cut_score_version": verdict["cut_score_version"].astype(object).to_numpy(),
            "level_moved": old.to_numpy(object) != verdict["risk_level"].to_numpy(object),
            "bench_moved": ~(
                (new_bench == old_bench) | (np.isnan(new_bench) & np.isnan(old_bench))
            ),
        },
        index=pd.Index(part["student_id"].astype("int64").to_numpy(), name="student_id"),
    )
    return out


def _switched(scores: pd.DataFrame, verdicts: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """`scores` with the window's rows of the measure (`rows`) classified under the draft."""
    out = scores.copy()
    ids = out.loc[rows, "student_id"].astype("int64").to_numpy()
    for column in _VERDICT_COLUMNS:
        kind = float if column in ("benchmark", "high_risk_cut") else object
        out[column] = out[column].astype(kind)
        out.loc[rows, column] = verdicts[column].reindex(ids).to_numpy(kind)
    return out


def _window_rows(scores: pd.DataFrame, cut_set: CutScoreSet, window_id: int) -> pd.Series:
    return (scores["measure_id"] == cut_set.measure_id) & (scores["window_id"] == window_id)


def _both_sides(
    mine: SweepScope,
    data: dict,
    verdicts: pd.DataFrame,
    cut_set: CutScoreSet,
    window_id: int,
    apply: Callable[[SweepScope, dict], pd.DataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The screening rules' wanted flags on `data` as it is and switched to the draft."""
    scores = data["scores"]
    if scores.empty:
        return empty_wanted(), empty_wanted()
    switched = _switched(scores, verdicts, _window_rows(scores, cut_set, window_id))
    return (
        apply(mine, data),
        apply(mine, {"scores": switched, "enrollments": data["enrollments"]}),
    )


def _new_levels(verdicts: pd.DataFrame) -> dict[int, str | None]:
    moved = verdicts.loc[verdicts["level_moved"].to_numpy(), "risk_level"]
    return {int(k): (None if pd.isna(v) else str(v)) for k, v in moved.items()}


def cut_sides(
    *,
    scope: SweepScope,
    cut_set: CutScoreSet,
    window: ScreeningWindow | None,
    stored: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> CutSides:
    """Before and after switching to `cut_set` (scope.existing loaded)."""
    step = progress or (lambda label, done, total: None)
    modules = rule_modules()
    screening = next(m for m in modules if m.name == "screening")
    progress_module = next(m for m in modules if m.name == "progress")
    others = [m for m in modules if m not in (screening, progress_module)]
    covered = tuple(k for m in modules for k in m.kinds)
    unchanged = standing(scope, others, covered=covered, stored=stored)
    step(
        gettext_noop("Classifying the window's scores and running the screening rules both ways"),
        2,
        4,
    )
    before_w, after_w, verdicts = _screening_sides(scope, screening, cut_set, window, stored)
    moved = (
        set(verdicts.index[verdicts["level_moved"].to_numpy()].tolist())
        if verdicts is not None
        else set()
    )
    step(gettext_noop("Running the progress rules (dual discrepancy, exit) both ways"), 3, 4)
    plans = progress_sides(
        scope=scope,
        module=progress_module,
        cut_set=cut_set,
        window=window,
        new_levels=_new_levels(verdicts) if verdicts is not None else {},
        stored=stored,
    )
    return CutSides(
        before=pd.concat([before_w, plans.before, unchanged], ignore_index=True),
        after=pd.concat([after_w, plans.after, unchanged], ignore_index=True),
        risk_changed=moved,
        progress_plans_changed=plans.plans_changed,
    )


def _screening_sides(
    scope: SweepScope,
    screening: RuleModule,
    cut_set: CutScoreSet,
    window: ScreeningWindow | None,
    stored: bool,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The screening module's flags live before and after, and the window's verdicts."""
    kinds = screening.kinds
    mine = scope.for_module(screening)
    loading = scope.for_module(screening, load=True)
    if window is None:
        flags = (
            stored_live(scope.existing, kinds=kinds, inside=True)
            if stored
            else live_after(screening.apply(mine, screening.load(loading)), scope.existing, kinds)
        )
        return flags, flags, None
    if not stored:
        data = screening.load(loading)
        part = data["scores"].loc[_window_rows(data["scores"], cut_set, window.pk)]
        verdicts = _verdicts(part, cut_set)
        before_w, after_w = _both_sides(mine, data, verdicts, cut_set, window.pk, screening.apply)
        return (
            live_after(before_w, scope.existing, kinds),
            live_after(after_w, scope.existing, kinds),
            verdicts,
        )

    # The measure's scores of the year (every student) and the current enrollments.
    measure = load_screening(loading, measure_id=cut_set.measure_id)
    scores, enrollments = measure["scores"], measure["enrollments"]
    part = scores.loc[_window_rows(scores, cut_set, window.pk)]
    verdicts = _verdicts(part, cut_set)
    moved = set(verdicts.index[verdicts["level_moved"].to_numpy()].tolist())
    bench_moved = verdicts.index[verdicts["bench_moved"].to_numpy()]
    sections = enrollments.loc[enrollments["student_id"].isin(bench_moved), "section_id"]
    members = enrollments.loc[enrollments["section_id"].isin(sections), "student_id"]

    wanted_b, wanted_a = [], []
    if moved:
        # Their screening flags: all their scores (every measure of a domain counts).
        own = load_screening(loading, student_ids=sorted(moved))
        b, a = _both_sides(mine, own, verdicts, cut_set, window.pk, screening.apply)
        for frame, into in ((b, wanted_b), (a, wanted_a)):
            keep = (frame["kind"] == FlagKind.SCREENING_RISK.value) & frame["student_id"].isin(
                moved
            )
            into.append(frame.loc[keep])
    if len(sections):
        # Their classes' classwide flags for the measure: the whole classes' scores of it.
        classes = {
            "scores": scores.loc[scores["student_id"].isin(members)],
            "enrollments": enrollments.loc[enrollments["student_id"].isin(members)],
        }
        # The sweep's classwide step alone (decisions.sweep_screening.apply_classwide): the
        # classmates' own flags are not what changes here.
        b, a = _both_sides(mine, classes, verdicts, cut_set, window.pk, apply_classwide)
        for frame, into in ((b, wanted_b), (a, wanted_a)):
            keep = (frame["kind"] == FlagKind.CLASSWIDE.value) & frame["section_id"].isin(sections)
            into.append(frame.loc[keep])
    before_w = pd.concat(wanted_b, ignore_index=True) if wanted_b else empty_wanted()
    after_w = pd.concat(wanted_a, ignore_index=True) if wanted_a else empty_wanted()
    return (
        live_after(before_w, scope.existing, kinds),
        live_after(after_w, scope.existing, kinds),
        verdicts,
    )
