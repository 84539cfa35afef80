"""Risk of a screening score: the criterion rule and the percentile-rank rule (domain.md s. 2).

Pure functions over numbers and pandas Series: no ORM, no settings, no clock. The services
load the rows, call these, and store what they return.

Criterion rule, higher is better:
    score >= benchmark                  -> at_or_above
    high_risk_cut <= score < benchmark  -> some_risk
    score < high_risk_cut               -> high_risk
Lower is better mirrors it (benchmark is the highest score still at or above):
    score <= benchmark                  -> at_or_above
    benchmark < score <= high_risk_cut  -> some_risk
    score > high_risk_cut               -> high_risk

Percentile rank: PR = 100 * (B + 0.5 * E) / N, B = scores strictly *worse* than this one,
E = scores equal to it (itself included), N = group size; rounded half up (12.5 -> 13, never
banker's rounding) and clamped to 1..99. "Worse" is "lower" for a higher-is-better measure and
"higher" for a lower-is-better one, so a high PR always means a better-than-peers score.
The arithmetic is done in integers (2 * 100 * (2B + E) over 2 * 2N), so no float can round a
.5 the wrong way.
"""

from __future__ import annotations

from decimal import Decimal
from numbers import Real

import numpy as np
import pandas as pd

from mtss.lib.vocabulary import RiskLevel

PR_MIN = 1
PR_MAX = 99
DEFAULT_HIGH_RISK_BELOW = 10
DEFAULT_SOME_RISK_BELOW = 25

Number = Decimal | int | float | Real

# Risk levels from least to most intensive, for "the most intensive risk wins" comparisons.
RISK_ORDER: dict[str, int] = {
    RiskLevel.AT_OR_ABOVE: 0,
    RiskLevel.SOME_RISK: 1,
    RiskLevel.HIGH_RISK: 2,
}


def classify_criterion(
    score: Number, benchmark: Number, high_risk_cut: Number, higher_is_better: bool = True
) -> RiskLevel:
    """The risk level of `score` against one cut-score row (see the module docstring)."""
    if higher_is_better:
        if score >= benchmark:
            return RiskLevel.AT_OR_ABOVE
        if score >= high_risk_cut:
            return RiskLevel.SOME_RISK
        return RiskLevel.HIGH_RISK
    if score <= benchmark:
        return RiskLevel.AT_OR_ABOVE
    if score <= high_risk_cut:
        return RiskLevel.SOME_RISK
    return RiskLevel.HIGH_RISK


def cut_row_is_ordered(benchmark: Number, high_risk_cut: Number, higher_is_better: bool) -> bool:
    """A row makes sense when the high-risk cut lies on the worse side of the benchmark."""
    return high_risk_cut <= benchmark if higher_is_better else high_risk_cut >= benchmark


def percentile_rank_from_counts(*, worse: int, equal: int, total: int) -> int:
    """PR from the counts: worse (B), equal including itself (E), group size (N).

    Rounded half up and clamped to 1..99, exactly, in integers:
    round_half_up(100 * (2B + E) / 2N) = floor((200 * (2B + E) + 2N) / 4N).
    """
    if total <= 0 or equal <= 0 or worse < 0 or worse + equal > total:
        raise ValueError(f"impossible counts: worse={worse}, equal={equal}, total={total}")
    numerator = 100 * (2 * worse + equal)
    denominator = 2 * total
    rounded = (2 * numerator + denominator) // (2 * denominator)
    return min(PR_MAX, max(PR_MIN, rounded))


def percentile_rank(
    score: Number, group_scores: list[Number] | tuple[Number, ...], higher_is_better: bool = True
) -> int:
    """The PR of `score` in `group_scores` (which must include the score itself)."""
    if higher_is_better:
        worse = sum(1 for s in group_scores if s < score)
    else:
        worse = sum(1 for s in group_scores if s > score)
    equal = sum(1 for s in group_scores if s == score)
    return percentile_rank_from_counts(worse=worse, equal=equal, total=len(group_scores))


