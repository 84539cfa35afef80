"""What a new cut-score or rule-set version would change, before it is switched on.

The preview runs the sweep's own rule modules (decisions.sweep.rule_modules: the same load,
the same pure rules, the same reconcile) twice on the same rows: once with today's settings
and once with the new version, and compares the flags each run would leave live. A new
cut-score version is applied to the current window's scores of its measure with
`screening.services.classify_frame`, the very function the switch itself uses
(screening/services/reclassify.py). No rule is copied here.

"Flagged" means a live flag after the sweep (a dismissed flag whose evidence stays the same
stays dismissed, as in a real sweep). Known gap: a cut-score version also moves the benchmark
the dual-discrepancy rule reads for students on a plan; the cut-score preview leaves the
progress rules out (they run unchanged), so it does not count those flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from decisions.models import RuleSet
from decisions.reconcile import KEY, LIVE, reconcile
from decisions.services import rule_set_ensure
from decisions.sweep import rule_modules, school_year_for
from decisions.sweep_scope import SweepScope, empty_wanted, read_frame
from decisions.sweep_write import load_existing
from decisions.whatif_tables import GroupRow, whatif_rows
from mtss.lib.thresholds import Thresholds
from screening.models import CutScoreSet, ScreeningWindow
from screening.services import classify_frame, window_current
from students.models import RaceEthnicity, Sex, grade_label

_STUDENTS_SQL = """
SELECT st.id AS student_id, sc.name AS school, st.grade, st.race_ethnicity, st.sex,
       st.english_learner, st.iep, st.section_504, st.economically_disadvantaged
