"""One recommendation per plan, with its reasons, where several rules speak about it.

The plan analysis gives one recommendation (goal met, trend-line or data-point rule, with
the fidelity gate applied) and, beside it, dual discrepancy; the screening and referral flags
the plan already serves (decisions.served) add context. A team reading "Deliver the plan as
written first" and "Dual discrepancy: consider Tier 3" side by side has to reconcile them
itself; this module does it once, in a documented order (docs/rules.md, "One
recommendation per plan"), and keeps every rule that spoke as a reason:

1. goal met (exit or fade): the goal is reached; nothing else asks for more;
2. CICO: fade (CICO plans only): the point cards were at goal on most days of the last two
   weeks (interventions.analysis.cico);
3. deliver the plan as written first: fidelity is below the minimum or unknown while a rule
   would escalate (change the intervention, dual discrepancy, or CICO: adjust): an
   undelivered plan cannot show that it failed, so no escalation is recommended yet;
4. consider Tier 3: dual discrepancy with adequate fidelity;
5. CICO: adjust (CICO plans only): the cards were at goal on too few days; for a CICO plan
   whose rule has judged, CICO's own rule takes the place of the trend-line rule's change /
   raise / continue (kept as a reason), as CICO-SWIS reads the cards;
6. change the intervention;
7. raise the goal;
8. continue;
9. not enough data yet.

Pure: plain values in, a `Reconciled` out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mtss.lib import wording

ORDER = (
    "exit",
    "cico_fade",
    "improve_fidelity",
    "tier3",
    "cico_adjust",
    "change_intervention",
    "raise_goal",
    "continue",
    "insufficient_data",
)
# English here; `reconcile` writes the label in the active language.
LABELS = {
    "exit": gettext_noop("Goal met: exit or fade"),
    "cico_fade": gettext_noop("CICO: fade toward self-monitoring"),
    "cico_adjust": gettext_noop("CICO: adjust the card or the check-ins"),
    "improve_fidelity": gettext_noop("Deliver the plan as written first"),
    "tier3": gettext_noop("Consider Tier 3"),
    "change_intervention": gettext_noop("Change the intervention"),
    "raise_goal": gettext_noop("Raise the goal"),
    "continue": gettext_noop("Continue the plan"),
    "insufficient_data": gettext_noop("Not enough data yet"),
    "none": gettext_noop("No analysis yet"),
}


@dataclass(frozen=True)
class Reconciled:
    key: str
    label: str
    reasons: tuple[str, ...]

    def as_json(self) -> dict:
        return {"recommendation": self.key, "label": self.label, "reasons": list(self.reasons)}


def _pct(value: float) -> str:
    return wording.percent(wording.localized(f"{value:.0%}".removesuffix("%")))


def _trend_reason(rule_said: str) -> list[str]:
    """The trend-line rule's word, kept as a reason where CICO's own rule decides."""
    sentences = {
        "change_intervention": _("The trend of the daily percentages is below the aim line."),
        "raise_goal": _("The trend of the daily percentages is above the aim line."),
        "continue": _("The trend of the daily percentages is close to the aim line."),
    }
    return [sentences[rule_said]] if rule_said in sentences else []


def _low_fidelity(fidelity: float | None, minimum: float) -> str:
    if fidelity is None:
        return _(
            "The plan's fidelity is unknown (no sessions logged), below the district's minimum "
            "of %(minimum)s: deliver it as written before escalating."
        ) % {"minimum": _pct(minimum)}
    return _(
        "The plan's fidelity is %(fidelity)s, below the district's minimum of %(minimum)s: "
        "deliver it as written before escalating."
    ) % {"fidelity": _pct(fidelity), "minimum": _pct(minimum)}


def _delivered(fidelity: float | None) -> str:
    if fidelity is None:
        return _("The plan was delivered as written (fidelity is unknown (no sessions logged)).")
    return _("The plan was delivered as written (fidelity is %(fidelity)s).") % {
        "fidelity": _pct(fidelity)
    }


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
    cico: str | None = None,
    cico_sentence: str = "",
) -> Reconciled:
    """`recommendation` is the analysis' (after the fidelity gate), `before_gate` what the
    progress rules said before it ("" or None: the same); `served_flags` are short words for
    the live flags the plan already serves ("Fall screening, Tier 3"). `cico` is a CICO
    plan's judgement ("fade", "adjust", "insufficient_data"; None for other plans) and
    `cico_sentence` its words (CicoJudgement.sentence())."""
    if not recommendation:
        return Reconciled(
            "none", _(LABELS["none"]), (_("The plan needs a measure, a goal and a date."),)
        )
    rule_said = before_gate or recommendation
    low = fidelity is None or fidelity < fidelity_minimum - 1e-9
    reasons: list[str] = []
    cico_words = [cico_sentence] if cico and cico_sentence else []
    if recommendation == "exit":
        key = "exit"
        reasons.append(_("The last points are at or above the goal."))
        if dual_discrepancy:
            reasons.append(_("Dual discrepancy was also found; the goal met comes first."))
        reasons += cico_words
    elif cico == "fade":
        key = "cico_fade"
        reasons += cico_words
        reasons += _trend_reason(rule_said)
        if dual_discrepancy:
            reasons.append(
                _(
                    "Level and growth are both below expectations (dual discrepancy); for a "
                    "CICO plan the daily cards come first."
                )
            )
    elif low and (rule_said == "change_intervention" or dual_discrepancy or cico == "adjust"):
        key = "improve_fidelity"
        reasons.append(_low_fidelity(fidelity, fidelity_minimum))
        if rule_said == "change_intervention":
            reasons.append(
                _("The trend is below the aim line (would be: change the intervention).")
            )
        if dual_discrepancy:
            reasons.append(
                _(
                    "Level and growth are both below expectations (dual discrepancy; would be: "
                    "consider Tier 3)."
                )
            )
        reasons += cico_words  # "adjust CICO" waits for the plan to be delivered too
    elif dual_discrepancy:
        key = "tier3"
        reasons.append(_("Level and growth are both below expectations (dual discrepancy)."))
        if rule_said == "change_intervention":
            reasons.append(_("The trend is below the aim line: change the intervention."))
        reasons.append(_delivered(fidelity))
        reasons += cico_words
    elif cico == "adjust":
        key = "cico_adjust"
        reasons += cico_words
        reasons += _trend_reason(rule_said)
        reasons.append(_delivered(fidelity))
    else:
        key = rule_said if rule_said in LABELS else "continue"
        if key == "change_intervention":
            reasons.append(_("The trend is below the aim line."))
            reasons.append(_delivered(fidelity))
        elif key == "raise_goal":
            reasons.append(_("The trend is above the aim line."))
        elif key == "continue":
            reasons.append(_("The trend is close to the aim line."))
        else:
            reasons.append(
                ngettext(
                    "%(count)s point in this phase; %(minimum)s needed.",
                    "%(count)s points in this phase; %(minimum)s needed.",
                    points,
                )
                % {"count": points, "minimum": min_points}
            )
        reasons += cico_words
    for flag in served_flags:
        reasons.append(_("Already served by this plan: %(flag)s.") % {"flag": flag})
    return Reconciled(key, _(LABELS[key]), tuple(reasons))
