"""How well a screening cut score predicted a later outcome (a district's local accuracy).

Pure: numbers in, rows out. For each candidate cut c of the earlier (say fall) score, a
student is "flagged" when the score is below c (higher is better; above c when lower is
better), exactly as a benchmark c would classify them. The outcome is the later score's
risk level: "not at benchmark" (some or high risk) is the condition the screen should catch.

- sensitivity = flagged among those with the poor outcome (TP / (TP + FN));
- specificity = not flagged among those with a good outcome (TN / (TN + FP));
- share flagged = flagged / everyone with both scores.

Worked example (tests/screening/test_accuracy.py): fall 10, 20, 30, 40 with poor outcomes
for 10 and 20 and good for 30 and 40; cut 25 flags 10 and 20: sensitivity 1, specificity 1,
half flagged; cut 35 flags three: sensitivity 1, specificity 0.5, 75 % flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CutAccuracy:
    cut: float
    flagged: int
    total: int
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def share_flagged(self) -> float | None:
        return self.flagged / self.total if self.total else None

    @property
    def sensitivity(self) -> float | None:
        poor = self.true_positive + self.false_negative
        return self.true_positive / poor if poor else None

    @property
    def specificity(self) -> float | None:
        good = self.true_negative + self.false_positive
        return self.true_negative / good if good else None


def cut_accuracy(
    scores: Sequence[float] | np.ndarray,
    poor_outcome: Sequence[bool] | np.ndarray,
    cuts: Sequence[float],
    *,
    higher_is_better: bool = True,
) -> list[CutAccuracy]:
    """One row per cut (in the order given), for paired scores and outcomes."""
    s = np.asarray(scores, dtype=float)
    poor = np.asarray(poor_outcome, dtype=bool)
    if s.shape != poor.shape:
        raise ValueError("scores and outcomes must pair up")
    rows = []
    for cut in cuts:
        flagged = s < cut if higher_is_better else s > cut
        tp = int((flagged & poor).sum())
        fp = int((flagged & ~poor).sum())
        fn = int((~flagged & poor).sum())
        tn = int((~flagged & ~poor).sum())
        rows.append(
            CutAccuracy(
                cut=float(cut),
                flagged=tp + fp,
                total=len(s),
                true_positive=tp,
                false_positive=fp,
                false_negative=fn,
                true_negative=tn,
            )
        )
    return rows


def candidate_cuts(
    scores: Sequence[float] | np.ndarray, *, current: float | None = None, steps: int = 12
) -> list[float]:
    """Round cut values across the scores' 5th to 95th percentiles, plus the cut in use."""
    s = np.asarray(scores, dtype=float)
    if not len(s):
        return [current] if current is not None else []
    values = np.unique(np.round(np.percentile(s, np.linspace(5, 95, steps))))
    out = sorted({float(v) for v in values} | ({float(current)} if current is not None else set()))
    return out