FROM students_student st JOIN students_school sc ON sc.id = st.school_id
WHERE st.district_id = %(district_id)s AND st.active
"""


@dataclass
class WhatIf:
    """The preview's numbers: totals and rows per school, grade and student group."""

    window: ScreeningWindow | None
    as_of: date
    students: int
    risk_changed: int
    gained: int
    lost: int
    flagged_before: int
    flagged_after: int
    classwide_before: int
    classwide_after: int
    rows: dict[str, list[GroupRow]] = field(default_factory=dict)
    changed_students: dict[str, list[int]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The totals a SettingsPreview keeps."""
        return {
            "as_of": self.as_of.isoformat(),
            "window": self.window.pk if self.window else None,
            "students": self.students,
            "risk_changed": self.risk_changed,
            "gained": self.gained,
            "lost": self.lost,
            "flagged_before": self.flagged_before,
            "flagged_after": self.flagged_after,
            "classwide_before": self.classwide_before,
            "classwide_after": self.classwide_after,
        }


def _scope(district_id: int, as_of: date, thresholds: Thresholds) -> SweepScope | None:
    year = school_year_for(district_id, as_of)
    if year is None:
        return None
    return SweepScope(
        district_id=district_id,
        school_id=None,
        as_of=as_of,
        school_year_id=year.pk,
        year_start=year.start_date,
        year_end=year.end_date,
        thresholds=thresholds,
    )


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(KEY)].copy()
    for column in ("student_id", "section_id", "measure_id", "plan_id"):
        out[column] = pd.to_numeric(out[column]).fillna(0).astype("int64")
    out["domain"] = out["domain"].astype(str)
    out["kind"] = out["kind"].astype(str)
    return out


def _live_existing(existing: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Live flags of other kinds than `kinds`, as they are (keys and tier)."""
    live = existing.loc[existing["status"].isin(LIVE) & ~existing["kind"].isin(kinds)]
    return _keys(live).assign(tier=pd.to_numeric(live["recommended_tier"]).to_numpy())


def _live_after(
    wanted: pd.DataFrame, existing: pd.DataFrame, kinds: tuple[str, ...]
) -> pd.DataFrame:
    """Flags of `kinds` live after a sweep that wants `wanted` (the sweep's reconcile: live
    now, minus resolved, plus created), with the recommended tier each would carry."""
    if not len(wanted):
        wanted = empty_wanted()
    changes = reconcile(wanted, existing)
    live = existing.loc[existing["status"].isin(LIVE)]
    kept = live.loc[~live["id"].isin(changes.resolve)]
    frames = [_keys(kept).assign(tier=pd.to_numeric(kept["recommended_tier"]).to_numpy())]
    if len(changes.update):
        # An updated flag may carry a new tier.
        upd = _keys(changes.update).assign(tier=changes.update["recommended_tier"].to_numpy())
        frames[0] = (
            frames[0]
            .merge(upd, on=list(KEY), how="left", suffixes=("", "_new"))
            .assign(tier=lambda f: f["tier_new"].fillna(f["tier"]))[[*KEY, "tier"]]
        )
    if len(changes.create):
        frames.append(
            _keys(changes.create).assign(tier=changes.create["recommended_tier"].to_numpy())
        )
    out = pd.concat(frames, ignore_index=True)
    return out.loc[out["kind"].isin(kinds)]


def _per_student(live: pd.DataFrame) -> tuple[set[tuple], dict[int, int], int]:
    """(student flag keys, student -> highest recommended tier, classwide flags)."""
    students = live.loc[live["student_id"] > 0]
    keys = set(
        zip(
            students["student_id"].tolist(),
            students["kind"].tolist(),
            students["domain"].tolist(),
            students["plan_id"].tolist(),
            students["measure_id"].tolist(),
            strict=True,
        )
    )
    tiers = students.groupby("student_id")["tier"].max().astype(int).to_dict()
    return keys, tiers, int((live["kind"] == "classwide").sum())


def _compare(
    *,
    scope: SweepScope,
    before: pd.DataFrame,
    after: pd.DataFrame,
    risk_changed_ids: set[int],
    window: ScreeningWindow | None,
) -> WhatIf:
    keys_b, tiers_b, cw_b = _per_student(before)
    keys_a, tiers_a, cw_a = _per_student(after)
    gained_ids = {k[0] for k in keys_a - keys_b}
    lost_ids = {k[0] for k in keys_b - keys_a}
    students = read_frame(_STUDENTS_SQL, {"district_id": scope.district_id})
    ids = students["student_id"].to_numpy("int64") if len(students) else np.array([], "int64")
    students["before"] = np.isin(ids, list(tiers_b))
    students["after"] = np.isin(ids, list(tiers_a))
    students["gained"] = np.isin(ids, list(gained_ids))
    students["lost"] = np.isin(ids, list(lost_ids))
    students["risk_changed"] = np.isin(ids, list(risk_changed_ids))
    rows = whatif_rows(
        students,
        race_labels=dict(RaceEthnicity.choices),
        sex_labels=dict(Sex.choices),
        grade_labels={g: grade_label(g) for g in range(-1, 13)},
    )
    return WhatIf(
        window=window,
        as_of=scope.as_of,
        students=len(students),
        risk_changed=int(students["risk_changed"].sum()),
        gained=int(students["gained"].sum()),
        lost=int(students["lost"].sum()),
        flagged_before=int(students["before"].sum()),
        flagged_after=int(students["after"].sum()),
        classwide_before=cw_b,
        classwide_after=cw_a,
        rows=rows,
        changed_students={
            "gained": sorted(gained_ids),
            "lost": sorted(lost_ids),
            "risk_changed": sorted(risk_changed_ids),
        },
    )


def whatif_cut_scores(*, cut_set: CutScoreSet, as_of: date) -> WhatIf | None:
    """Switching the district to `cut_set` (a draft version): the current window's scores of
    its measure classified under it, then the screening rules, against today's result."""
    district_id = cut_set.district_id
    active = rule_set_ensure(district_id=district_id)
    scope = _scope(district_id, as_of, active.as_thresholds())
    if scope is None:
        return None
    window = window_current(district_id=district_id, as_of=as_of)
    scope.existing = load_existing(scope)
    module = next(m for m in rule_modules() if m.name == "screening")
    loaded = module.load(scope)
    scores, enrollments = loaded["scores"], loaded["enrollments"]
    switched = scores.copy()
    risk_changed: set[int] = set()
    moved_sections: set[int] = set()
    if window is not None and len(scores):
        rows = (scores["measure_id"] == cut_set.measure_id) & (scores["window_id"] == window.pk)
        if rows.any():
            part = scores.loc[rows]
            verdict = classify_frame(part, cut_set)
            old = part["risk_level"].astype(object).where(part["risk_level"].notna(), None)
            moved = old.to_numpy(object) != verdict["risk_level"].to_numpy(object)
            risk_changed = set(part.loc[moved, "student_id"].astype("int64").tolist())
            # A class's median is compared with its students' benchmarks: a class can change
            # only where a benchmark moved.
            new_bench = verdict["benchmark"].to_numpy(float)
            old_bench = part["benchmark"].astype(float).to_numpy()
            bench_moved = ~((new_bench == old_bench) | (np.isnan(new_bench) & np.isnan(old_bench)))
            moved_students = set(part.loc[bench_moved, "student_id"].astype("int64").tolist())
            moved_sections = set(
                enrollments.loc[enrollments["student_id"].isin(moved_students), "section_id"]
                .astype("int64")
                .tolist()
            )
            switched["risk_level"] = switched["risk_level"].astype(object)
            switched.loc[rows, "risk_level"] = verdict["risk_level"].to_numpy(object)
            for column in ("benchmark", "high_risk_cut"):
                switched.loc[rows, column] = verdict[column].to_numpy(float)
            for column in ("cut_score_set_id", "cut_score_version"):
                switched[column] = switched[column].astype(object)
                switched.loc[rows, column] = verdict[column].astype(object).to_numpy()
    # Only these verdicts can differ between the two runs: a student's screening tier follows
    # their own scores, a class's problem its students' scores and benchmarks. The rules run
    # on those students and their classmates (whole classes, for the medians); every other
    # flag is the same in both runs and is read as it stands.
    mates = set(
        enrollments.loc[enrollments["section_id"].isin(moved_sections), "student_id"]
        .astype("int64")
        .tolist()
    )
    judged = risk_changed | mates

    def _restricted(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
        return {
            "scores": frame.loc[frame["student_id"].isin(judged)],
            "enrollments": enrollments.loc[enrollments["student_id"].isin(judged)],
        }

    def _own(wanted: pd.DataFrame) -> pd.DataFrame:
        if not len(wanted):
            return wanted
        keep = ((wanted["kind"] == "screening_risk") & wanted["student_id"].isin(risk_changed)) | (
            (wanted["kind"] == "classwide") & wanted["section_id"].isin(moved_sections)
        )
        return wanted.loc[keep]

    others = _live_existing(scope.existing, module.kinds)
    if judged:
        before_w = _own(module.apply(scope, _restricted(scores)))
        after_w = _own(module.apply(scope, _restricted(switched)))
    else:
        before_w = after_w = empty_wanted()
    before = pd.concat([_live_after(before_w, scope.existing, module.kinds), others])
    after = pd.concat([_live_after(after_w, scope.existing, module.kinds), others])
    return _compare(
        scope=scope, before=before, after=after, risk_changed_ids=risk_changed, window=window
    )


def whatif_rule_set(*, rule_set: RuleSet, as_of: date) -> WhatIf | None:
    """Switching the district to `rule_set` (a draft version): every rule module run with
    today's thresholds and with the new ones on the same rows."""
    district_id = rule_set.district_id
    active = rule_set_ensure(district_id=district_id)
    base = _scope(district_id, as_of, active.as_thresholds())
    if base is None:
        return None
    base.existing = load_existing(base)
    new = _scope(district_id, as_of, rule_set.as_thresholds())
    new.existing = base.existing
    modules = rule_modules()
    covered = tuple(k for m in modules for k in m.kinds)
    befores = [_live_existing(base.existing, covered)]
    afters = [_live_existing(base.existing, covered)]
    for module in modules:
        loaded = module.load(base)
        befores.append(_live_after(module.apply(base, loaded), base.existing, module.kinds))
        afters.append(_live_after(module.apply(new, loaded), base.existing, module.kinds))
    before = pd.concat(befores, ignore_index=True)
    after = pd.concat(afters, ignore_index=True)
    _, tiers_b, _ = _per_student(before)
    _, tiers_a, _ = _per_student(after)
    changed = {s for s in set(tiers_b) | set(tiers_a) if tiers_b.get(s, 1) != tiers_a.get(s, 1)}
    return _compare(
        scope=base,
        before=before,
        after=after,
        risk_changed_ids=changed,
        window=window_current(district_id=district_id, as_of=as_of),
    )
