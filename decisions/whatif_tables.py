"""The what-if preview's tables: per school, grade and student group, how many students would
change risk level, gain or lose a flag, and each group's risk ratio before and after.

Pure: one frame per student in, plain rows out. The risk ratio is domain.md section 5's:
R_g / R_not_g against all other students of the district, computed only when the group and its
comparison both have N >= 30 and X >= 10 (IDEA, 34 CFR 300.647); else "not enough students".
The outcome is "has a live flag". Groups of fewer than 10 students show no counts ("n<10").
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

MIN_N = 30
MIN_X = 10
SMALL = 10

# Students frame: one row per active student of the district.
STUDENT_COLUMNS = (
    "student_id",
    "school",
    "grade",
    "race_ethnicity",
    "sex",
    "english_learner",
    "iep",
    "section_504",
    "economically_disadvantaged",
    "before",  # has a live flag after a sweep with today's settings
    "after",  # ... with the new version
    "gained",  # a flag (of any kind) it did not have
    "lost",
    "risk_changed",  # risk level (cut scores) or recommended tier (rules) changes
)


@dataclass(frozen=True)
class GroupRow:
    dimension: str
    group: str
    n: int
    risk_changed: int
    gained: int
    lost: int
    flagged_before: int
    flagged_after: int
    rr_before: float | None
    rr_after: float | None

    @property
    def small(self) -> bool:
        return self.n < SMALL

    @property
    def rr_change(self) -> float | None:
        if self.rr_before is None or self.rr_after is None:
            return None
        return self.rr_after - self.rr_before


def risk_ratio(n_g: int, x_g: int, n_other: int, x_other: int) -> float | None:
    """R_g / R_not_g, or None below the n-size and cell size."""
    if n_g < MIN_N or x_g < MIN_X or n_other < MIN_N or x_other < MIN_X:
        return None
    return float(Fraction(x_g * n_other, n_g * x_other))


def _row(dimension: str, group: str, member: np.ndarray, f: dict[str, np.ndarray]) -> GroupRow:
    total_n = len(member)
    n = int(member.sum())
    before, after = f["before"], f["after"]
    xb, xa = int(before[member].sum()), int(after[member].sum())
    return GroupRow(
        dimension=dimension,
        group=group,
        n=n,
        risk_changed=int(f["risk_changed"][member].sum()),
        gained=int(f["gained"][member].sum()),
        lost=int(f["lost"][member].sum()),
        flagged_before=xb,
        flagged_after=xa,
        rr_before=risk_ratio(n, xb, total_n - n, int(before.sum()) - xb),
        rr_after=risk_ratio(n, xa, total_n - n, int(after.sum()) - xa),
    )


GROUP_FLAGS = (
    ("english_learner", "English learners"),
    ("iep", "Students with an IEP"),
    ("section_504", "Students with a 504 plan"),
    ("economically_disadvantaged", "Economically disadvantaged"),
)


def whatif_rows(
    students: pd.DataFrame,
    *,
    race_labels: dict[str, str],
    sex_labels: dict[str, str],
    grade_labels: dict[int, str],
) -> dict[str, list[GroupRow]]:
    """{"school": [...], "grade": [...], "group": [...]} rows, plus "all" (one row)."""
    f = {
        c: students[c].to_numpy(bool) for c in ("before", "after", "gained", "lost", "risk_changed")
    }
    everyone = np.ones(len(students), dtype=bool)
    out: dict[str, list[GroupRow]] = {"all": [_row("all", "All students", everyone, f)]}
    schools = students["school"].to_numpy(object)
    out["school"] = [
        _row("school", str(v), schools == v, f) for v in sorted(pd.unique(schools), key=str)
    ]
    grades = students["grade"].to_numpy("int64")
    out["grade"] = [
        _row("grade", grade_labels.get(int(g), str(g)), grades == g, f)
        for g in sorted(pd.unique(grades))
    ]
    groups: list[GroupRow] = []
    race = students["race_ethnicity"].to_numpy(object)
    for value, label in race_labels.items():
        member = race == value
        if member.any():
            groups.append(_row("race/ethnicity", f"Race/ethnicity: {label}", member, f))
    sex = students["sex"].to_numpy(object)
    for value, label in sex_labels.items():
        member = sex == value
        if member.any():
            groups.append(_row("sex", f"Sex: {label}", member, f))
    for column, label in GROUP_FLAGS:
        groups.append(_row("program", label, students[column].to_numpy(bool), f))
    out["group"] = groups
    return out
