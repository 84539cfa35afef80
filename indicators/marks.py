"""The district's passing rule for course marks: pure functions over values and Series."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

LETTER = re.compile(r"^[A-Z]{1,3}[+-]?$")


@dataclass(frozen=True)
class PassingRule:
    """A percent at or above `passing_percent` passes; a letter passes unless it is one of
    `failing_letters` (compared without a + or -: "F-" fails like "F")."""

    passing_percent: float = 60.0
    failing_letters: frozenset[str] = frozenset({"F", "E", "U", "NP", "NC"})
    core_subjects: frozenset[str] = frozenset(
        {"ela", "english", "math", "mathematics", "science", "social studies"}
    )

    @classmethod
    def from_text(cls, *, passing_percent, failing_letters: str, core_subjects: str) -> PassingRule:
        return cls(
            passing_percent=float(passing_percent),
            failing_letters=frozenset(
                x.strip().upper() for x in failing_letters.split(",") if x.strip()
            ),
            core_subjects=frozenset(
                x.strip().lower() for x in core_subjects.split(",") if x.strip()
            ),
        )


def split_marks(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(percent or NaN, letter or "", valid) for each raw mark: a number from 0 to 100 is a
    percent (a trailing % allowed), else a letter such as A-, B+, F, NP."""
    text = values.str.strip().str.upper()
    percent = pd.to_numeric(text.str.rstrip("%"), errors="coerce").to_numpy(dtype="float64")
    is_percent = ~np.isnan(percent)
    in_range = is_percent & (percent >= 0) & (percent <= 100)
    letter = np.where(is_percent, "", text.to_numpy(dtype=object)).astype(str)
    is_letter = ~is_percent & text.str.fullmatch(LETTER.pattern).fillna(False).to_numpy(dtype=bool)
    percent = np.where(in_range, percent, np.nan)
    return percent, letter, in_range | is_letter


def passing(percent: np.ndarray, letter: np.ndarray, rule: PassingRule) -> np.ndarray:
    """Whether each mark passes by the rule (percent compared at two decimals)."""
    base = np.char.rstrip(letter.astype(str), "+-")
    letter_fails = np.isin(base, sorted(rule.failing_letters))
    percent_passes = np.round(np.nan_to_num(percent, nan=-1.0), 2) >= rule.passing_percent
    return np.where(np.isnan(percent), ~letter_fails, percent_passes)


def core(subjects: pd.Series, flags: pd.Series, rule: PassingRule) -> np.ndarray:
    """A course is core when its `core` column says yes, or (column blank) its subject is one
    of the district's core subjects."""
    said = flags.str.strip().str.lower()
    yes = said.isin(("y", "yes", "true", "1", "core"))
    no = said.isin(("n", "no", "false", "0"))
    by_subject = subjects.str.strip().str.lower().isin(rule.core_subjects)
    return (yes | (~no & by_subject)).to_numpy(dtype=bool)
