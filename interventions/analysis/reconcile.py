"""One recommendation per plan, with its reasons, where several rules speak about it.

The plan analysis gives one recommendation (goal met, trend-line or data-point rule, with
the fidelity gate applied) and, beside it, dual discrepancy; the screening and referral flags
the plan already serves (decisions.served) add context. A team reading "Deliver the plan as
written first" and "Dual discrepancy: consider Tier 3" side by side has to reconcile them
itself; this module does it once, in a documented order (docs/rules.md, "One
recommendation per plan"), and keeps every rule that spoke as a reason:

1. goal met (exit or fade): the goal is reached; nothing else asks for more;
2. deliver the plan as written first: fidelity is below the minimum or unknown while a rule
   would escalate (change the intervention, or dual discrepancy): an undelivered plan cannot
   show that it failed, so no escalation is recommended yet;
3. consider Tier 3: dual discrepancy with adequate fidelity;
4. change the intervention;
5. raise the goal;
6. continue;
7. not enough data yet.

Pure: plain values in, a `Reconciled` out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ORDER = (
    "exit",
    "improve_fidelity",
    "tier3",
    "change_intervention",
    "raise_goal",
    "continue",
    "insufficient_data",
)
LABELS = {
    "exit": "Goal met: exit or fade",
    "improve_fidelity": "Deliver the plan as written first",
    "tier3": "Consider Tier 3",
    "change_intervention": "Change the intervention",
    "raise_goal": "Raise the goal",
    "continue": "Continue the plan",
    "insufficient_data": "Not enough data yet",
    "none": "No analysis yet",
}


@dataclass(frozen=True)
class Reconciled:
    key: str
    label: str
    reasons: tuple[str, ...]

    def as_json(self) -> dict:
        return {"recommendation": self.key, "label": self.label, "reasons": list(self.reasons)}


def _pct(value: float) -> str:
    return f"{value:.0%}"


def reconcile(
    *,
    recommendation: str,
    before_gate: str | None,
    dual_discrepancy: bool,
    fidelity: float | None,
    fidelity_minimum: float,
    points: int,
    min_points: int = 6,
    served_flags: Iterable[str] = (),
) -> Reconciled:
    """`recommendation` is the analysis' (after the fidelity gate), `before_gate` what the
    progress rules said before it ("" or None: the same); `served_flags` are short words for
    the live flags the plan already serves ("Fall screening, Tier 3")."""
    if not recommendation:
        return Reconciled("none", LABELS["none"], ("The plan needs a measure, a goal and a date.",))
    rule_said = before_gate or recommendation
    low = fidelity is None or fidelity < fidelity_minimum - 1e-9
    fid_words = (
        "fidelity is unknown (no sessions logged)"
        if fidelity is None
        else f"fidelity is {_pct(fidelity)}"
    )
    reasons: list[str] = []
    if recommendation == "exit":
        key = "exit"
        reasons.append("The last points are at or above the goal.")
        if dual_discrepancy:
            reasons.append("Dual discrepancy was also found; the goal met comes first.")
    elif low and (rule_said == "change_intervention" or dual_discrepancy):
        key = "improve_fidelity"
        reasons.append(
            f"The plan's {fid_words}, below the district's minimum of "
            f"{_pct(fidelity_minimum)}: deliver it as written before escalating."
        )
        if rule_said == "change_intervention":
            reasons.append("The trend is below the aim line (would be: change the intervention).")
        if dual_discrepancy:
            reasons.append(
                "Level and growth are both below expectations (dual discrepancy; would be: "
                "consider Tier 3)."
            )
    elif dual_discrepancy:
        key = "tier3"
        reasons.append("Level and growth are both below expectations (dual discrepancy).")
        if rule_said == "change_intervention":
            reasons.append("The trend is below the aim line: change the intervention.")
        reasons.append(f"The plan was delivered as written ({fid_words}).")
    else:
        key = rule_said if rule_said in LABELS else "continue"
        if key == "change_intervention":
            reasons.append("The trend is below the aim line.")
            reasons.append(f"The plan was delivered as written ({fid_words}).")
        elif key == "raise_goal":
            reasons.append("The trend is above the aim line.")
        elif key == "continue":
            reasons.append("The trend is close to the aim line.")
        else:
            reasons.append(
                f"{points} point{'s' if points != 1 else ''} in this phase; {min_points} needed."
            )
    for flag in served_flags:
        reasons.append(f"Already served by this plan: {flag}.")
    return Reconciled(key, LABELS[key], tuple(reasons))
