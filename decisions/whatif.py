"""What a new cut-score or rule-set version would change, before it is switched on.

The preview runs the sweep's own rule modules (decisions.sweep.rule_modules: the same load,
the same pure rules, the same reconcile) on the same rows with today's settings and with the
new version, and compares the flags each would leave live. Only what the new version can
change is run: the rule modules reading a threshold the rule sets set differently
(`whatif_rule_set`), the students and classes whose scores a cut-score version classifies
differently (decisions.whatif_cuts). The rest is the same on both sides and is read as it
stands when the district's stored flags are current, else made once
(decisions.whatif_flags). A new cut-score version is applied to the current window's scores
of its measure with `screening.services.classify_frame`, the very function the switch itself
uses (screening/services/reclassify.py). No rule is copied here.

"Flagged" means a live flag after the sweep (a dismissed flag whose evidence stays the same
stays dismissed, as in a real sweep). A cut-score version also moves what the progress rules
read for students on a plan (the benchmark of dual discrepancy, the screening result of the
exit): those run too (decisions.whatif_progress).

`progress(label, done, total)` is told each step as it starts (the job's progress bar,
decisions.whatif_jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from django.utils.translation import gettext_noop

from decisions.db_lane import DatabaseLane
from decisions.models import RuleSet
from decisions.services import rule_set_ensure
from decisions.sweep_scope import SweepScope, read_frame
from decisions.sweep_write import load_existing
from decisions.whatif_cuts import cut_sides
from decisions.whatif_flags import (
    preview_scope,
    stored_flags_current,
)
from decisions.whatif_rules import rule_sides
from decisions.whatif_tables import GroupRow, whatif_rows
from screening.models import CutScoreSet, ScreeningWindow
from screening.services import window_current
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
    # True: the flags the switch leaves alone were read as the district's last sweep (today,
    # under the active rules, none pending) left them, not made again.
    stored_flags: bool = False
    # Cut scores: the plans whose benchmark or latest screening result the version moves.
    plans_changed: int | None = None

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
            "stored_flags": self.stored_flags,
            "plans_changed": self.plans_changed,
        }


Progress = Callable[[str, int, int], None]
# Step labels are kept in English on the job row and translated where shown (gettext_noop).
READING = gettext_noop("Reading today's flags")
COUNTING = gettext_noop("Counting per school, grade and student group")


def _quiet(label: str, done: int, total: int) -> None:
    return None


def result_rows(whatif: WhatIf) -> dict[str, list[dict[str, Any]]]:
    """The rows as a finished preview keeps them (SettingsPreview.result["rows"])."""
    return {
        key: [asdict(r) | {"small": r.small, "rr_change": r.rr_change} for r in rows]
        for key, rows in whatif.rows.items()
    }


_STUDENT_KEY = ["student_id", "kind", "domain", "plan_id", "measure_id"]


def _tiers(live: pd.DataFrame) -> pd.Series:
    """Student id -> the highest recommended tier of their live flags."""
    students = live.loc[live["student_id"] > 0]
    return students.groupby("student_id")["tier"].max().astype(int)


def _flag_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[set[int], set[int]]:
    """Students with a flag (key) after that they lacked before, and the reverse."""
    b = before.loc[before["student_id"] > 0, _STUDENT_KEY].drop_duplicates()
    a = after.loc[after["student_id"] > 0, _STUDENT_KEY].drop_duplicates()
    both = b.merge(a, on=_STUDENT_KEY, how="outer", indicator=True)
    side = both["_merge"].to_numpy()
    ids = both["student_id"].astype("int64")
    return set(ids[side == "right_only"].tolist()), set(ids[side == "left_only"].tolist())


def _tier_changes(before: pd.DataFrame, after: pd.DataFrame) -> set[int]:
    """Students whose highest recommended tier moves (no flag counts as Tier 1)."""
    tiers = pd.concat([_tiers(before).rename("b"), _tiers(after).rename("a")], axis=1).fillna(1)
    return set(tiers.index[tiers["b"] != tiers["a"]].astype("int64").tolist())


def _students(district_id: int) -> pd.DataFrame:
    return read_frame(_STUDENTS_SQL, {"district_id": district_id})


def _compare(
    *,
    scope: SweepScope,
    students: pd.DataFrame,
    before: pd.DataFrame,
    after: pd.DataFrame,
    risk_changed_ids: set[int],
    window: ScreeningWindow | None,
) -> WhatIf:
    gained_ids, lost_ids = _flag_changes(before, after)
    ids = students["student_id"].astype("int64")
    students["before"] = ids.isin(_tiers(before).index).to_numpy()
    students["after"] = ids.isin(_tiers(after).index).to_numpy()
    students["gained"] = ids.isin(gained_ids).to_numpy()
    students["lost"] = ids.isin(lost_ids).to_numpy()
    students["risk_changed"] = ids.isin(risk_changed_ids).to_numpy()
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
        classwide_before=int((before["kind"] == "classwide").sum()),
        classwide_after=int((after["kind"] == "classwide").sum()),
        rows=rows,
        changed_students={
            "gained": sorted(gained_ids),
            "lost": sorted(lost_ids),
            "risk_changed": sorted(risk_changed_ids),
        },
    )


def whatif_cut_scores(
    *, cut_set: CutScoreSet, as_of: date, progress: Progress = _quiet
) -> WhatIf | None:
    """Switching the district to `cut_set` (a draft version): the current window's scores of
    its measure classified under it, then the screening and progress rules, against today's
    result (decisions.whatif_cuts)."""
    district_id = cut_set.district_id
    active = rule_set_ensure(district_id=district_id)
    scope = preview_scope(district_id, as_of, active.as_thresholds())
    if scope is None:
        return None
    progress(READING, 1, 4)
    window = window_current(district_id=district_id, as_of=as_of)
    scope.existing = load_existing(scope)
    stored = stored_flags_current(district_id=district_id, as_of=as_of, rule_set_id=active.pk)
    sides = cut_sides(scope=scope, cut_set=cut_set, window=window, stored=stored, progress=progress)
    progress(COUNTING, 4, 4)
    result = _compare(
        scope=scope,
        students=_students(district_id),
        before=sides.before,
        after=sides.after,
        risk_changed_ids=sides.risk_changed,
        window=window,
    )
    result.stored_flags = stored
    result.plans_changed = sides.progress_plans_changed
    return result


def whatif_rule_set(
    *, rule_set: RuleSet, as_of: date, full: bool = False, progress: Progress = _quiet
) -> WhatIf | None:
    """Switching the district to `rule_set` (a draft version): the rule modules it can change
    run under both versions (decisions.whatif_rules; `full`: every module)."""
    district_id = rule_set.district_id
    active = rule_set_ensure(district_id=district_id)
    base = preview_scope(district_id, as_of, active.as_thresholds())
    if base is None:
        return None
    window = window_current(district_id=district_id, as_of=as_of)
    stored = stored_flags_current(district_id=district_id, as_of=as_of, rule_set_id=active.pk)
    stored = stored and not full
    progress(READING, 1, 3)
    with DatabaseLane() as lane:
        existing = lane.submit(load_existing, base)
        students = lane.submit(_students, district_id)
        base.existing = existing.result()
        progress(gettext_noop("Running the rules this version changes, both ways"), 2, 3)
        sides = rule_sides(
            base=base, proposed=rule_set.as_thresholds(), lane=lane, stored=stored, full=full
        )
    progress(COUNTING, 3, 3)
    result = _compare(
        scope=base,
        students=students.result(),
        before=sides.before,
        after=sides.after,
        risk_changed_ids=_tier_changes(sides.before, sides.after),
        window=window,
    )
    result.stored_flags = stored
    return result