def percentile_ranks(scores: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """The PR of every score of one norm group at once; same values as `percentile_rank`.

    Ranking with method "min" gives 1 + (number strictly worse); "max" gives number worse +
    number equal. Missing scores are not part of the group and get <NA>.
    """
    present = scores.dropna()
    result = pd.Series(pd.NA, index=scores.index, dtype="Int64")
    if present.empty:
        return result
    # Decimals rank fine as floats here: a norm group's scores have at most 2 decimals and 8
    # digits, which float64 holds exactly enough to keep their order and ties.
    values = present.astype("float64")
    ascending = higher_is_better
    low = values.rank(method="min", ascending=ascending).astype("int64").to_numpy()
    high = values.rank(method="max", ascending=ascending).astype("int64").to_numpy()
    worse = low - 1
    equal = high - low + 1
    total = len(values)
    numerator = 100 * (2 * worse + equal)
    denominator = 2 * total
    rounded = (2 * numerator + denominator) // (2 * denominator)
    result.loc[present.index] = np.clip(rounded, PR_MIN, PR_MAX)
    return result


def classify_percentile(
    pr: int,
    high_risk_below: int = DEFAULT_HIGH_RISK_BELOW,
    some_risk_below: int = DEFAULT_SOME_RISK_BELOW,
) -> RiskLevel:
    """PR < high_risk_below -> high risk; PR < some_risk_below -> some risk; else at or above."""
    if pr < high_risk_below:
        return RiskLevel.HIGH_RISK
    if pr < some_risk_below:
        return RiskLevel.SOME_RISK
    return RiskLevel.AT_OR_ABOVE


def most_intensive(levels: list[str | None]) -> RiskLevel | None:
    """The most intensive risk among `levels` (None = no rule applied, ignored)."""
    known = [RiskLevel(level) for level in levels if level]
    if not known:
        return None
    return max(known, key=lambda level: RISK_ORDER[level])


# Weeks between the benchmark windows used by Hasbrouck & Tindal's average weekly improvement.
WEEKS_FALL_TO_SPRING = 32
WEEKS_WINTER_TO_SPRING = 16


def average_weekly_improvement(
    *, fall: Number | None, winter: Number | None, spring: Number
) -> Decimal:
    """(spring - fall) / 32 weeks; when there is no fall norm (grade 1), (spring - winter) / 16.

    Computed from the norms rather than copied from the published column, which has typos.
    """
    spring = Decimal(str(spring))
    if fall is not None:
        return (spring - Decimal(str(fall))) / WEEKS_FALL_TO_SPRING
    if winter is None:
        raise ValueError("need a fall or a winter value")
    return (spring - Decimal(str(winter))) / WEEKS_WINTER_TO_SPRING


# -- many scores at once: reclassifying a window under another cut-score set --------------------

_LEVELS = np.array(
    [RiskLevel.AT_OR_ABOVE.value, RiskLevel.SOME_RISK.value, RiskLevel.HIGH_RISK.value],
    dtype=object,
)


def classify_criterion_many(
    scores: np.ndarray | pd.Series,
    benchmark: np.ndarray | pd.Series,
    high_risk_cut: np.ndarray | pd.Series,
    higher_is_better: np.ndarray | pd.Series | bool,
) -> np.ndarray:
    """`classify_criterion` for whole columns (same answers, property-tested): an object
    array of risk-level values, None where a row has no benchmark (no cut score: no rule)."""
    s = pd.to_numeric(pd.Series(np.asarray(scores, dtype=object)), errors="coerce").to_numpy(float)
    b = pd.to_numeric(pd.Series(np.asarray(benchmark, dtype=object)), errors="coerce").to_numpy(
        float
    )
    h = pd.to_numeric(pd.Series(np.asarray(high_risk_cut, dtype=object)), errors="coerce").to_numpy(
        float
    )
    up = np.broadcast_to(np.asarray(higher_is_better, dtype=bool), s.shape)
    at = np.where(up, s >= b, s <= b)
    some = np.where(up, s >= h, s <= h)
    index = np.where(at, 0, np.where(some, 1, 2))
    out = _LEVELS[index]
    out[np.isnan(b) | np.isnan(h) | np.isnan(s)] = None
    return out


def classify_percentile_many(
    ranks: np.ndarray | pd.Series, high_risk_below: int, some_risk_below: int
) -> np.ndarray:
    """`classify_percentile` for a whole column; None where there is no rank yet."""
    pr = pd.to_numeric(pd.Series(np.asarray(ranks, dtype=object)), errors="coerce").to_numpy(float)
    index = np.where(pr < high_risk_below, 2, np.where(pr < some_risk_below, 1, 0))
    out = _LEVELS[index]
    out[np.isnan(pr)] = None
    return out


def classify_under_set(
    scores: pd.DataFrame,
    rows: pd.DataFrame,
    *,
    method: str,
    higher_is_better: bool,
    high_risk_below_pr: int,
    some_risk_below_pr: int,
) -> pd.DataFrame:
    """What one cut-score set says of many scores of its measure.

    `scores`: `grade, season, score, percentile_rank`; `rows` (the set's rows): `grade,
    season, benchmark, high_risk_cut`. Returns, aligned with `scores`' index: `risk_level`
    (None: no rule), `benchmark`, `high_risk_cut` and `applies` (the set classified the
    score; False for a criterion set without a row for the grade and season, which leaves the
    score unclassified, exactly as a score saved under the set would be).
    """
    keyed = rows[["grade", "season", "benchmark", "high_risk_cut"]].astype(
        {"grade": "int64", "benchmark": "float64", "high_risk_cut": "float64"}
    )
    joined = (
        scores[["grade", "season"]]
        .astype({"grade": "int64"})
        .reset_index()
        .merge(keyed, on=["grade", "season"], how="left")
        .set_index("index")
        .reindex(scores.index)
    )
    out = pd.DataFrame(index=scores.index)
    out["benchmark"] = joined["benchmark"]
    out["high_risk_cut"] = joined["high_risk_cut"]
    if method == "percentile":
        out["risk_level"] = classify_percentile_many(
            scores["percentile_rank"], high_risk_below_pr, some_risk_below_pr
        )
        out["applies"] = True
    else:
        out["risk_level"] = classify_criterion_many(
            scores["score"], joined["benchmark"], joined["high_risk_cut"], higher_is_better
        )
        out["applies"] = joined["benchmark"].notna().to_numpy()
    return out
